#!/usr/bin/env bash
# Runs the exporter on this host (needs `./mvnw package` first). Extra flags are passed through,
# e.g. scripts/run-exporter.sh --web.listen-address=:9101 --no-collector.conntrack
set -euo pipefail
cd "$(dirname "$0")/.."
java_home=$(scripts/java-home.sh)
exec "$java_home/bin/java" -XX:+UseSerialGC -Xmx32m -Xss256k -XX:TieredStopAtLevel=1 \
  -jar exporter/target/swarmscope-exporter.jar "$@"
