#!/usr/bin/env bash
# Builds local/dind:1, the Docker-in-Docker node image of the multi-node test bed (bundle-tests
# SwarmBed; docs/test-bed.md): Debian bookworm minbase with Debian's docker.io (the same engine
# 20.10 as the build machines), iptables, ca-certificates and procps, started as `dockerd`.
# There is no registry to pull docker:dind from, so it is debootstrapped (~1 min, ~400 MB).
# Idempotent: the image carries the hash of this script (label io.swarmscope.inputs) and is
# rebuilt only when the script changed. Needs debootstrap (scripts/setup-host.sh installs it).
# Environment: DIND_IMAGE (default local/dind:1).
set -euo pipefail
image=${DIND_IMAGE:-local/dind:1}
log() { echo "build-dind-image: $*" >&2; }
inputs=$(sha256sum "$0" | cut -c1-16)
have=$(docker image inspect -f '{{index .Config.Labels "io.swarmscope.inputs"}}' "$image" 2>/dev/null || true)
if [ "$have" = "$inputs" ]; then
  log "$image is up to date ($inputs)"
  exit 0
fi
command -v debootstrap >/dev/null || { log "debootstrap missing: run scripts/setup-host.sh"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "building $image ($inputs) with debootstrap (~1 min)"
debootstrap --variant=minbase --include=docker.io,iptables,ca-certificates,procps bookworm "$work/root" \
  >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
tar -C "$work/root" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c "LABEL io.swarmscope.inputs=$inputs" \
  -c 'CMD ["dockerd"]' - "$image" >/dev/null
log "$image built"
