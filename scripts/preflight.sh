#!/usr/bin/env bash
# Checks a swarm before the bundle is deployed on it, so that what would otherwise show up later as
# tasks pending forever or Elasticsearch failing on a node is reported now, with the fix:
# - this engine is a swarm manager (stack deploys need one);
# - the placement labels are set: Prometheus needs a manager with swarmscope.data=true, the other
#   stateful services (Alertmanager, Grafana, Elasticsearch) a node with swarmscope.data=true;
# - on every node labelled swarmscope.data=true, vm.max_map_count >= 262144 (Elasticsearch's
#   requirement for its memory-mapped indices). Read by a short global job on those nodes, with an
#   image the deploy needs there anyway (the merged stack's Elasticsearch image, or $PREFLIGHT_IMAGE);
# - the secret files exist (scripts/create-secrets.sh); with stack.ui-tls.yml, the UIs'
#   certificate and key (secrets/ui_tls.crt, .key) exist, belong together and have not expired
#   (a warning 30 days before). These file checks need no swarm: they come first.
# Checks the Elasticsearch host only when the merged stack runs Elasticsearch (not the metrics half).
# Exits 1 and names every failed check; scripts/deploy.sh runs it first.
#   scripts/preflight.sh [-c FILE]... [STACK]
set -euo pipefail
log() { echo "preflight: $*" >&2; }
files=() stack=swarmscope
while [ $# -gt 0 ]; do
  case $1 in
    -c|--compose-file) files+=(-c "$2"); shift 2 ;;
    *) stack=$1; shift ;;
  esac
done
[ ${#files[@]} -gt 0 ] || files=(-c stack.yml)
export SWARMSCOPE_STACK=${SWARMSCOPE_STACK:-$stack}
failed=0
fail() { log "FAIL: $*"; failed=1; }
ok() { log "ok: $*"; }

merged=$(docker stack config "${files[@]}")
declare -A secret_file
while read -r key file; do
  secret_file[$key]=$file
  [ -f "$file" ] && continue
  case $key in
    ui_tls_crt) fail "secret file $file is missing: stack.ui-tls.yml serves the UIs with your certificate; put its chain there (PEM, leaf first; docs/bundle.md, \"The UIs over TLS\")" ;;
    ui_tls_key) fail "secret file $file is missing: put the UI certificate's private key there (PEM)" ;;
    *) fail "secret file $file is missing: run scripts/create-secrets.sh" ;;
  esac
