#!/usr/bin/env bash
# Deploys or updates the bundle: `docker stack deploy` with every Docker config and secret named by
# its content's hash, so that a deploy after editing a dashboard, an alert rule, a pipeline or a
# secret file just works (configs and secrets cannot change in place in Swarm; a new name makes the
# services that use it roll over, the others stay untouched), then removes the stack's configs and
# secrets that neither a service nor its previous spec (what a rollback returns to) uses any more.
#
#   scripts/deploy.sh [-c FILE]... [--no-preflight] [--dry-run] [docker stack deploy options] STACK
#   scripts/deploy.sh -c stack.yml swarmscope
#   scripts/deploy.sh -c stack.yml -c stack.single-node-test.yml swarmscope
#   scripts/deploy.sh -c stack.yml -c stack.ui-tls.yml swarmscope    # the UIs over TLS
#
# Without -c it deploys stack.yml. Before deploying it runs scripts/preflight.sh (--no-preflight
# skips it; --dry-run prints the variables and the names, and deploys nothing). It exports, for `docker stack config` / `deploy` to interpolate in stack.yml's names:
#   SWARMSCOPE_STACK                 the stack's name (so several stacks never share a config)
#   SWARMSCOPE_CONFIG_<KEY>          the first 12 hex digits of the SHA-256 of config <key>'s file
#   SWARMSCOPE_SECRET_<KEY>          the same for secret <key>
# A config or secret whose name does not carry its variable is refused: edits would not reach it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "deploy: $*" >&2; }
die() { log "$*"; exit 1; }

files=() opts=() stack="" preflight=true dry_run=false
while [ $# -gt 0 ]; do
  case $1 in
    -c|--compose-file) [ $# -ge 2 ] || die "$1 needs a file"; files+=(-c "$2"); shift 2 ;;
    --no-preflight) preflight=false; shift ;;
    --dry-run) dry_run=true; preflight=false; shift ;;
    --resolve-image) [ $# -ge 2 ] || die "$1 needs a value"; opts+=("$1" "$2"); shift 2 ;;
    -*) opts+=("$1"); shift ;;
    *) [ -z "$stack" ] || die "one stack name, got '$stack' and '$1'"; stack=$1; shift ;;
  esac
done
[ -n "$stack" ] || die "usage: scripts/deploy.sh [-c FILE]... [--no-preflight] STACK"
[[ $stack =~ ^[a-z0-9][a-z0-9_-]{0,23}$ ]] \
  || die "stack name '$stack': lower-case letters, digits, - and _, at most 24 characters (config names are limited to 64)"
[ ${#files[@]} -gt 0 ] || files=(-c stack.yml)
export SWARMSCOPE_STACK=$stack

if $preflight; then
  "$here/preflight.sh" "${files[@]}" "$stack"
fi

# Prints "configs|secrets KEY FILE" and "configs-name|secrets-name KEY NAME" for the merged files.
sources() {
  docker stack config "${files[@]}" | awk '
    /^[^ #]/ { section = $1; sub(":$", "", section); key = ""; next }
    section != "configs" && section != "secrets" { next }
    /^  [^ ]/ { key = $1; sub(":$", "", key); next }
    key != "" && $1 == "file:" { print section, key, $2 }
    key != "" && $1 == "name:" { print section "-name", key, $2 }'
}

declare -A expected
while read -r section key file; do
  case $section in configs|secrets) ;; *) continue ;; esac
  if [ ! -f "$file" ]; then
    case $key in
      ui_tls_crt|ui_tls_key) die "$section $key: $file does not exist: the UIs' certificate chain and key (PEM) are yours to put in secrets/ui_tls.crt and .key (docs/bundle.md, \"The UIs over TLS\")" ;;
      *) die "$section $key: $file does not exist (secrets: run scripts/create-secrets.sh)" ;;
    esac
  fi
  kind=CONFIG; [ "$section" = secrets ] && kind=SECRET
  var=SWARMSCOPE_${kind}_$(echo "$key" | tr 'a-z-' 'A-Z_')
  hash=$(sha256sum "$file" | cut -c1-12)
  export "$var=$hash"
  expected[$section/$key]=$hash
done < <(sources)

# The names as deployed: each must carry its hash, and Swarm allows 64 characters.
declare -A named
while read -r section key name; do
  case $section in configs-name|secrets-name) ;; *) continue ;; esac
  s=${section%-name} k=${section%s-name}
  want=${expected[$s/$key]:-}
  [ -n "$want" ] || continue
  named[$s/$key]=1
  [[ $name == *"$want"* ]] || die "$k $key is named '$name', which does not carry its content hash: name it \${SWARMSCOPE_STACK:-swarmscope}_${key}_\${SWARMSCOPE_${k^^}_${key^^}:-1}"
  [ ${#name} -le 64 ] || die "$k name '$name' is longer than Swarm's 64 characters: use a shorter stack name"
done < <(sources)
for k in "${!expected[@]}"; do
  [ -n "${named[$k]:-}" ] || die "${k%%s/*} ${k#*/} has no name: give it one that carries its content hash, as stack.yml's do"
done

if $dry_run; then
  echo "SWARMSCOPE_STACK=$SWARMSCOPE_STACK"
  env | grep -E '^SWARMSCOPE_(CONFIG|SECRET)_' | LC_ALL=C sort
  sources | awk '$1 ~ /-name$/ { sub("-name", "", $1); print $1 "." $2 " " $3 }'
  exit 0
fi

docker stack deploy "${files[@]}" "${opts[@]}" "$stack"

# Prune: what no service of the stack uses, in its spec or its previous spec (rollback).
in_use=$(docker service ls -q --filter "label=com.docker.stack.namespace=$stack" | xargs -r docker service inspect --format \
  '{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}} {{end}}{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}} {{end}}{{with .PreviousSpec}}{{range .TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}} {{end}}{{range .TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}} {{end}}{{end}}' \
  | tr ' ' '\n' | sort -u)
for kind in config secret; do
  for name in $(docker "$kind" ls --filter "label=com.docker.stack.namespace=$stack" --format '{{.Name}}'); do
    if ! grep -qxF "$name" <<<"$in_use"; then
      if docker "$kind" rm "$name" >/dev/null 2>&1; then
        log "removed unused $kind $name"
      else
        log "kept $kind $name (still in use)"
      fi
    fi
  done
done
