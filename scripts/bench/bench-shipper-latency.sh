#!/usr/bin/env bash
# End-to-end delay of the log shipper into Elasticsearch: from Docker receiving a line to the line
# being searchable.
#
#   scripts/bench/bench-shipper-latency.sh [lines-per-second] [seconds]     (default 1000 60)
#   ALT_REFRESH=200ms (default): the refresh_interval of the second stream
#
# Starts its own Elasticsearch node (as bench-shipper-es.sh) and installs the template with
# `setup`. One busybox container writes lines at the given rate for the given time (paced by
# /proc/uptime in centiseconds: busybox `date` has no %N, so the line cannot carry its own write
# time; Docker's timestamp, the document's @timestamp, is the write time). Two shippers
# (--outputs=elasticsearch, default batching: 5000 events / 5 MB / 200 ms linger) follow the
# same container side by side:
#   template  into swarmscope-logs-bench-latency-<run>-*: the product's index template as `setup`
#             installs it (refresh_interval printed below)
#   alt       into swarmscope-logs-benchalt-latency-<run>-*: the same template with refresh_interval
#             $ALT_REFRESH (an extra template of higher priority), to show what the refresh adds
# scripts/bench/es_latency_poll.py polls both streams every 100 ms for documents newer than the
# last seen (sorted by @timestamp) and records (time seen) - (@timestamp) for each new one.
set -euo pipefail
. "$(dirname "$0")/shipper-lib.sh"
rate_per_s=${1:-1000}
seconds=${2:-60}
total=$((rate_per_s * seconds))
port=19421
bench_init bench-shipper-latency
bench_header "scripts/bench/bench-shipper-latency.sh $rate_per_s $seconds"
es_start
"$JAVA" -jar "$JAR" setup --elasticsearch.url="$ES_URL" >"$WORK/setup.out" 2>&1 || { cat "$WORK/setup.out" >&2; exit 1; }
alt_refresh=${ALT_REFRESH:-200ms}
# The template `setup` installed, with another pattern, priority and refresh_interval.
curl -s "$ES_URL/_index_template/swarmscope-logs" | jq --arg r "$alt_refresh" '.index_templates[0].index_template
  | del(.created_date, .created_date_millis, .modified_date, .modified_date_millis)
  | .index_patterns = ["swarmscope-logs-benchalt-*"] | .priority = 250 | .template.settings.index.refresh_interval = $r' \
  >"$WORK/alt-template.json"
curl -sf -XPUT -H 'Content-Type: application/json' "$ES_URL/_index_template/swarmscope-bench-alt" \
  --data-binary @"$WORK/alt-template.json" >/dev/null
