#!/usr/bin/env bash
# Throughput of the log shipper's logstash output (JSON lines and RFC 5424 syslog over TCP) beside
# --outputs=stdout (to /dev/null) and --outputs=null, on the same stored lines, in one run:
#
#   scripts/bench/bench-shipper-logstash.sh [containers] [lines-per-container]   (default 5 50000)
#
# N busybox containers (json-file driver) write M numbered 100-byte lines each, then sleep (they
# keep running, so the shipper follows them and reads their logs from the start). When all are
# written, the shipper (the packaged jar, the image's JVM flags) is started fresh for each round,
# with a fresh checkpoint dir, and timed from its launch and from its first line read until
# swarmscope_log_events_shipped_total{output=...} (polled every 100 ms) reaches N*M; for the
# logstash rounds also until the receiver counted N*M messages (the later of the two is the end):
#   null         --outputs=null (the reading side alone)
#   stdout       --outputs=stdout, stdout to /dev/null
#   json         --outputs=logstash --logstash.protocol=json (newline framing)
#   syslog5424   --outputs=logstash --logstash.protocol=syslog5424 (octet counting)
#   null #2      as null, last: brackets the run against drift
# The receiver is scripts/bench/LineSink.java (JDK only): one thread per connection reading 256 KiB
# at a time, counting '\n' or octet-counted frames and discarding the bytes (~1 GB/s: not the
# bottleneck).
#
# Needs: the shipper jar (./mvnw -B -q -pl log-shipper -am package -DskipTests).
set -euo pipefail
. "$(dirname "$0")/shipper-lib.sh"
n=${1:-5}
m=${2:-50000}
total=$((n * m))
port=19421
sink_port=19431
bench_init bench-shipper-logstash
bench_header "scripts/bench/bench-shipper-logstash.sh $n $m"

mkdir -p "$WORK/sink"
"$JAVA_HOME/bin/javac" -d "$WORK/sink" "$BENCH_ROOT/scripts/bench/LineSink.java"

sig=$WORK/sig
mkdir -p "$sig"
for _ in $(seq "$n"); do
  run_writer -v "$sig:/sig" "$BENCH_IMAGE" sh -c "$(awk_writer "$m"); touch /sig/done.\$HOSTNAME; exec sleep 3600" >/dev/null
done
for _ in $(seq 1200); do [ "$(ls "$sig" | grep -c '^done\.')" -ge "$n" ] && break; sleep 0.1; done
[ "$(ls "$sig" | grep -c '^done\.')" -ge "$n" ] || { echo "writers did not finish" >&2; exit 1; }
sleep 1
echo "$n containers x $m lines written (100 bytes each); load $(load)"

rows=()
row() { rows+=("$(printf '%-12s | %8s | %9s | %10s | %9s | %s' "$@")"); }

# sink_count FILE: the receiver's last count (0 before the first).
sink_count() { tail -n 1 "$1" 2>/dev/null | awk 'NF == 2 { print $2; next } { print 0 }'; }

# round NAME OUTPUT SINK_MODE ARGS...: one shipper run (SINK_MODE "-" for none).
round() {
  local name=$1 output=$2 mode=$3 first done t_sink="" sink_pid="" got=- c0
  shift 3
  if [ "$mode" != - ]; then
    sink_port=$((sink_port + 1))
    "$JAVA" -Xmx64m -cp "$WORK/sink" LineSink "$sink_port" "$mode" >"$WORK/$name.sink" 2>&1 &
    sink_pid=$!
    bench_pids+=("$sink_pid")
    for _ in $(seq 100); do grep -q '^listening' "$WORK/$name.sink" && break; sleep 0.1; done
    set -- "$@" --logstash.address="127.0.0.1:$sink_port"
  fi
  # stdout of the shipper: /dev/null for every round (start_shipper writes $WORK/NAME.out).
  ln -sf /dev/null "$WORK/$name.out"
  port=$((port + 1))
  start_shipper "$name" "$port" --outputs="$output" "$@"
  read -r first done < <(wait_metric "$port" "$(shipped_re "$output")" "$total" 600 "$LINES_READ") || true
  [ "$done" != - ] || { tail -20 "$WORK/$name.err" >&2; exit 1; }
  if [ -n "$sink_pid" ]; then
    for _ in $(seq 600); do
      got=$(sink_count "$WORK/$name.sink")
      [ "$got" -ge "$total" ] && break
      sleep 0.1
    done
    t_sink=$(awk -v t="$total" 'NF == 2 && $2 >= t { print $1; exit }' "$WORK/$name.sink")
    [ -n "$t_sink" ] || { echo "$name: receiver counted $got of $total" >&2; exit 1; }
    # The receiver prints every 100 ms: its time is at most 0.1 s late.
    done=$(awk -v a="$done" -v b="$t_sink" 'BEGIN { print (b > a ? b : a) }')
  fi
  local cpu rss errs
  cpu=$(cpu_secs "$SHIPPER_PID")
  rss=$(rss_mib "$SHIPPER_PID")
  errs=$(metric "$port" '^swarmscope_output_errors_total')
  stop_pid "$SHIPPER_PID"
  [ -z "$sink_pid" ] || stop_pid "$sink_pid"
  local s_launch s_first
  s_launch=$(secs "$SHIPPER_T0" "$done")
  s_first=$(secs "$first" "$done")
  row "$name" "$s_launch" "$(rate $total "$s_launch")" "$s_first" "$(rate $total "$s_first")" \
    "received=$got errors=$errs CPU $cpu s RSS $rss MiB; load $(load)"
}

round null null -
round stdout stdout -
round json logstash newline --logstash.protocol=json --logstash.transport=tcp
round syslog5424 logstash octet --logstash.protocol=syslog5424 --logstash.transport=tcp
round "null#2" null -

echo
printf '%-12s | %8s | %9s | %10s | %9s | %s\n' "output" "s launch" "lines/s" "s 1st line" "lines/s" "notes ($n x $m lines)"
printf '%s\n' "${rows[@]}"
echo "load average at end: $(load)"
for r in null stdout json syslog5424; do shipper_problems "$r"; done
