#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store tests, in a folder of its own, listening only on
# a unix socket in that folder (no TCP port), password authentication (scram-sha-256), fsync off
# unless GOLDPATH_PG_FSYNC=on (the benchmark).
#
#   .ci/postgres.sh start DIR     initdb + start; prints the URL of the cluster on stdout
#   .ci/postgres.sh restart DIR   stops and starts it again (the tests' restart case)
#   .ci/postgres.sh stop DIR      stops it and removes DIR
#
# With GOLDPATH_PG_TLS=1, `start` makes a test CA (DIR/ca.crt, the file a client trusts with
# `sslrootcert=`) and a certificate for `localhost` it signs, and the cluster listens on
# 127.0.0.1 at a free port, refusing TCP connections without TLS (`hostssl` only); the URL
# names `localhost` and that port.
#
# Installs PostgreSQL from the Debian packages when no server binaries are found and apt-get
# can be used. initdb refuses to run as root: as root the cluster belongs to user `nobody`.
# `start` exits 1, saying why on stderr, when no server can be started.
set -euo pipefail

bin_dir() {
  local found
  if found=$(command -v pg_ctl 2>/dev/null) && [ -x "$(dirname "$found")/initdb" ]; then
    dirname "$found"
    return
  fi
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

start() {
  local dir=$1 bin
  if ! bin=$(bin_dir); then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      echo "postgres.sh: installing postgresql from the Debian packages" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 ||
        { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
    fi
    bin=$(bin_dir) || { echo "postgres.sh: no PostgreSQL server binaries (pg_ctl, initdb) found" >&2; exit 1; }
  fi
  mkdir -p "$dir"
  local password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" > "$dir/pwfile"
  [ "$(id -u)" = 0 ] && chown -R nobody "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U goldpath --auth=scram-sha-256 --pwfile="$dir/pwfile" \
    --no-instructions -E UTF8 >"$dir/initdb.log" 2>&1 ||
    { echo "postgres.sh: initdb failed:" >&2; cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  echo "$bin" > "$dir/bin"
  if [ "${GOLDPATH_PG_TLS:-}" = 1 ]; then
    tls "$dir"
    run_ctl "$dir" start
    printf 'postgres://goldpath:%s@localhost:%s/postgres\n' "$password" "$(cat "$dir/port")"
    return
  fi
  echo "-c listen_addresses='' -c unix_socket_directories='$dir'" > "$dir/options"
  run_ctl "$dir" start
  printf 'postgres://goldpath:%s@%s/postgres\n' "$password" "$(printf '%s' "$dir" | sed 's|/|%2F|g')"
}

# A test CA (DIR/ca.crt) and a server certificate for localhost it signs; TCP on 127.0.0.1 at a
# free port, TLS required.
tls() {
  local dir=$1 port
  {
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=goldpath-test-ca \
      -keyout "$dir/ca.key" -out "$dir/ca.crt" &&
    openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
      -keyout "$dir/server.key" -out "$dir/server.csr" &&
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext" &&
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
      -days 2 -extfile "$dir/server.ext" -out "$dir/server.crt"
  } >/dev/null 2>&1 || { echo "postgres.sh: openssl could not make the certificates" >&2; exit 1; }
  rm -f "$dir/ca.key" "$dir/server.csr" "$dir/server.ext"
  chmod 600 "$dir/server.key"
  [ "$(id -u)" = 0 ] && chown nobody "$dir/server.key" "$dir/server.crt"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "$port" > "$dir/port"
  printf 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n' > "$dir/data/pg_hba.conf"
  echo "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c ssl=on -c ssl_cert_file='$dir/server.crt' -c ssl_key_file='$dir/server.key'" > "$dir/options"
}

run_ctl() {
  local dir=$1 action=$2
  as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "$(cat "$dir/options") -c fsync=${GOLDPATH_PG_FSYNC:-off}" "$action" >/dev/null ||
    { echo "postgres.sh: pg_ctl $action failed:" >&2; cat "$dir/server.log" >&2; exit 1; }
}

case "${1:-}" in
  start) start "$2" ;;
  restart) run_ctl "$2" stop && run_ctl "$2" start ;;
  stop)
    if [ -f "$2/bin" ]; then run_ctl "$2" stop 2>/dev/null || true; fi
    rm -rf "$2"
    ;;
  *) echo "usage: $0 start|restart|stop DIR" >&2; exit 2 ;;
esac
