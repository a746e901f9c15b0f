#!/usr/bin/env bash
# Read throughput of the log shipper (--outputs=null) against the Docker log API's raw speed and
# against docker-loghose (npm), side by side in one run:
#
#   scripts/bench/bench-shipper-read.sh [containers] [lines-per-container]     (default 10 100000)
#
# Stored lines: N busybox containers (json-file driver) each write M numbered 100-byte lines, then
# sleep. When all are written:
#   raw      curl of every container's /containers/ID/logs?stdout=1&stderr=1&timestamps=1, all
#            in parallel, to wc -c; wall time and dockerd's CPU. Run before and after the shipper
#            (dockerd's speed drifts with the machine's load; the table shows both), and once with
#            follow=1 as the shipper asks (each stream cut after its M lines).
#   shipper  the shipper with --outputs=null and a fresh checkpoint dir, started after the lines
#            were written: from its launch (JVM start included) and from its first line read, until
#            swarmscope_log_lines_read_total (polled every 100 ms) reaches N*M.
# Live lines: docker-loghose attaches to containers (Docker's attach API) and so only sees lines
# written after it attached; it cannot read stored lines. So both the shipper and loghose are also
# measured with fresh containers that wait for a go signal (a file in a bind mount) and then write
# their M lines as fast as they can, each reader alone in its own round: time from the go signal
# until the reader counted N*M lines. "writers" is when the last line was written (its Docker
# timestamp): a reader cannot be faster than that.
#
# Needs: the shipper jar (./mvnw -B -q -pl log-shipper -am package -DskipTests), node + npm
# (docker-loghose is installed into $LOGHOSE_DIR, default /tmp/bench-loghose, outside the repo).
set -euo pipefail
. "$(dirname "$0")/shipper-lib.sh"
n=${1:-10}
m=${2:-100000}
total=$((n * m))
port=19401
LOGHOSE_DIR=${LOGHOSE_DIR:-/tmp/bench-loghose}
bench_init bench-shipper-read
bench_header "scripts/bench/bench-shipper-read.sh $n $m"

if ! NODE_PATH=$LOGHOSE_DIR/node_modules node -e 'require("docker-loghose")' 2>/dev/null; then
  mkdir -p "$LOGHOSE_DIR"
  (cd "$LOGHOSE_DIR" && npm install --no-audit --no-fund docker-loghose >/dev/null)
fi
loghose_version=$(node -p "require('$LOGHOSE_DIR/node_modules/docker-loghose/package.json').version")
echo "peer: docker-loghose $loghose_version on node $(node --version)"

ids=()
# start_writers WAIT_FOR_GO: N containers writing M lines each (after /sig/go exists if asked).
start_writers() {
  local sig=$WORK/sig.$1 gate=""
  rm -rf "$sig"
  mkdir -p "$sig"
  [ "$1" = live ] && gate='while [ ! -e /sig/go ]; do usleep 20000; done; '
  ids=()
  for _ in $(seq "$n"); do
    ids+=("$(run_writer -v "$sig:/sig" "$BENCH_IMAGE" sh -c "$gate$(awk_writer "$m"); touch /sig/done.\$HOSTNAME; exec sleep 3600")")
  done
}
api() { curl -s --unix-socket /var/run/docker.sock "http://localhost$1"; }
# last_write: epoch seconds of the newest last line of the containers (Docker's timestamps).
last_write() {
  local id newest=0 ts
  for id in "${ids[@]}"; do
    ts=$(api "/containers/$id/logs?stdout=1&stderr=1&timestamps=1&tail=1" | tail -c +9 | cut -d' ' -f1)
    ts=$(date -d "$ts" +%s.%N)
    newest=$(awk -v a="$newest" -v b="$ts" 'BEGIN { print (b > a ? b : a) }')
  done
  echo "$newest"
}
wait_done_files() {
  for _ in $(seq 1200); do
    [ "$(ls "$WORK/sig.$1" | grep -c '^done\.')" -ge "$n" ] && return 0
    sleep 0.1
  done
  echo "writers did not finish" >&2
  exit 1
}
# raw_read [follow]: all containers' logs in parallel; with "follow", follow=1 as the shipper asks,
# each stream cut after its M lines (head -n). Prints seconds, MiB, dockerd CPU seconds.
raw_read() {
  local t0 t1 id i=0 pids=() cpids=() c0 q=""
  [ "${1:-}" != follow ] || q="&follow=1"
  c0=$(cpu_secs "$dpid")
  t0=$(now)
  for id in "${ids[@]}"; do
    # curl into a fifo, so its pid is known: a follow stream stays open after head has its lines.
    rm -f "$WORK/fifo.$i"
    mkfifo "$WORK/fifo.$i"
    head -n "$m" <"$WORK/fifo.$i" | wc -c >"$WORK/raw.$i" &
    pids+=($!)
    curl -sN --unix-socket /var/run/docker.sock \
      "http://localhost/containers/$id/logs?stdout=1&stderr=1&timestamps=1$q" >"$WORK/fifo.$i" &
    cpids+=($!)
    i=$((i + 1))
  done
  wait "${pids[@]}"
  t1=$(now)
  kill "${cpids[@]}" 2>/dev/null || true
  wait "${cpids[@]}" 2>/dev/null || true
  echo "$(secs "$t0" "$t1") $(cat "$WORK"/raw.* | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }') $(secs "$c0" "$(cpu_secs "$dpid")")"
}

