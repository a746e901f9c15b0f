#!/usr/bin/env bash
# Creates what stack.secure.yml needs (TLS and basic auth on the exporter's and shipper's
# endpoints), in secrets/ beside stack.yml (mode 600, ignored by git). Existing files are kept.
#   prometheus_scrape_password       random password of the user `prometheus` (Prometheus's
#                                    basic_auth password_file)
#   swarmscope_metrics_tls.crt/.key  a self-signed certificate for the name swarmscope-metrics,
#                                    10 years (Prometheus checks it: tls_config.server_name)
#   swarmscope_web_config.yml        the web config file of both programs (exporter-toolkit
#                                    format): that certificate, the user with a bcrypt hash
# To use your own certificate (PEM; key in PKCS#8), put it in place of the two files first; its
# names must include swarmscope-metrics, or change server_name in config/prometheus/prometheus.secure.yml.
# Needs openssl and htpasswd (apache2-utils). Usage: scripts/create-metrics-auth.sh [DIR]
set -euo pipefail
dir=${1:-"$(cd "$(dirname "$0")/.." && pwd)/secrets"}
mkdir -p "$dir"
chmod 700 "$dir"
umask 077
for tool in openssl htpasswd; do
  command -v "$tool" >/dev/null || { echo "create-metrics-auth: $tool is needed" >&2; exit 1; }
done

if [ ! -s "$dir/prometheus_scrape_password" ]; then
  (LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom || true) | head -c 32 >"$dir/prometheus_scrape_password"
  echo "create-metrics-auth: wrote $dir/prometheus_scrape_password"
fi
if [ ! -s "$dir/swarmscope_metrics_tls.crt" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=swarmscope-metrics \
    -addext subjectAltName=DNS:swarmscope-metrics \
    -keyout "$dir/swarmscope_metrics_tls.key" -out "$dir/swarmscope_metrics_tls.crt" 2>/dev/null
  echo "create-metrics-auth: wrote $dir/swarmscope_metrics_tls.crt and .key"
fi
if [ ! -s "$dir/swarmscope_web_config.yml" ]; then
  hash=$(htpasswd -niB -C 10 prometheus <"$dir/prometheus_scrape_password" | sed -n 's/^prometheus://p')
  cat >"$dir/swarmscope_web_config.yml" <<YAML
# The exporter's and shipper's endpoints (--web.config.file; docs/bundle.md).
tls_server_config:
  cert_file: /run/secrets/swarmscope_metrics_tls_crt
  key_file: /run/secrets/swarmscope_metrics_tls_key
basic_auth_users:
  prometheus: '$hash'
YAML
  echo "create-metrics-auth: wrote $dir/swarmscope_web_config.yml"
fi
