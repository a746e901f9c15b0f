#!/usr/bin/env bash
# What the read-only Docker API proxy costs the shipper's main path: reading stored log lines
# through the Docker log API, straight from the engine's socket vs through the proxy
# (config/docker-api-proxy/haproxy.cfg on local/haproxy:bundle-test, run as stack.yml runs it),
# alternating, several rounds:
#
#   scripts/bench/bench-docker-api-proxy.sh [lines] [rounds]      (default 1000000 3)
#
# One busybox container writes LINES numbered 100-byte lines (json-file driver), then sleeps;
# each round reads /containers/ID/logs?stdout=1&timestamps=1 to wc -c once directly and once
# through the proxy (curl over TCP on 127.0.0.1), and prints wall time, MB/s and the CPU seconds
# dockerd and HAProxy used. Needs scripts/build-bundle-images.sh's local/haproxy:bundle-test.
# BENCH_PREFIX (default swarmscope-bench) names the containers; they are removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lines=${1:-1000000}
rounds=${2:-3}
prefix=${BENCH_PREFIX:-swarmscope-bench}
writer=$prefix-proxy-writer
proxy=$prefix-proxy
cleanup() { docker rm -f "$writer" "$proxy" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

echo "# bench-docker-api-proxy: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r), docker $(docker version -f '{{.Server.Version}}'), $(docker run --rm --entrypoint haproxy local/haproxy:bundle-test -v | head -1 | cut -d' ' -f1-3)"
echo "# command: scripts/bench/bench-docker-api-proxy.sh $lines $rounds"
docker run -d --name "$writer" local/busybox:1 sh -c \
  "i=0; pad=\$(printf '%080d' 0); while [ \$i -lt $lines ]; do i=\$((i+1)); printf 'line %010d %s\n' \$i \$pad; done; exec sleep 3600" >/dev/null
docker run -d --name "$proxy" --user 0:0 --read-only --cap-drop ALL --tmpfs /run/swarmscope-docker-api \
  -e DOCKER_API_PROXY_TCP=:2375 -p 127.0.0.1::2375 \
  -v /var/run/docker.sock:/var/run/docker.sock:ro \
  -v "$root/config/docker-api-proxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" \
  local/haproxy:bundle-test >/dev/null
id=$(docker inspect -f '{{.Id}}' "$writer")
addr=$(docker port "$proxy" 2375/tcp | head -1)
# Wait until every line is stored.
last=$(printf 'line %010d' "$lines")
until docker logs --tail 1 "$writer" 2>/dev/null | grep -q "^$last "; do sleep 1; done

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
dockerd_pid=$(pgrep -xo dockerd)
hz=$(getconf CLK_TCK)
read_once() {  # read_once LABEL CURL-ARGS...
  local label=$1; shift
  local d0 h0 t0 bytes t1 d1 h1
  d0=$(ticks "$dockerd_pid"); h0=$(cat /sys/fs/cgroup/cpuacct/docker/"$(docker inspect -f '{{.Id}}' "$proxy")"/cpuacct.usage 2>/dev/null || echo 0)
  t0=$(date +%s.%N)
  bytes=$(curl -s "$@" | wc -c)
  t1=$(date +%s.%N)
  d1=$(ticks "$dockerd_pid"); h1=$(cat /sys/fs/cgroup/cpuacct/docker/"$(docker inspect -f '{{.Id}}' "$proxy")"/cpuacct.usage 2>/dev/null || echo 0)
  awk -v l="$label" -v b="$bytes" -v t0="$t0" -v t1="$t1" -v d="$(( d1 - d0 ))" -v hz="$hz" -v h="$(( h1 - h0 ))" \
    'BEGIN { t = t1 - t0; printf "| %s | %.1f MB | %.2f s | %.1f MB/s | %.2f s | %.2f s |\n", l, b/1e6, t, b/1e6/t, d/hz, h/1e9 }'
}
echo
echo "| read | bytes | wall | rate | dockerd CPU | HAProxy CPU |"
echo "| --- | --- | --- | --- | --- | --- |"
path="/v1.41/containers/$id/logs?stdout=1&timestamps=1"
for r in $(seq "$rounds"); do
  read_once "direct (round $r)" --unix-socket /var/run/docker.sock "http://localhost$path"
  read_once "proxy (round $r)" "http://$addr$path"
done