done < <(awk '/^secrets:/ { s = 1; next } /^[^ ]/ { s = 0 }
  s && /^  [^ ]/ { key = $1; sub(":$", "", key) } s && $1 == "file:" { print key, $2 }' <<<"$merged")

crt=${secret_file[ui_tls_crt]:-} key=${secret_file[ui_tls_key]:-}
if [ -f "$crt" ] && [ -f "$key" ]; then
  if ! command -v openssl >/dev/null; then
    log "note: openssl is not installed, so $crt is not checked"
  else
    crt_pub=$(openssl x509 -in "$crt" -noout -pubkey 2>/dev/null || true)
    key_pub=$(openssl pkey -in "$key" -pubout 2>/dev/null || true)
    until=$(openssl x509 -in "$crt" -noout -enddate 2>/dev/null | sed 's/^notAfter=//')
    if [ -z "$crt_pub" ]; then
      fail "$crt is no PEM certificate"
    elif [ -z "$key_pub" ]; then
      fail "$key is no PEM private key"
    elif [ "$crt_pub" != "$key_pub" ]; then
      fail "$key is not the key of the certificate in $crt"
    elif ! openssl x509 -in "$crt" -noout -checkend 0 >/dev/null; then
      fail "the UI certificate $crt expired on $until: renew it, replace the files and deploy again"
    else
      names=$(openssl x509 -in "$crt" -noout -ext subjectAltName 2>/dev/null | sed -n '2{s/^ *//;p}')
      if [ -z "$names" ]; then
        names=$(openssl x509 -in "$crt" -noout -subject | sed 's/^subject= *//')
        log "WARN: the UI certificate $crt has no subjectAltName: browsers refuse such a certificate"
      fi
      if ! openssl x509 -in "$crt" -noout -checkend $((30 * 86400)) >/dev/null; then
        log "WARN: the UI certificate $crt expires on $until: renew it, replace the files and deploy again"
      fi
      ok "UI certificate for $names (until $until), with its key"
    fi
  fi
fi

if [ "$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null)" != "active true" ]; then
  fail "this Docker engine is not a swarm manager: run this on a manager (docker swarm init / join as a manager)"
  exit 1
fi
ok "swarm manager"

# replicas of a service in the merged file (global: 1), 0 when scaled to zero.
replicas() {
  awk -v svc="$1" '
    /^services:/ { in_s = 1; next } /^[^ ]/ { in_s = 0 }
    in_s && /^  [^ ]/ { cur = $1; sub(":$", "", cur) }
    in_s && cur == svc && $1 == "mode:" { mode = $2 }
    in_s && cur == svc && $1 == "replicas:" { r = $2 }
    END { if (mode == "global") print 1; else if (r == "") print 1; else print r }' <<<"$merged"
}
image_of() {
  awk -v svc="$1" '/^services:/ { in_s = 1; next } /^[^ ]/ { in_s = 0 }
    in_s && /^  [^ ]/ { cur = $1; sub(":$", "", cur) }
    in_s && cur == svc && /^    image:/ { print $2; exit }' <<<"$merged"
}

data_nodes=$(docker node ls -q --filter node.label=swarmscope.data=true)
data_managers=$(docker node ls -q --filter node.label=swarmscope.data=true --filter role=manager)
if [ "$(replicas prometheus)" != 0 ] && [ -z "$data_managers" ]; then
  fail "no manager node has the label swarmscope.data=true; Prometheus would stay pending. On the manager that keeps the data:"
  log "        docker node update --label-add swarmscope.data=true <node>"
fi
if [ -z "$data_nodes" ]; then
  fail "no node has the label swarmscope.data=true (docker node update --label-add swarmscope.data=true <node>)"
else
  ok "nodes labelled swarmscope.data=true: $(docker node inspect --format '{{.Description.Hostname}}' $data_nodes | tr '\n' ' ')"
fi

if [ "$(replicas elasticsearch)" != 0 ] && [ -n "$data_nodes" ]; then
  image=${PREFLIGHT_IMAGE:-$(image_of elasticsearch)}
  job=${SWARMSCOPE_STACK}_preflight
  docker service rm "$job" >/dev/null 2>&1 || true
  # A global job: one task on every labelled node; vm.* sysctls are not namespaced, so the
  # container reads the host's value.
  docker service create --quiet --detach --no-resolve-image --name "$job" --mode global-job \
    --constraint node.labels.swarmscope.data==true --restart-condition none \
    --env 'NODE={{.Node.Hostname}}' --entrypoint /bin/sh "$image" \
    -c 'echo "max_map_count $NODE $(cat /proc/sys/vm/max_map_count)"' >/dev/null
  for _ in $(seq 1 60); do
    states=$(docker service ps "$job" --format '{{.CurrentState}}')
    if [ -n "$states" ] && ! grep -qvE '^(Complete|Failed|Rejected)' <<<"$states"; then break; fi
    sleep 1
  done
  readings=$(docker service logs --raw "$job" 2>/dev/null | grep '^max_map_count ' || true)
  if [ -z "$readings" ]; then
    fail "could not read vm.max_map_count on the swarmscope.data nodes with $image: $(docker service ps --no-trunc --format '{{.Node}} {{.CurrentState}} {{.Error}}' "$job" | tr '\n' ';')"
  fi
  while read -r _ node value; do
    [ -n "${node:-}" ] || continue
    if [ "$value" -ge 262144 ]; then
      ok "vm.max_map_count on $node is $value"
    else
      fail "vm.max_map_count on $node is $value; Elasticsearch needs at least 262144. On $node:"
      log "        sysctl -w vm.max_map_count=262144 && echo vm.max_map_count=262144 >/etc/sysctl.d/99-elasticsearch.conf"
    fi
  done <<<"$readings"
  docker service rm "$job" >/dev/null 2>&1 || true
  # The engine keeps a finished job's exited containers after the service is gone: remove this
  # node's (other labelled nodes may keep theirs: `docker container prune` there).
  docker ps -aq --filter "label=com.docker.swarm.service.name=$job" | xargs -r docker rm -f >/dev/null 2>&1 || true
fi

[ "$failed" = 0 ] && ok "all checks passed"
exit "$failed"
