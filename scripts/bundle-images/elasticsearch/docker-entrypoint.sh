#!/bin/bash
# Like the official image's entrypoint: every environment variable whose name looks like a
# setting (lower case with a dot: discovery.type, xpack.security.enabled) becomes -E name=value.
# ES_JAVA_OPTS is read by Elasticsearch itself. ELASTIC_PASSWORD_FILE is not supported (the
# test runs with security off).
set -euo pipefail
settings=()
while IFS= read -r -d '' kv; do
  name=${kv%%=*}
  if [[ $name =~ ^[a-z0-9_]+\.[a-z0-9_.]+$ ]]; then
    settings+=("-E" "$kv")
  fi
done < <(env -0)
exec /usr/share/elasticsearch/bin/elasticsearch "${settings[@]}" "$@"
