#!/usr/bin/env bash
# Memory of the log shipper (--outputs=null, the image's JVM flags) following many chatty
# containers:
#
#   scripts/bench/bench-shipper-rss.sh [containers] [seconds]     (default 100 60)
#
# Starts the shipper with no matching container and reports its VmRSS and used heap after 20 s
# (the reference), then starts the containers (busybox loops writing one ~100-byte line a second
# each), waits until the shipper follows all of them, and samples VmRSS every 5 s for the given
# time: the table shows the last and the highest sample, the used heap (jcmd GC.heap_info, no GC
# forced) at the end, and the lines read against the lines the containers wrote.
set -euo pipefail
. "$(dirname "$0")/shipper-lib.sh"
n=${1:-100}
seconds=${2:-60}
port=19431
bench_init bench-shipper-rss
bench_header "scripts/bench/bench-shipper-rss.sh $n $seconds"

start_shipper rss "$port" --outputs=null
wait_http "http://127.0.0.1:$port/metrics" "$SHIPPER_PID"
sleep 20
idle_rss=$(rss_mib "$SHIPPER_PID")
idle_heap=$(heap_used_mib "$SHIPPER_PID")
idle_threads=$(awk '/^Threads/ { print $2 }' "/proc/$SHIPPER_PID/status")
idle_load=$(load)

t0=$(now)
seq "$n" | xargs -P 4 -I{} docker run -d --label "$BENCH_LABEL=$BENCH_NAME" --log-driver json-file "$BENCH_IMAGE" \
  sh -c 'i=0; while :; do i=$((i + 1)); echo "$i $HOSTNAME rss-probe xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; sleep 1; done' >/dev/null
for _ in $(seq 600); do
  [ "$(metric "$port" '^swarmscope_log_followed_containers')" -ge "$n" ] && break
  sleep 0.2
done
followed=$(metric "$port" '^swarmscope_log_followed_containers')
echo "$n containers started in $(secs "$t0" "$(now)") s; shipper follows $followed; load $(load)"

max=0
samples=()
for _ in $(seq $((seconds / 5))); do
  sleep 5
  r=$(rss_mib "$SHIPPER_PID")
  samples+=("$r")
  max=$(awk -v a="$max" -v b="$r" 'BEGIN { print (b > a ? b : a) }')
done
busy_rss=$(rss_mib "$SHIPPER_PID")
busy_heap=$(heap_used_mib "$SHIPPER_PID")
busy_threads=$(awk '/^Threads/ { print $2 }' "/proc/$SHIPPER_PID/status")
read_lines=$(metric "$port" "$LINES_READ")
shipped=$(metric "$port" "$(shipped_re null)")
lag=$(metric_max "$port" '^swarmscope_log_lag_seconds')
written=0
for id in $(docker ps -q --filter "label=$BENCH_LABEL=$BENCH_NAME"); do
  c=$(curl -s --unix-socket /var/run/docker.sock "http://localhost/containers/$id/logs?stdout=1&stderr=1&tail=1" | tail -c +9 | cut -d' ' -f1)
  written=$((written + c))
done
busy_load=$(load)

echo
printf '%-10s | %8s | %8s | %23s | %7s | %s\n' containers "RSS MiB" "max MiB" "heap used/committed MiB" threads notes
printf '%-10s | %8s | %8s | %23s | %7s | %s\n' 0 "$idle_rss" "-" "$idle_heap" "$idle_threads" "after 20 s idle; load $idle_load"
printf '%-10s | %8s | %8s | %23s | %7s | %s\n' "$n" "$busy_rss" "$max" "$busy_heap" "$busy_threads" "after ${seconds} s; lines written=$written (about; read just now) read=$read_lines shipped(null)=$shipped lag max=$lag s; load $busy_load"
echo
echo "RSS samples every 5 s (MiB): ${samples[*]}"
echo "target RSS <= 128 MiB; heap cap -Xmx64m (log-shipper/jvm.flags)"
shipper_problems rss
