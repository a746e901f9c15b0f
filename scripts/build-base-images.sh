#!/usr/bin/env bash
# Builds the local base images (there is no registry to pull from). Skips images that exist.
#   local/busybox:1              busybox rootfs; also tagged alpine:3.17 for Testcontainers' startup check
#   local/eclipse-temurin:25-jre Debian bookworm minbase + a jlinked Temurin 25 runtime at
#                                /opt/java/openjdk, laid out like the official eclipse-temurin image
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "build-base-images: $*" >&2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! docker image inspect local/busybox:1 >/dev/null 2>&1; then
  log "building local/busybox:1"
  mkdir -p "$work/bb/bin" "$work/bb/tmp"
  cp "$(command -v busybox)" "$work/bb/bin/"
  for a in $(busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$work/bb/bin/$a"; done
  tar -C "$work/bb" -c . | docker import -c 'ENV PATH=/bin' - local/busybox:1 >/dev/null
fi
docker image inspect alpine:3.17 >/dev/null 2>&1 || docker tag local/busybox:1 alpine:3.17

# Rebuild too when an image from an older version of this script lacks a module now needed
# (jdk.net: httpclient5's socket options, used by the Elasticsearch client).
jre_modules() { docker run --rm --entrypoint java local/eclipse-temurin:25-jre --list-modules 2>/dev/null; }
# (Capture first: with pipefail, grep -q closing the pipe early would fail the check.)
modules=$(docker image inspect local/eclipse-temurin:25-jre >/dev/null 2>&1 && jre_modules || true)
if ! grep -q '^jdk.net@' <<<"$modules"; then
  jdk=$("$here/java-home.sh")
  log "building local/eclipse-temurin:25-jre from $(basename "$jdk") (debootstrap, ~1 min)"
  debootstrap --variant=minbase bookworm "$work/root" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,java.scripting,java.security.jgss,java.instrument,jdk.httpserver,jdk.unsupported,jdk.management,jdk.crypto.cryptoki,jdk.zipfs,jdk.jcmd,jdk.naming.dns,jdk.net \
    --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$work/root/opt/java/openjdk"
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
  tar -C "$work/root" -c . | docker import \
    -c 'ENV JAVA_HOME=/opt/java/openjdk' \
    -c 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - local/eclipse-temurin:25-jre >/dev/null
fi
log "base images present"
