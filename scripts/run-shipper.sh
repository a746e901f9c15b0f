#!/usr/bin/env bash
# Runs the log shipper on this host with the image's JVM flags (needs `./mvnw package` first).
# Default output: ECS JSON lines on stdout; checkpoints in ${SWARMSCOPE_CHECKPOINT_DIR:-/var/lib/swarmscope-shipper}.
# Extra flags pass through, e.g. scripts/run-shipper.sh --outputs=elasticsearch --elasticsearch.url=http://127.0.0.1:9200
set -euo pipefail
cd "$(dirname "$0")/.."
java_home=$(scripts/java-home.sh)
export SWARMSCOPE_CHECKPOINT_DIR="${SWARMSCOPE_CHECKPOINT_DIR:-/var/lib/swarmscope-shipper}"
MALLOC_ARENA_MAX=1 exec "$java_home/bin/java" @log-shipper/jvm.flags -jar log-shipper/target/swarmscope-log-shipper.jar "$@"
