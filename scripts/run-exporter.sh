#!/usr/bin/env bash
# Runs the exporter on this host with the image's JVM flags (needs `./mvnw package` first). Extra
# flags are passed through, e.g. scripts/run-exporter.sh --web.listen-address=:9101 --no-collector.conntrack
set -euo pipefail
cd "$(dirname "$0")/.."
java_home=$(scripts/java-home.sh)
# shellcheck disable=SC2086 # JAVA_OPTS: extra JVM flags, word-split on purpose (e.g. -XX:ActiveProcessorCount=1)
MALLOC_ARENA_MAX=1 exec "$java_home/bin/java" @exporter/jvm.flags ${JAVA_OPTS:-} -jar exporter/target/swarmscope-exporter.jar "$@"