echo "templates: $(curl -s "$ES_URL/_index_template/*" | jq -c '[.index_templates[] | {name, patterns: .index_template.index_patterns, priority: .index_template.priority, refresh: .index_template.template.settings.index.refresh_interval}]')"
slow=swarmscope-logs-bench-latency-$RUN_ID
fast=swarmscope-logs-benchalt-latency-$RUN_ID
# Create today's index of both now (one old marker document each), as on a running system, so the
# first lines do not wait for the index to be created; the poller counts only newer documents.
for s in $slow $fast; do
  curl -sf -XPOST -H 'Content-Type: application/json' "$ES_URL/$s-$(date -u +%Y.%m.%d)/_doc?refresh=true" \
    -d '{"@timestamp":"2000-01-01T00:00:00Z","message":"bench marker"}' >/dev/null
done

start_shipper slow "$port" --outputs=elasticsearch --elasticsearch.url="$ES_URL" --elasticsearch.index.prefix=$slow
slow_pid=$SHIPPER_PID
start_shipper fast $((port + 1)) --outputs=elasticsearch --elasticsearch.url="$ES_URL" --elasticsearch.index.prefix=$fast
fast_pid=$SHIPPER_PID
wait_http "http://127.0.0.1:$port/metrics" "$slow_pid"
wait_http "http://127.0.0.1:$((port + 1))/metrics" "$fast_pid"

python3 "$BENCH_ROOT/scripts/bench/es_latency_poll.py" "$ES_URL" $((seconds + 2)) 0.1 "$(date +%s%N)" "$slow-*" "$fast-*" >"$WORK/poll.out" 2>"$WORK/poll.err" &
poll_pid=$!
bench_pids+=("$poll_pid")
# ~100-byte lines: "<n> latency-probe xxx..."; the writer catches up to rate * elapsed every 5 ms.
writer='pad=$(printf "%080d" 0 | tr 0 x); read up _ </proc/uptime; c0=${up%.*}${up#*.}; sent=0
while [ $sent -lt '"$total"' ]; do
  read up _ </proc/uptime; c=${up%.*}${up#*.}; want=$(( (c - c0) * '"$rate_per_s"' / 100 ))
  [ $want -le '"$total"' ] || want='"$total"'
  while [ $sent -lt $want ]; do sent=$((sent + 1)); echo "$sent latency-probe $pad"; done
  usleep 5000
done
exec sleep 3600'
sleep 1
t0=$(now)
id=$(run_writer "$BENCH_IMAGE" sh -c "$writer")
loads=()
for _ in $(seq $((seconds / 10))); do sleep 10; loads+=("$(load | cut -d' ' -f1)"); done
wait "$poll_pid" || true
forget_pid "$poll_pid"
written=$(curl -s --unix-socket /var/run/docker.sock "http://localhost/containers/$id/logs?stdout=1&stderr=1" | wc -l)
first=$(curl -s --unix-socket /var/run/docker.sock "http://localhost/containers/$id/logs?stdout=1&timestamps=1" | head -1 | tail -c +9 | cut -d' ' -f1 || true)
last=$(curl -s --unix-socket /var/run/docker.sock "http://localhost/containers/$id/logs?stdout=1&timestamps=1&tail=1" | tail -c +9 | cut -d' ' -f1)
span=$(awk -v a="$(date -d "$first" +%s.%N)" -v b="$(date -d "$last" +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "writer: $written lines in $span s ($(rate "$written" "$span") lines/s); load average every 10 s: ${loads[*]}"

echo
printf '%-56s | %6s | %7s | %7s | %7s | %7s | %s\n' "stream (refresh_interval)" docs "p50 s" "p90 s" "p99 s" "max s" "notes"
while read -r stream seen p50 p90 p99 max polls poll_ms p99_steady; do
  if [ "$stream" = "$slow-*" ]; then p=$port; r=$(curl -s "$ES_URL/$stream/_settings" | jq -r '[.[].settings.index.refresh_interval] | first'); else p=$((port + 1)); r=$alt_refresh; fi
  count=$(($(es_count "$stream") - 1))  # without the marker
  note="_count=$count shipped=$(metric $p "$(shipped_re elasticsearch)") errors=$(metric $p '^swarmscope_output_errors_total') dups=$(metric $p '^swarmscope_log_duplicates_suppressed_total'); p99 after the first 10 s $p99_steady s; $polls searches, mean $poll_ms ms"
  printf '%-56s | %6s | %7s | %7s | %7s | %7s | %s\n' "$stream ($r)" "$seen" "$p50" "$p90" "$p99" "$max" "$note"
done <"$WORK/poll.out"
echo
echo "delay over time (5 s buckets of @timestamp: docs, p50 s, max s):"
paste <(sed -n "/^$slow/,/^logs-/p" "$WORK/poll.err" | grep '^ ') <(sed -n "/^$fast/,\$p" "$WORK/poll.err" | grep '^ ') | sed 's/^/  /'
echo "target p99 <= 2 s (delay = time the document was first seen by a search, polled every 100 ms, minus its @timestamp)"
echo "load average at end: $(load)"
shipper_problems slow
shipper_problems fast
