#!/bin/sh
# One-shot setup job for the logs half (runs as a Swarm service with restart on failure, so it is
# retried until Elasticsearch and Kibana answer). Idempotent: every call overwrites.
#  1. installs the index template for the daily swarmscope-logs-* indices
#  2. sets the kibana_system password, creates the swarmscope_writer and swarmscope_reader users
#  3. imports the Kibana data view and saved searches
# Passwords come from Docker secrets; create-secrets.sh makes them alphanumeric, so they can be
# put into JSON without escaping.
set -eu
ES=${ES_URL:-http://elasticsearch:9200}
KIBANA=${KIBANA_URL:-http://kibana:5601}
secret() { tr -d '\n' < "/run/secrets/$1"; }
ELASTIC_PW=$(secret elastic_password)

es() { # METHOD PATH [BODY-FILE]
  curl -fsS -u "elastic:$ELASTIC_PW" -X "$1" -H 'Content-Type: application/json' \
    ${3:+--data-binary "@$3"} "$ES$2"
  echo
}

wait_for() { # NAME URL [curl args...]
  name=$1; url=$2; shift 2
  i=0
  until curl -fsS -o /dev/null "$@" "$url"; do
    i=$((i + 1)); [ "$i" -le 60 ] || { echo "setup: $name did not answer at $url" >&2; exit 1; }
    sleep 5
  done
}

wait_for elasticsearch "$ES/_cluster/health?wait_for_status=yellow&timeout=5s" -u "elastic:$ELASTIC_PW"

# The template first: the writer user below lets shippers write, and their first write must find
# it (Elasticsearch refuses to auto-create swarmscope-logs-* without it, see stack.yml).
es PUT /_index_template/swarmscope-logs /setup/index-template.json

tmp=$(mktemp -d)
printf '{"password":"%s"}' "$(secret kibana_system_password)" > "$tmp/kibana_system"
es POST /_security/user/kibana_system/_password "$tmp/kibana_system"

cat > "$tmp/writer_role" <<'JSON'
{"cluster":["monitor"],"indices":[{"names":["swarmscope-logs-*"],"privileges":["create_doc","auto_configure","view_index_metadata"]}]}
JSON
es PUT /_security/role/swarmscope_writer "$tmp/writer_role"
printf '{"password":"%s","roles":["swarmscope_writer"],"full_name":"swarmscope log shippers"}' \
  "$(secret es_writer_password)" > "$tmp/writer"
es PUT /_security/user/swarmscope_writer "$tmp/writer"

cat > "$tmp/reader_role" <<'JSON'
{"cluster":["monitor"],"indices":[{"names":["swarmscope-logs-*"],"privileges":["read","view_index_metadata"]}]}
JSON
es PUT /_security/role/swarmscope_reader "$tmp/reader_role"
printf '{"password":"%s","roles":["swarmscope_reader"],"full_name":"swarmscope dashboards"}' \
  "$(secret es_reader_password)" > "$tmp/reader"
es PUT /_security/user/swarmscope_reader "$tmp/reader"

wait_for kibana "$KIBANA/api/status" -u "elastic:$ELASTIC_PW"
curl -fsS -u "elastic:$ELASTIC_PW" -H 'kbn-xsrf: swarmscope-setup' \
  -F file=@/setup/saved-objects.ndjson "$KIBANA/api/saved_objects/_import?overwrite=true"
echo
rm -rf "$tmp"
echo "setup: done"
