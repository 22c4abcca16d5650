#!/usr/bin/env bash
# Makes sure what the test suite talks to is installed and running on this machine:
# PostgreSQL and Redis (started if stopped, installed if missing), Dovecot's IMAP server and
# Chromium (installed; the tests start their own Dovecot and browser).
# Needs root (or passwordless sudo) only when something is missing.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
installed_pg=0
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
command -v pg_ctlcluster >/dev/null 2>&1 || command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test-services: installing ${missing[*]}"
  case " ${missing[*]} " in *" postgresql "*) installed_pg=1 ;; esac
  apt_install "${missing[@]}"
fi

# The tests use HELPDESK_TEST_PG_URL when it is set (a PostgreSQL elsewhere); else the local server
# as postgres@127.0.0.1:5432 without a password.
if [ -z "${HELPDESK_TEST_PG_URL:-}" ]; then
  pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
  pg_version() { ls /etc/postgresql | sort -V | tail -n 1; }
  if ! pg_ready; then
    echo "test-services: starting PostgreSQL"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main start || true
    for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  fi
  pg_ready || { echo "test-services: PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
  pg_login() { PGCONNECT_TIMEOUT=5 psql -w -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; }
  if ! pg_login && [ "$installed_pg" -eq 1 ]; then
    # A cluster we just installed asks for passwords on loopback (Debian's scram-sha-256): let the
    # test user in without one on 127.0.0.1 only, as on the development machines.
    hba="/etc/postgresql/$(pg_version)/main/pg_hba.conf"
    echo "test-services: allowing postgres@127.0.0.1 without a password in $hba"
    $SUDO sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main reload
    sleep 1
  fi
  pg_login || {
    echo "test-services: PostgreSQL refuses postgres@127.0.0.1 without a password;" \
      "set HELPDESK_TEST_PG_URL=postgresql+asyncpg://USER:PASSWORD@HOST:PORT/postgres" >&2
    exit 1
  }
fi

redis_ready() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
if ! redis_ready; then
  echo "test-services: starting Redis"
  $SUDO mkdir -p /var/lib/redis /var/log/redis
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_ready && break; sleep 0.5; done
fi
redis_ready || { echo "test-services: Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }
echo "test-services: PostgreSQL, Redis, Dovecot and Chromium are ready"
