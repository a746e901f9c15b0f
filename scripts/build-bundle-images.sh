#!/usr/bin/env bash
# Builds the local images stack.single-node-test.yml deploys (there is no registry to pull from):
#   local/prometheus:bundle-test          Debian's /usr/bin/prometheus (+ promtool)
#   local/alertmanager:bundle-test        Debian's /usr/bin/prometheus-alertmanager (+ amtool)
#   local/elasticsearch:bundle-test       Maven Central's minimal distribution on the Temurin JDK
#   local/haproxy:bundle-test             Debian's /usr/sbin/haproxy (the read-only Docker API proxy)
#   local/nginx:bundle-test               Debian's /usr/sbin/nginx (nginx-light; the UIs' auth proxy)
#   local/swarmscope-exporter:test        exporter/Dockerfile on the local JRE base
#   local/swarmscope-log-shipper:test     log-shipper/Dockerfile on the local JRE base
# Usage: scripts/build-bundle-images.sh [IMAGE]...: only the named ones (prometheus, alertmanager,
# haproxy, nginx, exporter, log-shipper, elasticsearch), all without arguments; a test that needs
# only the proxies and Prometheus then needs neither the programs' jars nor Elasticsearch's zip.
# Idempotent and cheap when nothing changed: each image carries the hash of what it was built
# from (label io.swarmscope.inputs) and is rebuilt only when that differs. Builds the base images
# first (scripts/build-base-images.sh). Needs the programs' jars:
#   ./mvnw -pl exporter,log-shipper -am package -DskipTests
# Environment: SWARMSCOPE_EXPORTER_JAR, SWARMSCOPE_LOG_SHIPPER_JAR (default: the modules' target/),
# ES_ZIP (the elasticsearch-<v>.zip; default: the local Maven repository, fetched
# with ./mvnw dependency:get when missing), ES_VERSION (default: the parent pom's).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
log() { echo "build-bundle-images: $*" >&2; }
all_images="prometheus alertmanager haproxy nginx exporter log-shipper elasticsearch"
for a in "$@"; do
  [[ " $all_images " == *" $a "* ]] || { log "unknown image '$a' (one of: $all_images)"; exit 1; }
