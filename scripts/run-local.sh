#!/usr/bin/env bash
# The main job on a plain Docker host: the exporter on :9100 (host, container and Swarm metrics)
# and the log shipper (metrics on :9101) printing every container's lines as ECS JSON lines.
# Ctrl-C stops both. Needs `./mvnw package` first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/run-exporter.sh >/dev/null 2>exporter.log &
exporter=$!
trap 'kill $exporter 2>/dev/null || true' EXIT
echo "exporter: http://localhost:9100/metrics (its log: exporter.log); shipper: http://localhost:9101/metrics" >&2
scripts/run-shipper.sh "$@"
