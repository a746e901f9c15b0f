# Shared helpers of the log shipper benchmarks (scripts/bench/bench-shipper-*.sh); sourced, not run.
#
# Settings (environment):
#   SHIPPER_JAR   the shipper's fat jar (default log-shipper/target/swarmscope-log-shipper.jar; the
#                 scripts copy it to their work dir first, so a rebuild during a run does not matter)
#   JAVA_HOME     a JDK >= 21 (default: scripts/java-home.sh)
#   SHIPPER_FLAGS JVM flags file (default log-shipper/jvm.flags, the image's flags)
#   SHIPPER_JAVA_OPTS  extra JVM options after the flags file (e.g. a JFR recording)
#   BENCH_IMAGE   image of the log-writing containers (default local/busybox:1)
#   ES_ZIP        Elasticsearch distribution zip (default: the 9.2.0 integ-test-zip in ~/.m2)
#   ES_PORT       HTTP port of the benchmark's own Elasticsearch node (default 9250; 9350 transport)
#
# Every container a benchmark starts carries the label io.swarmscope.bench.shipper=<script>; the
# EXIT trap removes them, stops the processes started here (by pid) and the Elasticsearch node
# if this script started it.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_LABEL=io.swarmscope.bench.shipper
BENCH_IMAGE=${BENCH_IMAGE:-local/busybox:1}
ES_ZIP=${ES_ZIP:-$HOME/.m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch/9.2.0/elasticsearch-9.2.0.zip}
ES_PORT=${ES_PORT:-9250}
ES_URL=http://127.0.0.1:$ES_PORT
SHIPPER_FLAGS=${SHIPPER_FLAGS:-$BENCH_ROOT/log-shipper/jvm.flags}
bench_pids=()
bench_es_started=""

# bench_init NAME: work dir, java, jar copy, trap. Sets BENCH_NAME, WORK, JAVA, JAR.
bench_init() {
  BENCH_NAME=$1
  # Part of every index name: a node reused from an earlier run cannot hold its documents.
  RUN_ID=$(date -u +%Y%m%d-%H%M%S)
  WORK=$(mktemp -d "/tmp/$BENCH_NAME.XXXXXX")
  JAVA_HOME=$("$BENCH_ROOT/scripts/java-home.sh")
  JAVA=$JAVA_HOME/bin/java
  local jar=${SHIPPER_JAR:-$BENCH_ROOT/log-shipper/target/swarmscope-log-shipper.jar}
  [ -f "$jar" ] || { echo "missing $jar: run ./mvnw -B -q -pl log-shipper -am package -DskipTests first" >&2; exit 1; }
  JAR=$WORK/swarmscope-log-shipper.jar
  cp "$jar" "$JAR"
  SHIPPER_FLAGS_SOURCE=$SHIPPER_FLAGS
  cp "$SHIPPER_FLAGS" "$WORK/jvm.flags"
  SHIPPER_FLAGS=$WORK/jvm.flags
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  bench_remove_containers
}

bench_remove_containers() {
  local ids
  ids=$(docker ps -aq --filter "label=$BENCH_LABEL=$BENCH_NAME")
  [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
}

bench_cleanup() {
  local p
  for p in "${bench_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${bench_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  bench_remove_containers
  if [ -n "$bench_es_started" ]; then
    kill "$bench_es_started" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$bench_es_started" 2>/dev/null || break; sleep 0.5; done
  fi
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}

# stop_pid PID: stops a process started here and forgets it.
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  forget_pid "$1"
}

# forget_pid PID: a process started here has been waited for; do not stop it on exit.
forget_pid() {
  local p keep=()
  for p in "${bench_pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  bench_pids=("${keep[@]}")
}

now() { echo "$EPOCHREALTIME"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

bench_header() {
  echo "command: $*"
  echo "date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')  machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), docker $(docker version --format '{{.Server.Version}}'), java $("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)"
  echo "shipper: $(tr '\n' ' ' <"$SHIPPER_FLAGS")${SHIPPER_JAVA_OPTS:-}(MALLOC_ARENA_MAX=1; flags from ${SHIPPER_FLAGS_SOURCE#$BENCH_ROOT/})"
  echo "load average at start: $(load)"
}