done
wanted=" ${*:-$all_images} "
want() { [[ $wanted == *" $1 "* ]]; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$here/build-base-images.sh"
BASE=local/eclipse-temurin:25-jre
base_id=$(docker image inspect -f '{{.Id}}' "$BASE")

# docker_build IMAGE CONTEXT-DIR, quiet unless it fails (the legacy builder warns on every call).
docker_build() {
  local out
  out=$(docker build -q --build-arg "BASE=$BASE" -t "$1" "$2" 2>&1) || { echo "$out" >&2; exit 1; }
}

# build IMAGE CONTEXT-DIR: docker build unless the image was built from the same inputs.
build() {
  local image=$1 ctx=$2 inputs have
  inputs=$( (echo "$base_id"; cd "$ctx" && find . -type f -print0 | LC_ALL=C sort -z \
    | xargs -0 sha256sum) | sha256sum | cut -c1-16)
  have=$(docker image inspect -f '{{index .Config.Labels "io.swarmscope.inputs"}}' "$image" 2>/dev/null || true)
  if [ "$have" = "$inputs" ]; then
    log "$image is up to date ($inputs)"
    return
  fi
  log "building $image ($inputs)"
  echo "LABEL io.swarmscope.inputs=$inputs" >>"$ctx/Dockerfile"
  docker_build "$image" "$ctx"
}

# stage_binary BINARY CONTEXT-DIR: the binary and the shared libraries it needs that the base
# image lacks (into CONTEXT-DIR/lib), so a Debian package's program runs on the base.
base_libs=$(docker run --rm --entrypoint sh "$BASE" -c 'ls /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu')
stage_binary() {
  local bin=$1 ctx=$2 lib
  mkdir -p "$ctx/lib"
  cp "$bin" "$ctx/"
  for lib in $(ldd "$bin" | awk '/=> \//{print $3}'); do
    grep -qxF "$(basename "$lib")" <<<"$base_libs" || cp -L "$lib" "$ctx/lib/"
  done
}

# busybox for the health checks' wget (the official Prometheus images are busybox-based).
busybox_bin=$(command -v busybox)

if want prometheus; then
  ctx=$work/prometheus
  mkdir -p "$ctx/share"
  cp "$here/bundle-images/prometheus/Dockerfile" "$ctx/"
  cp "$(command -v prometheus)" "$(command -v promtool)" "$busybox_bin" "$ctx/"
  [ -d /usr/share/prometheus/web ] && cp -r /usr/share/prometheus/web "$ctx/share/"
  build local/prometheus:bundle-test "$ctx"
fi

if want alertmanager; then
  ctx=$work/alertmanager
  mkdir -p "$ctx"
  cp "$here/bundle-images/alertmanager/Dockerfile" "$ctx/"
  cp "$(command -v prometheus-alertmanager)" "$ctx/alertmanager"
  cp "$(command -v amtool)" "$busybox_bin" "$ctx/"
  # Debian's Alertmanager reads its notification templates (default.tmpl) from here.
  mkdir -p "$ctx/share" && cp -r /usr/share/prometheus/alertmanager "$ctx/share/"
  build local/alertmanager:bundle-test "$ctx"
fi

# The proxies come from Debian's packages (scripts/setup-host.sh installs haproxy and nginx-light).
for proxy in haproxy nginx; do
  want "$proxy" || continue
  bin=$(command -v "$proxy" || true)
  [ -n "$bin" ] || { log "$proxy is not installed: run scripts/setup-host.sh"; exit 1; }
  ctx=$work/$proxy
  mkdir -p "$ctx"
  cp "$here/bundle-images/$proxy/"* "$ctx/"
  stage_binary "$bin" "$ctx"
  build "local/$proxy:bundle-test" "$ctx"
done

for program in exporter log-shipper; do
  want "$program" || continue
  var=SWARMSCOPE_$(echo "$program" | tr a-z- A-Z_)_JAR
  jar=${!var:-$root/$program/target/swarmscope-$program.jar}
  [ -f "$jar" ] || { log "$jar missing: run ./mvnw -pl exporter,log-shipper -am package -DskipTests"; exit 1; }
  if [ "$program" = log-shipper ] && ! unzip -p "$jar" elasticsearch/index-template.json 2>/dev/null \
      | cmp -s - "$root/config/elasticsearch/index-template.json"; then
    # The shipper's `setup` installs the template it carries: a stale one is wrong in Elasticsearch.
    log "$jar carries another index template than config/elasticsearch/index-template.json:"
    log "  rebuild it: ./mvnw -pl log-shipper -am package -DskipTests"
    exit 1
  fi
  # A staged context: the module folder holds target/ (and the shipper's tests keep a live
  # Elasticsearch node there), which must not be sent to the engine.
  ctx=$work/$program
  mkdir -p "$ctx/target"
  cp "$root/$program/Dockerfile" "$root/$program/jvm.flags" "$ctx/"
  cp "$jar" "$ctx/target/swarmscope-$program.jar"
  build "local/swarmscope-$program:test" "$ctx"
done

if ! want elasticsearch; then
  log "images present:$wanted"
  exit 0
fi
es_version=${ES_VERSION:-$(sed -n 's:.*<elasticsearch.version>\(.*\)</elasticsearch.version>.*:\1:p' "$root/pom.xml" | head -1)}
es_zip=${ES_ZIP:-$HOME/.m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$es_version/elasticsearch-$es_version.zip}
if [ ! -f "$es_zip" ]; then
  log "fetching the Elasticsearch $es_version minimal distribution from Maven Central"
  (cd "$root" && JAVA_HOME=$("$here/java-home.sh") ./mvnw -B -q -ntp dependency:get \
    "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$es_version:zip" -Dtransitive=false)
fi
jdk=$("$here/java-home.sh")
ctx=$work/elasticsearch
mkdir -p "$ctx/jdk" "$ctx/elasticsearch"
cp "$here/bundle-images/elasticsearch/Dockerfile" "$here/bundle-images/elasticsearch/docker-entrypoint.sh" "$ctx/"
# Hash the zip and the JDK's release file instead of their unpacked trees (faster), then unpack.
sha256sum "$es_zip" | cut -d' ' -f1 >"$ctx/elasticsearch.zip.sha256"
cp "$jdk/release" "$ctx/jdk.release"
inputs_probe=$( (echo "$base_id"; cd "$ctx" && find . -maxdepth 1 -type f -print0 | LC_ALL=C sort -z \
  | xargs -0 sha256sum) | sha256sum | cut -c1-16)
have=$(docker image inspect -f '{{index .Config.Labels "io.swarmscope.inputs"}}' local/elasticsearch:bundle-test 2>/dev/null || true)
if [ "$have" = "$inputs_probe" ]; then
  log "local/elasticsearch:bundle-test is up to date ($inputs_probe)"
else
  log "building local/elasticsearch:bundle-test ($inputs_probe) from $(basename "$es_zip") and $(basename "$jdk")"
  (cd "$ctx" && unzip -q "$es_zip" && mv "elasticsearch-$es_version"/* elasticsearch/ && rmdir "elasticsearch-$es_version")
  tar -C "$jdk" --exclude=./lib/src.zip --exclude=./man --exclude=./demo --exclude=./sample -c . | tar -C "$ctx/jdk" -x
  echo "LABEL io.swarmscope.inputs=$inputs_probe" >>"$ctx/Dockerfile"
  docker_build local/elasticsearch:bundle-test "$ctx"
fi
log "images present"
