#!/usr/bin/env bash
# A throw-away PostgreSQL for tests, on 127.0.0.1 only.
#   scripts/test-postgres.sh start [PORT]   installs PostgreSQL if missing, starts a fresh cluster,
#                                           prints its URL (postgres://postgres@127.0.0.1:PORT/postgres)
#   scripts/test-postgres.sh stop  [PORT]   stops that cluster and removes its files
set -euo pipefail
action=${1:-start}
port=${2:-55432}
state=/tmp/warden-test-postgres-$port

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

case "$action" in
start)
  bin=$(find_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "installing PostgreSQL from Debian's packages..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin=$(find_bin)
  fi
  if [ -f "$state/data/postmaster.pid" ]; then
    "$0" stop "$port"
  fi
  rm -rf "$state"
  mkdir -p "$state"
  runas=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$state"
    runas=(runuser -u postgres --)
  fi
  "${runas[@]}" "$bin/initdb" -A trust -U postgres -E UTF8 --locale=C -D "$state/data" >"$state/initdb.log" 2>&1
  # Everyone is trusted except three roles the tests create, which must sign in with the method
  # their name ends in: the client's password, MD5 and SCRAM-SHA-256 logins meet a real server.
  hba="$state/data/pg_hba.conf"
  { printf 'host all warden_auth_password 127.0.0.1/32 password\n'
    printf 'host all warden_auth_md5 127.0.0.1/32 md5\n'
    printf 'host all warden_auth_scram 127.0.0.1/32 scram-sha-256\n'
    cat "$hba"; } >"$hba.new"
  mv "$hba.new" "$hba"
  [ "$(id -u)" = 0 ] && chown postgres "$hba"
  "${runas[@]}" "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $state -c fsync=off -c synchronous_commit=off -c max_connections=300" start >&2
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  bin=$(find_bin)
  if [ -f "$state/data/postmaster.pid" ]; then
    runas=()
    [ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)
    "${runas[@]}" "$bin/pg_ctl" -D "$state/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$state"
  ;;
*)
  echo "usage: $0 start|stop [PORT]" >&2
  exit 2
  ;;
esac
