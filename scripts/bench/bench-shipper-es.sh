#!/usr/bin/env bash
# Elasticsearch shipping throughput of the log shipper against a plain curl _bulk loader of the
# same documents, side by side in one run:
#
#   scripts/bench/bench-shipper-es.sh [containers] [lines-per-container]     (default 5 40000)
#
# Starts its own Elasticsearch node (9.2.0 zip from ~/.m2, 1 GiB heap, port $ES_PORT=9250) unless
# one already answers there, and installs the index template with the shipper's `setup`.
# N busybox containers write M numbered 100-byte lines each and sleep; then, in this order:
#   shipper #1  --outputs=elasticsearch (batch 5000 events / 5 MB / 200 ms linger, the defaults;
#               one bulk request in flight) into the daily indices swarmscope-logs-bench-shipper-<run>-*, fresh
#               checkpoint dir: from launch, and from its first line read, until
#               swarmscope_log_events_shipped_total (polled every 100 ms) reaches N*M, then one
#               _refresh + _count that must show N*M (the end time is after that count).
#   bulk x1     the documents shipper #1 stored, exported (scroll) into 5000-document _bulk bodies
#               of `create` with the same _id, sent by curl one request at a time into
#               swarmscope-logs-bench-bulk1-<run>; until the last response, _refresh, _count = N*M.
#   bulk x2     the same files, two requests in flight (xargs -P2), into swarmscope-logs-bench-bulk2-<run>.
#   shipper #2  as #1, into swarmscope-logs-bench-shipper2-<run> (brackets the loaders against drift).
# The shipper does one request in flight, so its ratio is taken against "bulk x1" (x2 shown too).
set -euo pipefail
. "$(dirname "$0")/shipper-lib.sh"
n=${1:-5}
m=${2:-40000}
total=$((n * m))
port=19411
bench_init bench-shipper-es
bench_header "scripts/bench/bench-shipper-es.sh $n $m"
es_start
espid=$(es_pid)
"$JAVA" -jar "$JAR" setup --elasticsearch.url="$ES_URL" >"$WORK/setup.out" 2>&1 || { cat "$WORK/setup.out" >&2; exit 1; }
echo "template: $(curl -s "$ES_URL/_index_template/*" | jq -c '[.index_templates[] | {name, patterns: .index_template.index_patterns, refresh: .index_template.template.settings.index.refresh_interval}]')"

sig=$WORK/sig
mkdir -p "$sig"
ids=()
for _ in $(seq "$n"); do
  ids+=("$(run_writer -v "$sig:/sig" "$BENCH_IMAGE" sh -c "$(awk_writer "$m"); touch /sig/done.\$HOSTNAME; exec sleep 3600")")
done
for _ in $(seq 1200); do [ "$(ls "$sig" | grep -c '^done\.')" -ge "$n" ] && break; sleep 0.1; done
sleep 1
echo "$n containers x $m lines written; load $(load)"

rows=()
row() { rows+=("$(printf '%-32s | %8s | %8s | %12s | %s' "$@")"); }

# ship NAME PREFIX: one shipper run; sets SHIP_S (from launch), SHIP_FIRST_S, SHIP_NOTE.
ship() {
  local name=$1 stream=$2 first done count e0 b0
  e0=$(cpu_secs "$espid")
  b0=$(es_bulk_stats)
  start_shipper "$name" "$port" --outputs=elasticsearch --elasticsearch.url="$ES_URL" \
    --elasticsearch.index.prefix="$stream" --elasticsearch.batch.events=5000 \
    --elasticsearch.batch.bytes=5m --elasticsearch.batch.linger.ms=200 --queue.bytes=16m
  read -r first done < <(wait_metric "$port" "$(shipped_re elasticsearch)" "$total" 600 "$LINES_READ") || true
  [ "$done" != - ] || { tail -20 "$WORK/$name.err" >&2; exit 1; }
  count=$(es_count "$stream-*")
  done=$(now)
  SHIP_S=$(secs "$SHIPPER_T0" "$done")
  SHIP_FIRST_S=$(secs "$first" "$done")
  sleep 1
  SHIP_NOTE="CPU shipper $(cpu_secs "$SHIPPER_PID") s, ES $(secs "$e0" "$(cpu_secs "$espid")") s; $(es_bulk_delta "$b0" "$total"); _count=$count shipped=$(metric "$port" "$(shipped_re elasticsearch)") dups=$(metric "$port" '^swarmscope_log_duplicates_suppressed_total') errors=$(metric "$port" '^swarmscope_output_errors_total') lag max=$(metric_max "$port" '^swarmscope_log_lag_seconds') s RSS $(rss_mib "$SHIPPER_PID") MiB; load $(load)"
  stop_pid "$SHIPPER_PID"
}

ship shipper1 swarmscope-logs-bench-shipper-$RUN_ID
ship1_s=$SHIP_S ship1_first_s=$SHIP_FIRST_S ship1_note=$SHIP_NOTE

read -r docs files mean_bytes < <(python3 "$BENCH_ROOT/scripts/bench/es_export_bulk.py" "$ES_URL" "swarmscope-logs-bench-shipper-$RUN_ID-*" "$WORK/bulk" 5000)
echo "exported $docs documents into $files _bulk files of 5000 (mean _source $mean_bytes bytes, $(du -sm "$WORK/bulk" | cut -f1) MB of bodies)"
[ "$docs" -eq "$total" ] || echo "WARNING: exported $docs documents, expected $total"

# load P STREAM: curl the bulk files, P requests in flight; prints seconds and errors seen.
bulk_load() {
  local p=$1 stream=$2 t0 t1 count e0 b0
  e0=$(cpu_secs "$espid")
  b0=$(es_bulk_stats)
  t0=$(now)
  ls "$WORK"/bulk/bulk-*.ndjson | xargs -P "$p" -I{} sh -c \
    'curl -s -o "$1.$3.resp" -H "Content-Type: application/x-ndjson" --data-binary @"$1" "$2/$3/_bulk"; head -c 100 "$1.$3.resp" | grep -c "\"errors\":true" || true' \
    _ {} "$ES_URL" "$stream" >"$WORK/bulk.$stream.errors"
  count=$(es_count "$stream")
  t1=$(now)
  echo "$(secs "$t0" "$t1") $count $(awk '{ s += $1 } END { print s + 0 }' "$WORK/bulk.$stream.errors") $(secs "$e0" "$(cpu_secs "$espid")") $(es_bulk_delta "$b0" "$total" | awk '{ print $(NF - 1) "s" }')"
}
read -r b1_s b1_count b1_err b1_cpu b1_busy < <(bulk_load 1 swarmscope-logs-bench-bulk1-$RUN_ID)
b1_load=$(load)
read -r b2_s b2_count b2_err b2_cpu b2_busy < <(bulk_load 2 swarmscope-logs-bench-bulk2-$RUN_ID)
b2_load=$(load)

ship shipper2 swarmscope-logs-bench-shipper2-$RUN_ID
ship2_s=$SHIP_S ship2_first_s=$SHIP_FIRST_S ship2_note=$SHIP_NOTE

b1_rate=$(rate "$total" "$b1_s")
b2_rate=$(rate "$total" "$b2_s")
for i in 1 2; do
  eval "s=\$ship${i}_s fs=\$ship${i}_first_s note=\$ship${i}_note"
  row "shipper #$i, from launch" "$s" "$(rate "$total" "$s")" "$(ratio "$(rate "$total" "$s")" "$b1_rate") / $(ratio "$(rate "$total" "$s")" "$b2_rate")" "$note"
  row "shipper #$i, from first read" "$fs" "$(rate "$total" "$fs")" "$(ratio "$(rate "$total" "$fs")" "$b1_rate") / $(ratio "$(rate "$total" "$fs")" "$b2_rate")" ""
done
row "curl _bulk, 1 in flight" "$b1_s" "$b1_rate" "1.00 / $(ratio "$b1_rate" "$b2_rate")" "CPU ES $b1_cpu s; ES bulk time $b1_busy; _count=$b1_count, bulk responses with errors: $b1_err; load $b1_load"
row "curl _bulk, 2 in flight" "$b2_s" "$b2_rate" "$(ratio "$b2_rate" "$b1_rate") / 1.00" "CPU ES $b2_cpu s; ES bulk time $b2_busy; _count=$b2_count, bulk responses with errors: $b2_err; load $b2_load"

echo
printf '%-32s | %8s | %8s | %12s | %s\n' "loader ($n x $m docs)" seconds "docs/s" "x bulk1/bulk2" notes
printf '%s\n' "${rows[@]}"
echo
best_ship=$(awk -v a="$ship1_s" -v b="$ship2_s" 'BEGIN { print (a < b ? a : b) }')
echo "shipper (best of 2, from launch) / curl _bulk 1 in flight: $(ratio "$(rate "$total" "$best_ship")" "$b1_rate")   target >= 0.8"
echo "shipper (best of 2, from launch) / curl _bulk 2 in flight: $(ratio "$(rate "$total" "$best_ship")" "$b2_rate")"
echo "load average at end: $(load)"
shipper_problems shipper1
shipper_problems shipper2