dpid=$(dockerd_pid)
rows=()
row() { rows+=("$(printf '%-40s | %10s | %9s | %10s | %s' "$@")"); }

# ---- stored lines ----
t_w0=$(now)
start_writers stored
wait_done_files stored
sleep 1
t_w1=$(last_write)
for id in "${ids[@]}"; do
  last=$(api "/containers/$id/logs?stdout=1&tail=1" | tail -c +9 | cut -c1-8)
  [ "$last" = "$(printf '%08d' "$m")" ] || { echo "container $id: last line is $last, not $m" >&2; exit 1; }
done
echo "stored: $n containers x $m lines written in $(secs "$t_w0" "$t_w1") s (docker run included); load $(load)"

read -r raw1_s raw1_mib raw1_cpu < <(raw_read)
read -r rawf_s rawf_mib rawf_cpu < <(raw_read follow)

d0=$(cpu_secs "$dpid")
start_shipper read-null "$port" --outputs=null
read -r first done < <(wait_metric "$port" "$LINES_READ" "$total" 300) || true
ship_cpu=$(cpu_secs "$SHIPPER_PID")
ship_dcpu=$(secs "$d0" "$(cpu_secs "$dpid")")
[ "$done" != - ] || { tail -20 "$WORK/read-null.err" >&2; exit 1; }
ship_s=$(secs "$SHIPPER_T0" "$done")
ship_first_s=$(secs "$first" "$done")
read -r _ shipped_t < <(wait_metric "$port" "$(shipped_re null)" "$total" 20) || true
read_total=$(metric "$port" "$LINES_READ")
shipped_total=$(metric "$port" "$(shipped_re null)")
dups=$(metric "$port" '^swarmscope_log_duplicates_suppressed_total')
errs=$(metric "$port" '^swarmscope_output_errors_total')
sleep 1
lag=$(metric_max "$port" '^swarmscope_log_lag_seconds')
rss=$(rss_mib "$SHIPPER_PID")
stop_pid "$SHIPPER_PID"

read -r raw2_s raw2_mib raw2_cpu < <(raw_read)
raw_s=$(awk -v a="$raw1_s" -v b="$raw2_s" 'BEGIN { printf "%.2f", (a + b) / 2 }')
raw_rate=$(rate $total "$raw_s")
row "raw Docker API read #1 (curl x$n)" "$raw1_s" "$(rate $total "$raw1_s")" "$(ratio "$(rate $total "$raw1_s")" "$raw_rate")" "$raw1_mib MiB with framing+timestamps; dockerd CPU $raw1_cpu s"
row "raw, follow=1 (curl x$n, head -n $m)" "$rawf_s" "$(rate $total "$rawf_s")" "$(ratio "$(rate $total "$rawf_s")" "$raw_rate")" "the shipper's request; dockerd CPU $rawf_cpu s"
row "shipper null, from launch" "$ship_s" "$(rate $total "$ship_s")" "$(ratio "$(rate $total "$ship_s")" "$raw_rate")" "JVM start $(secs "$SHIPPER_T0" "$first") s; CPU shipper $ship_cpu s, dockerd $ship_dcpu s; RSS after $rss MiB"
row "shipper null, from first line" "$ship_first_s" "$(rate $total "$ship_first_s")" "$(ratio "$(rate $total "$ship_first_s")" "$raw_rate")" "read=$read_total shipped(null)=$shipped_total (all $([ "$shipped_t" = - ] && echo "not within 20 s" || echo "$(secs "$done" "$shipped_t") s after the last read")) dups=$dups errors=$errs lag max=$lag s"
row "raw Docker API read #2 (curl x$n)" "$raw2_s" "$(rate $total "$raw2_s")" "$(ratio "$(rate $total "$raw2_s")" "$raw_rate")" "dockerd CPU $raw2_cpu s; ratios are against the mean of raw #1 and #2 ($raw_s s)"
bench_remove_containers

