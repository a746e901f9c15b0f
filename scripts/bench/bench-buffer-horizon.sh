#!/usr/bin/env bash
# The buffer horizon the shipper exports for a container with small rotation limits, next to what
# Docker really keeps of its log.
#
#   scripts/bench/bench-buffer-horizon.sh [lines-per-second] [seconds]     (default 500 90)
#   BENCH_PREFIX=bench (default): start of the writer container's name
#
# One busybox container (json-file, --log-opt max-size=1m --log-opt max-file=2) writes 100-byte
# lines ("<n> horizon-probe xxx...") paced by /proc/uptime to the given rate; the shipper
# (--outputs=null, the image's JVM flags) follows it. Every 10 s the script prints the shipper's
# swarmscope_log_buffer_horizon_seconds for the container, and the log time Docker still holds:
# from the oldest line the log API returns to the newest (json-file keeps between 1 and 2 files of
# 1 MB, so this sawtooths between about half the horizon and the horizon itself).
set -euo pipefail
. "$(dirname "$0")/shipper-lib.sh"
rate_per_s=${1:-500}
seconds=${2:-90}
total=$((rate_per_s * seconds))
port=19431
bench_init bench-buffer-horizon
bench_header "scripts/bench/bench-buffer-horizon.sh $rate_per_s $seconds"
start_shipper horizon "$port" --outputs=null
wait_http "http://127.0.0.1:$port/metrics" "$SHIPPER_PID"

writer='pad=$(printf "%082d" 0 | tr 0 x); read up _ </proc/uptime; c0=${up%.*}${up#*.}; sent=0
while [ $sent -lt '"$total"' ]; do
  read up _ </proc/uptime; c=${up%.*}${up#*.}; want=$(( (c - c0) * '"$rate_per_s"' / 100 ))
  [ $want -le '"$total"' ] || want='"$total"'
  while [ $sent -lt $want ]; do sent=$((sent + 1)); printf "%08d horizon-probe %s\n" $sent "$pad"; done
  usleep 5000
done
exec sleep 3600'
id=$(run_writer --name "${BENCH_PREFIX:-bench}-horizon-$RUN_ID" --log-opt max-size=1m \
  --log-opt max-file=2 "$BENCH_IMAGE" sh -c "$writer")
api() { curl -s --unix-socket /var/run/docker.sock "http://localhost/containers/$id/logs?stdout=1&timestamps=1$1" || true; }
ts() { date -d "$1" +%s.%N; }
printf '%6s | %9s | %12s | %14s | %s\n' "t s" "lines" "horizon s" "Docker keeps s" "log files (bytes)"
for t in $(seq 10 10 "$seconds"); do
  sleep 10
  horizon=$(curl -s "http://127.0.0.1:$port/metrics" | awk -v c="${id:0:12}" '/^swarmscope_log_buffer_horizon_seconds\{/ { print $2 }' | head -1)
  first=$(api "" | head -1 | tail -c +9 | cut -d' ' -f1)
  last=$(api "&tail=1" | tail -c +9 | cut -d' ' -f1)
  n=$(api "&tail=1" | tail -c +9 | cut -d' ' -f2)
  keeps=$(awk -v a="$(ts "$first")" -v b="$(ts "$last")" 'BEGIN { printf "%.1f", b - a }')
  files=$(ls -l "$(docker inspect --format '{{.LogPath}}' "$id")"* 2>/dev/null | awk '{ printf "%s ", $5 }')
  printf '%6s | %9s | %12s | %14s | %s\n' "$t" "$((10#$n))" "$horizon" "$keeps" "$files"
done
bytes=$(api "&tail=1" | wc -c)
echo "writer: $rate_per_s lines/s of $((bytes - 8 - 31)) bytes each (text and newline); json-file adds ~70 bytes a line"
echo "shipper: $(metric "$port" '^swarmscope_log_lines_read_total') lines read, rotation losses $(metric "$port" '^swarmscope_log_rotation_losses_total'); load $(load)"
