#!/usr/bin/env bash
# Scrape latency and memory of the exporter with 0, 25 and 100 running containers, side by side
# with node_exporter's host-only scrape in the same run. Run by hand on a machine set up by
# scripts/setup-host.sh, after `./mvnw -B -q package -DskipTests`:
#
#   scripts/bench-scrape.sh [scrapes-per-step]     (default 200)
#
# Prints one table row per step: p50/p90 scrape time (curl time_total over one kept-alive
# connection, after a warm-up), CPU milliseconds per scrape (user + system of the process over the
# measured scrapes), response lines, and the exporter's RSS (VmRSS) after the step.
# Creates busybox containers labelled io.swarmscope.bench=1 and removes them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scrapes=${1:-200}
warmup=50
ne_port=19100
ss_port=19101
label=io.swarmscope.bench
jar=exporter/target/swarmscope-exporter.jar
[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -B -q package -DskipTests first" >&2; exit 1; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ids=$(docker ps -aq --filter "label=$label=1")
  [ -z "$ids" ] || docker rm -f $ids >/dev/null
}
trap cleanup EXIT
cleanup

prometheus-node-exporter --web.listen-address=127.0.0.1:$ne_port >/tmp/bench-node-exporter.log 2>&1 &
pids+=($!)
ne_pid=$!
scripts/run-exporter.sh --web.listen-address=127.0.0.1:$ss_port >/tmp/bench-swarmscope.log 2>&1 &
pids+=($!)
ss_pid=$!
for port in $ne_port $ss_port; do
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/metrics" && break; sleep 0.2; done
done

# CPU time (user + system, in clock ticks) the process $1 has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# p50 and p90 in milliseconds of $scrapes scrapes of $1, after $warmup unmeasured ones, and the
# CPU milliseconds process $2 spent per measured scrape (less sensitive to a busy machine).
measure() {
  local url=$1 pid=$2 args=() before tck
  tck=$(getconf CLK_TCK)
  for _ in $(seq "$warmup"); do args+=(-o /dev/null "$url"); done
  curl -s "${args[@]}"
  args=()
  for _ in $(seq "$scrapes"); do args+=(-o /dev/null "$url"); done
  before=$(cpu_ticks "$pid")
  curl -s -w '%{time_total}\n' "${args[@]}" | sort -n | awk -v cpu0="$before" -v cpu1_file="/proc/$pid/stat" -v tck="$tck" '
    { t[NR] = $1 * 1000 }
    END {
      getline stat < cpu1_file; split(stat, f, " ")
      printf "%.2f %.2f %.2f\n", t[int(NR * 0.5 + 0.5)], t[int(NR * 0.9 + 0.5)], (f[14] + f[15] - cpu0) * 1000 / tck / NR }'
}
rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), docker $(docker version --format '{{.Server.Version}}'), cgroup v$(docker info --format '{{.CgroupVersion}}')"
echo "java: $(scripts/java-home.sh)/bin/java $(grep -v "^#" exporter/jvm.flags | tr "\n" " ")"
printf '%-10s | %-22s | %-8s | %-6s | %-8s | %-24s | %-8s | %-6s | %-8s | %s\n' containers "node_exporter p50/p90" "CPU ms" lines "RSS MiB" "swarmscope p50/p90 (ms)" "CPU ms" lines "RSS MiB" "ms/container (p50 delta)"
base_p50=""
running=0
for n in 0 25 100; do
  while [ "$running" -lt "$n" ]; do
    docker run -d --label "$label=1" local/busybox:1 sleep 3600 >/dev/null
    running=$((running + 1))
  done
  # wait until the exporter's inventory (fed by events) lists them all
  for _ in $(seq 150); do
    seen=$(curl -s "http://127.0.0.1:$ss_port/metrics" | grep -c '^container_last_seen{.*image="local/busybox:1"' || true)
    [ "$seen" -ge "$n" ] && break
    sleep 0.2
  done
  read -r ne50 ne90 necpu < <(measure "http://127.0.0.1:$ne_port/metrics" "$ne_pid")
  read -r ss50 ss90 sscpu < <(measure "http://127.0.0.1:$ss_port/metrics" "$ss_pid")
  ne_lines=$(curl -s "http://127.0.0.1:$ne_port/metrics" | grep -vc '^#')
  ss_lines=$(curl -s "http://127.0.0.1:$ss_port/metrics" | grep -vc '^#')
  [ -n "$base_p50" ] || base_p50=$ss50
  per=$([ "$n" -gt 0 ] && awk -v a="$ss50" -v b="$base_p50" -v n="$n" 'BEGIN { printf "%.3f", (a - b) / n }' || echo "-")
  printf '%-10s | %-22s | %-8s | %-6s | %-8s | %-24s | %-8s | %-6s | %-8s | %s\n' "$n" "$ne50 / $ne90" "$necpu" "$ne_lines" "$(rss_mib $ne_pid)" "$ss50 / $ss90" "$sscpu" "$ss_lines" "$(rss_mib $ss_pid)" "$per"
done
