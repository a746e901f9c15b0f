#!/usr/bin/env bash
# Runs the exporter on this host with the image's JVM flags (needs `./mvnw package` first). Extra
# flags are passed through, e.g. scripts/run-exporter.sh --web.listen-address=:9101 --no-collector.conntrack
set -euo pipefail
cd "$(dirname "$0")/.."
java_home=$(scripts/java-home.sh)
MALLOC_ARENA_MAX=1 exec "$java_home/bin/java" @exporter/jvm.flags -jar exporter/target/swarmscope-exporter.jar "$@"
