#!/usr/bin/env bash
# Throw-away PostgreSQL servers for tests, on 127.0.0.1 only.
#   eval "$(scripts/test-postgres.sh start [PORT])"
#       installs PostgreSQL if missing and starts two fresh clusters:
#       - on PORT, with TLS (a CA and a certificate for "localhost" made here by openssl), where
#         the role postgres must use TLS (hostssl), the role warden_plain may go without, and the
#         role warden_cert signs in with the client certificate tls/client.pem alone;
#       - on PORT+1, without TLS.
#       It prints export lines for WARDEN_TEST_POSTGRES_URL (the first, over sslmode=verify-full
#       with sslrootcert set to the CA) and WARDEN_TEST_POSTGRES_PLAIN_URL (the second). Both
#       allow 60 s to connect: the whole suite opening connections at once over TLS on a loaded
#       two-core machine can take longer than the 10 s default.
#   scripts/test-postgres.sh stop [PORT]   stops both clusters and removes their files
set -euo pipefail
action=${1:-start}
port=${2:-55432}
plain_port=$((port + 1))
state=/tmp/warden-test-postgres-$port

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
runas=()
[ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)

# start_cluster DIR PORT HBA_LINES EXTRA_OPTIONS
start_cluster() {
  local dir=$1 cluster_port=$2 hba_lines=$3 options=$4
  "${runas[@]}" "$bin/initdb" -A trust -U postgres -E UTF8 --locale=C -D "$dir/data" >"$dir/initdb.log" 2>&1
  printf '%s\n' "$hba_lines" >"$dir/data/pg_hba.conf"
  "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $cluster_port -k $dir -c fsync=off -c synchronous_commit=off -c max_connections=300 $options" start >&2
}

case "$action" in
start)
  bin=$(find_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "installing PostgreSQL from Debian's packages..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql openssl >&2
    bin=$(find_bin)
  fi
  "$0" stop "$port"
  mkdir -p "$state/tls" "$state/plain"

  # A CA of its own, and a server certificate it signs for the name localhost (not 127.0.0.1, so
  # that verify-full to 127.0.0.1 fails as a wrong host name must).
  tls=$state/tls
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Warden test CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost\n' >"$tls/server.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
    -extfile "$tls/server.ext" -out "$tls/server.pem" 2>/dev/null
  # A client certificate for the role warden_cert, which signs in with it alone.
  openssl req -newkey rsa:2048 -nodes -subj "/CN=warden_cert" -keyout "$tls/client.key" -out "$tls/client.csr" 2>/dev/null
  openssl x509 -req -in "$tls/client.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 -out "$tls/client.pem" 2>/dev/null
  chmod 600 "$tls/server.key"
  chmod 644 "$tls/client.pem" "$tls/client.key"
  chmod 755 "$state" "$tls"
  chmod 644 "$tls/ca.pem"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$state"; fi

  # Local sockets are trusted. Over TCP, the roles named for a sign-in method use it, over TLS;
  # warden_plain may sign in with or without TLS; everyone else (postgres) must use TLS.
  hba="local all all trust
hostssl all warden_auth_password 127.0.0.1/32 password
hostssl all warden_auth_md5 127.0.0.1/32 md5
hostssl all warden_auth_scram 127.0.0.1/32 scram-sha-256
hostssl all warden_auth_url 127.0.0.1/32 scram-sha-256
hostssl all warden_cert 127.0.0.1/32 cert
host all warden_plain 127.0.0.1/32 trust
hostssl all all 127.0.0.1/32 trust"
  start_cluster "$state" "$port" "$hba" \
    "-c ssl=on -c ssl_cert_file=$tls/server.pem -c ssl_key_file=$tls/server.key -c ssl_ca_file=$tls/ca.pem"
  start_cluster "$state/plain" "$plain_port" "local all all trust
host all all 127.0.0.1/32 trust" "-c ssl=off"
  echo "export WARDEN_TEST_POSTGRES_URL='postgres://postgres@localhost:$port/postgres?sslmode=verify-full&sslrootcert=$tls/ca.pem&connect_timeout=60'"
  echo "export WARDEN_TEST_POSTGRES_PLAIN_URL='postgres://postgres@127.0.0.1:$plain_port/postgres?sslmode=disable&connect_timeout=60'"
  ;;
stop)
  bin=$(find_bin)
  for dir in "$state/plain" "$state"; do
    if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
      "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
  done
  rm -rf "$state"
  ;;
*)
  echo "usage: $0 start|stop [PORT]" >&2
  exit 2
  ;;
esac