# A line of exactly 100 bytes with the newline: 8-digit number, space, 91 characters of payload.
# awk_writer M: a busybox awk program text that writes M such lines to stdout as fast as it can.
awk_writer() {
  echo "awk 'BEGIN { p = sprintf(\"%090d\", 0); gsub(/0/, \"x\", p); for (i = 1; i <= $1; i++) printf \"%08d %s\\n\", i, p }'"
}

# run_writer KIND ARGS...: docker run -d a labelled busybox container with the json-file driver.
run_writer() {
  docker run -d --label "$BENCH_LABEL=$BENCH_NAME" --log-driver json-file "$@"
}

# start_shipper NAME PORT ARGS...: starts the shipper with the image's JVM flags, following the
# benchmark's containers, with a fresh checkpoint dir; stdout/stderr in $WORK/NAME.{out,err}.
# Sets SHIPPER_PID and SHIPPER_T0 (launch time).
start_shipper() {
  local name=$1 port=$2
  shift 2
  rm -rf "$WORK/$name.ckpt"
  mkdir -p "$WORK/$name.ckpt"
  SHIPPER_T0=$(now)
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=1 "$JAVA" "@$SHIPPER_FLAGS" ${SHIPPER_JAVA_OPTS:-} -jar "$JAR" \
    --checkpoint.dir="$WORK/$name.ckpt" --metrics.address="127.0.0.1:$port" \
    --include.labels="$BENCH_LABEL=$BENCH_NAME" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  SHIPPER_PID=$!
  bench_pids+=("$SHIPPER_PID")
}

wait_http() {
  local url=$1 pid=${2:-}
  for _ in $(seq 300); do
    curl -sf -o /dev/null "$url" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then echo "process $pid exited" >&2; return 1; fi
    sleep 0.1
  done
  echo "$url did not answer" >&2
  return 1
}

# metric PORT REGEX: sum of the samples whose name{labels} matches REGEX (awk ERE on field 1).
metric() {
  { curl -s "http://127.0.0.1:$1/metrics" || true; } | awk -v re="$2" '$1 ~ re { s += $2 } END { printf "%.0f\n", s }'
}
# metric_max PORT REGEX: the largest sample matching REGEX (0 when none).
metric_max() {
  { curl -s "http://127.0.0.1:$1/metrics" || true; } | awk -v re="$2" '$1 ~ re && $2 + 0 > m { m = $2 + 0 } END { printf "%.3f\n", m }'
}
LINES_READ='^swarmscope_log_lines_read_total'
shipped_re() { echo "^swarmscope_log_events_shipped_total\\{.*output=\"$1\""; }

# wait_metric PORT REGEX TARGET TIMEOUT_S [FIRST_REGEX]: polls every 100 ms until the metric
# reaches TARGET. Prints "<time FIRST_REGEX (default REGEX) was first non-zero> <time reached>"
# (epoch seconds; "-" if never), returns 1 on timeout.
wait_metric() {
  local port=$1 re=$2 target=$3 timeout=$4 first_re=${5:-$2} v first=- t start body
  start=$(now)
  while :; do
    body=$(curl -s "http://127.0.0.1:$port/metrics" || true)
    v=$(awk -v re="$re" '$1 ~ re { s += $2 } END { printf "%.0f\n", s }' <<<"$body")
    t=$(now)
    [ "$first" != - ] || [ "$(awk -v re="$first_re" '$1 ~ re { s += $2 } END { printf "%.0f\n", s }' <<<"$body")" -eq 0 ] || first=$t
    if [ "${v:-0}" -ge "$target" ]; then echo "$first $t"; return 0; fi
    if awk -v a="$start" -v b="$t" -v l="$timeout" 'BEGIN { exit !(b - a > l) }'; then
      echo "timeout after ${timeout}s at $v of $target" >&2
      echo "$first -"
      return 1
    fi
    sleep 0.1
  done
}

# cpu_secs PID: user + system CPU seconds the process used so far.
cpu_secs() { awk -v t="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$1/stat"; }
dockerd_pid() { pidof dockerd | cut -d' ' -f1; }

rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# heap_used_mib PID: "used/committed" heap MiB from `jcmd GC.heap_info` (Serial GC: young + old;
# no GC forced), "-" if jcmd cannot attach.
heap_used_mib() {
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null | awk '
    /^ *(DefNew|Tenured|def new generation|tenured generation) / {
      for (i = 1; i <= NF; i++) {
        if ($i == "total") { v = $(i + 1); sub(/K,?/, "", v); c += v }
        if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); u += v }
      }
    }
    END { if (c) printf "%.1f/%.1f", u / 1024, c / 1024; else print "-" }'
}

# shipper_problems NAME: warnings/errors in the shipper's stderr log (first 5) and their count.
shipper_problems() {
  local f=$WORK/$1.err n
  n=$(grep -cE ' (WARN|ERROR) |Exception' "$f" || true)
  echo "$1: $n WARN/ERROR lines in stderr"
  [ "$n" -eq 0 ] || grep -E ' (WARN|ERROR) |Exception' "$f" | head -5 | cut -c1-300 | sed 's/^/    /'
}

# es_start: ensures an Elasticsearch node answers at $ES_URL; starts one from $ES_ZIP (as the
# non-root user swarmscope-es, 1 GiB heap, security off) when none does. Stopped on exit.
es_start() {
  if curl -sf "$ES_URL/_cluster/health" >/dev/null 2>&1; then
    echo "using the Elasticsearch node already at $ES_URL"
    return 0
  fi
  [ -f "$ES_ZIP" ] || { echo "missing $ES_ZIP (mvn dependency:get -Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:9.2.0:zip)" >&2; exit 1; }
  id swarmscope-es >/dev/null 2>&1 || useradd -r -M swarmscope-es
  local home=/tmp/bench-es-$ES_PORT
  rm -rf "$home"
  mkdir -p "$home"
  unzip -q "$ES_ZIP" -d "$home"
  local dir
  dir=$(ls -d "$home"/elasticsearch-*)
  chown -R swarmscope-es: "$home"
  local t0
  t0=$(now)
  # setpriv execs the launcher as swarmscope-es, so $! is the node's launcher pid (stopped on exit).
  (cd "$dir" && exec env ES_JAVA_HOME="$JAVA_HOME" ES_JAVA_OPTS="-Xms1g -Xmx1g" \
    setpriv --reuid=swarmscope-es --regid=swarmscope-es --init-groups bin/elasticsearch \
    -E discovery.type=single-node -E xpack.security.enabled=false -E http.host=127.0.0.1 \
    -E http.port="$ES_PORT" -E transport.port=$((ES_PORT + 100)) \
    -E cluster.routing.allocation.disk.threshold_enabled=false \
    -E path.data="$home/data" -E path.logs="$home/logs") >"$WORK/es.out" 2>&1 &
  bench_es_started=$!
  for _ in $(seq 240); do
    if curl -sf "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then
      echo "Elasticsearch $(basename "$dir") ready at $ES_URL after $(secs "$t0" "$(now)") s"
      return 0
    fi
    kill -0 "$bench_es_started" 2>/dev/null || { tail -20 "$WORK/es.out" >&2; exit 1; }
    sleep 0.5
  done
  echo "Elasticsearch did not start; see $WORK/es.out" >&2
  exit 1
}

# es_pid: the pid of the Elasticsearch server process listening on $ES_PORT.
es_pid() { ss -Hltnp "sport = :$ES_PORT" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1; }

# es_bulk_stats: "<bulk requests> <bulk time ms>" so far, summed over nodes (_nodes/stats).
es_bulk_stats() {
  curl -s "$ES_URL/_nodes/stats/indices/bulk" | jq -r '[.nodes[].indices.bulk] | "\(map(.total_operations) | add) \(map(.total_time_in_millis) | add)"'
}
# es_bulk_delta BEFORE: "<requests> requests, <docs/request> docs each, ES busy <ms> of them" since BEFORE.
es_bulk_delta() {
  local r0 t0 r1 t1
  read -r r0 t0 <<<"$1"
  read -r r1 t1 <<<"$(es_bulk_stats)"
  awk -v r="$((r1 - r0))" -v t="$((t1 - t0))" -v n="$2" 'BEGIN { printf "%d bulk requests (%.0f docs each), ES bulk time %.1f s", r, (r ? n / r : 0), t / 1000 }'
}

es_count() {
  curl -s -XPOST "$ES_URL/$1/_refresh" >/dev/null
  curl -s "$ES_URL/$1/_count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p'
}