# ---- live lines: each reader attached first, then the containers write ----
live() {
  local who=$1 t_go t_first t_done count=-
  start_writers live
  if [ "$who" = shipper ]; then
    start_shipper live-null $((port + 1)) --outputs=null
    wait_http "http://127.0.0.1:$((port + 1))/metrics" "$SHIPPER_PID"
    for _ in $(seq 300); do
      [ "$(metric $((port + 1)) '^swarmscope_log_followed_containers')" -ge "$n" ] && break
      sleep 0.1
    done
  else
    NODE_PATH=$LOGHOSE_DIR/node_modules node "$BENCH_ROOT/scripts/bench/loghose-count.js" \
      "$BENCH_LABEL=$BENCH_NAME" "$total" >"$WORK/loghose.out" 2>"$WORK/loghose.err" &
    lh_pid=$!
    bench_pids+=("$lh_pid")
    # loghose attaches on the containers' start events (or its start-up listing): wait for all.
    for _ in $(seq 300); do
      [ "$(grep -c '^attach' "$WORK/loghose.out" || true)" -ge "$n" ] && break
      sleep 0.1
    done
  fi
  sleep 1
  local ld0
  ld0=$(cpu_secs "$dpid")
  t_go=$(now)
  touch "$WORK/sig.live/go"
  if [ "$who" = shipper ]; then
    read -r t_first t_done < <(wait_metric $((port + 1)) "$LINES_READ" "$total" 300) || true
    count=$(metric $((port + 1)) "$LINES_READ")
    local t_shipped
    read -r _ t_shipped < <(wait_metric $((port + 1)) "$(shipped_re null)" "$total" 20) || true
    shipped_total=$(metric $((port + 1)) "$(shipped_re null)")
    sleep 1
    note="CPU $(cpu_secs "$SHIPPER_PID") s; read=$count shipped(null)=$shipped_total (all $([ "$t_shipped" = - ] && echo "not within 20 s" || echo "$(secs "$t_done" "$t_shipped") s after the last read")) lag max=$(metric_max $((port + 1)) '^swarmscope_log_lag_seconds') s RSS $(rss_mib "$SHIPPER_PID") MiB"
    stop_pid "$SHIPPER_PID"
  else
    for _ in $(seq 3000); do
      grep -q '^done' "$WORK/loghose.out" && break
      kill -0 "$lh_pid" 2>/dev/null || break
      sleep 0.1
    done
    t_done=$(awk '/^done/ { printf "%.3f", $2 / 1000 }' "$WORK/loghose.out")
    t_first=$(awk '/^first/ { printf "%.3f", $2 / 1000 }' "$WORK/loghose.out")
    count=$(awk '/^done/ { print $3 }' "$WORK/loghose.out")
    stop_pid "$lh_pid"
    [ -n "$t_done" ] || { echo "loghose did not reach $total lines (pid alive: $(kill -0 "$lh_pid" 2>/dev/null && echo yes || echo no))" >&2; t_done=-; }
    note="CPU $(awk '/^done/ { print $4 }' "$WORK/loghose.out") s; lines counted=${count:-?}"
  fi
  wait_done_files live
  note="$note; dockerd CPU $(secs "$ld0" "$(cpu_secs "$dpid")") s (writes + reads)"
  sleep 0.5
  local t_w
  t_w=$(last_write)
  bench_remove_containers
  LIVE_WRITERS=$(secs "$t_go" "$t_w")
  if [ "$t_done" = - ]; then LIVE_S=-; LIVE_RATE=0; else LIVE_S=$(secs "$t_go" "$t_done"); LIVE_RATE=$(rate $total "$LIVE_S"); fi
  LIVE_NOTE="writers done after $LIVE_WRITERS s; $note; load $(load)"
}
live shipper
live_ship_s=$LIVE_S live_ship_rate=$LIVE_RATE live_ship_note=$LIVE_NOTE live_ship_w=$LIVE_WRITERS
live loghose
row "live: shipper null, from go" "$live_ship_s" "$live_ship_rate" "$(ratio "$live_ship_rate" "$raw_rate")" "$live_ship_note"
row "live: docker-loghose, from go" "$LIVE_S" "$LIVE_RATE" "$(ratio "$LIVE_RATE" "$raw_rate")" "$LIVE_NOTE"

echo
printf '%-40s | %10s | %9s | %10s | %s\n' "reader ($n x $m lines)" "seconds" "lines/s" "x raw" "notes"
printf '%s\n' "${rows[@]}"
echo
echo "shipper / raw (from first line): $(ratio "$(rate $total "$ship_first_s")" "$raw_rate")   (from launch: $(ratio "$(rate $total "$ship_s")" "$raw_rate"))   target >= 0.9"
echo "shipper / loghose (live rounds): $(ratio "$live_ship_rate" "$LIVE_RATE")   target >= 2 (live rounds are bounded by the writers: see 'writers done')"
echo "load average at end: $(load)"
shipper_problems read-null
shipper_problems live-null
[ ! -s "$WORK/loghose.err" ] || { echo "loghose stderr:"; head -5 "$WORK/loghose.err"; }
