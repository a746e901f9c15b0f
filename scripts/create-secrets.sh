#!/usr/bin/env bash
# Creates the files that stack.yml turns into Docker secrets, in secrets/ beside stack.yml:
# random alphanumeric passwords (32 characters) for Grafana's admin, Elasticsearch's `elastic`
# and `kibana_system` users, and the `swarmscope_writer` / `swarmscope_reader` users the setup job
# creates; Alertmanager's credentials: the Slack webhook URL ($SLACK_WEBHOOK_URL), the SMTP
# password ($SMTP_PASSWORD) and the PagerDuty Events API v2 routing key ($PAGERDUTY_ROUTING_KEY);
# and the UI proxy's htpasswd file with a user admin.
# The UIs over TLS (stack.ui-tls.yml) need ui_tls.crt (the certificate chain, PEM, leaf first) and
# ui_tls.key (its key, PEM): a certificate for the names people type is yours to provide, so this
# script writes none unless asked: UI_TLS_SELF_SIGNED_NAMES="ui.example.org 10.0.0.5" makes a
# self-signed one for those names (DNS names or IPv4 addresses), valid 365 days.
# Existing files are kept, so running it again never rotates a password behind a running stack;
# to rotate one, delete its file, run this again and scripts/deploy.sh (the secret's name follows
# its content).
# Usage: [SLACK_WEBHOOK_URL=...] [SMTP_PASSWORD=...] [PAGERDUTY_ROUTING_KEY=...]
#        [UI_TLS_SELF_SIGNED_NAMES=...] scripts/create-secrets.sh [DIR]
set -euo pipefail
dir=${1:-"$(cd "$(dirname "$0")/.." && pwd)/secrets"}
mkdir -p "$dir"
chmod 700 "$dir"
umask 077

# tr is killed by SIGPIPE once head has its 32 characters: expected, hence `|| true`.
random_password() { (LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom || true) | head -c 32; }

for name in grafana_admin_password elastic_password kibana_system_password es_writer_password es_reader_password; do
  if [ ! -s "$dir/$name" ]; then
    random_password >"$dir/$name"
    echo "create-secrets: wrote $dir/$name"
  fi
done

if [ ! -s "$dir/alertmanager_slack_webhook" ]; then
  if [ -n "${SLACK_WEBHOOK_URL:-}" ]; then
    printf '%s' "$SLACK_WEBHOOK_URL" >"$dir/alertmanager_slack_webhook"
  else
    # Nothing listens on the discard port: alerts are visible in Alertmanager's UI but not sent.
    printf '%s' 'http://127.0.0.1:9/slack-webhook-not-configured' >"$dir/alertmanager_slack_webhook"
    echo "create-secrets: SLACK_WEBHOOK_URL not set; Alertmanager will not notify anyone" >&2
  fi
  echo "create-secrets: wrote $dir/alertmanager_slack_webhook"
fi
# secret_from_env NAME VARIABLE PLACEHOLDER: the variable's value, or a placeholder that makes
# that receiver fail visibly (alertmanager_notifications_failed_total) instead of a missing file.
secret_from_env() {
  if [ ! -s "$dir/$1" ]; then
    if [ -n "${!2:-}" ]; then
      printf '%s' "${!2}" >"$dir/$1"
    else
      printf '%s' "$3" >"$dir/$1"
      echo "create-secrets: $2 not set; that Alertmanager receiver will not deliver" >&2
    fi
    echo "create-secrets: wrote $dir/$1"
  fi
}
secret_from_env alertmanager_smtp_password SMTP_PASSWORD smtp-password-not-configured
secret_from_env alertmanager_pagerduty_key PAGERDUTY_ROUTING_KEY pagerduty-routing-key-not-configured

# The UIs' proxy: user admin with a random password (ui_admin_password, for people, not a Docker
# secret) and its bcrypt hash in ui_htpasswd (htpasswd -B from apache2-utils; the password goes
# through stdin, never onto a command line). Add users with: htpasswd -B secrets/ui_htpasswd NAME
if [ ! -s "$dir/ui_htpasswd" ]; then
  command -v htpasswd >/dev/null || { echo "create-secrets: htpasswd is needed (apt-get install apache2-utils)" >&2; exit 1; }
  [ -s "$dir/ui_admin_password" ] || random_password >"$dir/ui_admin_password"
  htpasswd -niB -C 10 admin <"$dir/ui_admin_password" | sed '/^$/d' >"$dir/ui_htpasswd"
  echo "create-secrets: wrote $dir/ui_htpasswd"
fi
# The UIs' certificate: only on request (above); otherwise say which files stack.ui-tls.yml reads.
if [ ! -s "$dir/ui_tls.crt" ] && [ -n "${UI_TLS_SELF_SIGNED_NAMES:-}" ]; then
  command -v openssl >/dev/null || { echo "create-secrets: openssl is needed for UI_TLS_SELF_SIGNED_NAMES" >&2; exit 1; }
  san="" first=""
  for name in $UI_TLS_SELF_SIGNED_NAMES; do
    [ -n "$first" ] || first=$name
    if [[ $name =~ ^[0-9]+(\.[0-9]+){3}$ ]]; then san+=",IP:$name"; else san+=",DNS:$name"; fi
  done
  out=$(openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$first" -addext "subjectAltName=${san#,}" \
    -keyout "$dir/ui_tls.key" -out "$dir/ui_tls.crt" 2>&1) || { echo "create-secrets: openssl failed: $out" >&2; exit 1; }
  echo "create-secrets: wrote $dir/ui_tls.crt and $dir/ui_tls.key (self-signed for ${san#,}; browsers warn until it is trusted)"
elif [ ! -s "$dir/ui_tls.crt" ]; then
  echo "create-secrets: for the UIs over TLS (stack.ui-tls.yml) put your certificate chain in $dir/ui_tls.crt and its key in $dir/ui_tls.key (docs/bundle.md)"
fi
echo "create-secrets: Grafana login: admin / the password in $dir/grafana_admin_password"
echo "create-secrets: UIs (ui-proxy) login: admin / the password in $dir/ui_admin_password"
