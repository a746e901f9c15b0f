#!/usr/bin/env bash
# Prepares a Debian 12 machine (as root) for swarmscope's main job and tests. Idempotent: safe to
# run again on a machine handed back with Docker state from earlier runs.
#  - installs docker.io, busybox-static, debootstrap and the Debian Prometheus packages
#  - installs rsyslog (+ rsyslog-gnutls, openssl) for the log shipper's syslog tests, which run
#    their own rsyslogd with their own configuration and ports: it is NOT started as a service
#  - starts dockerd if it is not answering, and makes this engine a single-node swarm
#  - makes / a shared mount, as systemd does (the exporter binds it with rslave propagation)
#  - creates the unprivileged user swarmscope-es: Elasticsearch refuses to run as root, so the
#    log shipper's integration tests start their Elasticsearch node as this user
#  - builds the local base images tests need (no registry here): local/busybox:1 (tagged
#    alpine:3.17 for Testcontainers) and local/eclipse-temurin:25-jre (jlinked JRE on Debian)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "setup-host: $*" >&2; }

need_pkgs=()
command -v dockerd >/dev/null || need_pkgs+=(docker.io)
command -v busybox >/dev/null || need_pkgs+=(busybox-static)
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
command -v prometheus-node-exporter >/dev/null || need_pkgs+=(prometheus-node-exporter)
command -v promtool >/dev/null || need_pkgs+=(prometheus)
command -v amtool >/dev/null || need_pkgs+=(prometheus-alertmanager)
command -v curl >/dev/null || need_pkgs+=(curl)
command -v rsyslogd >/dev/null || need_pkgs+=(rsyslog)
dpkg-query -W -f='${Status}' rsyslog-gnutls 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=(rsyslog-gnutls)
command -v openssl >/dev/null || need_pkgs+=(openssl)
# The read-only Docker API proxy and the UIs' authenticating proxy (local images), htpasswd.
command -v haproxy >/dev/null || need_pkgs+=(haproxy)
command -v nginx >/dev/null || need_pkgs+=(nginx-light)
command -v htpasswd >/dev/null || need_pkgs+=(apache2-utils)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  # Packages must not start their daemons (rsyslog would take over /dev/log and write
  # /var/log/syslog): without a policy-rc.d, add one that refuses every start for the install.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
fi
# The Debian packages start nothing here (no systemd); make sure no stray exporter holds :9100.

es_user=swarmscope-es
if ! id -u "$es_user" >/dev/null 2>&1; then
  log "creating user $es_user (runs the integration tests' Elasticsearch node)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$es_user"
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  rm -f /var/run/docker.pid
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not come up"; tail -20 /var/log/dockerd.log >&2; exit 1; }
fi

# stack.yml binds the host's / into the exporter with rslave propagation, which Docker refuses
# unless / is a shared or slave mount. systemd hosts have it shared; these machines boot without
# systemd and leave it private: make it shared as systemd does.
if [ "$(findmnt -no PROPAGATION / 2>/dev/null)" = private ]; then
  log "making / a shared mount (as systemd does) for the exporter's rslave bind of /"
  mount --make-rshared /
fi

state=$(docker info --format '{{.Swarm.LocalNodeState}}')
if [ "$state" != "active" ]; then
  log "initialising a single-node swarm (was: $state)"
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
fi

"$here/build-base-images.sh"
log "ready"
