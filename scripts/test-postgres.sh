#!/usr/bin/env bash
# A throwaway PostgreSQL for the server's integration tests and benchmark.
# Idempotent: if something already answers on 127.0.0.1:54329 it only prints the URL.
# Prints exactly one line on stdout: the DATABASE_URL. Everything else goes to stderr.
set -euo pipefail

PORT="${BATON_PG_PORT:-54329}"
HOST=127.0.0.1
DIR="${BATON_PG_DIR:-/tmp/baton-pg}"
URL="postgres://baton:baton@${HOST}:${PORT}/baton_test"

find_bin() {
  local dir
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  for dir in /usr/lib/postgresql/*/bin; do
    if [[ -x "$dir/initdb" ]]; then echo "$dir"; fi
  done | sort -V | tail -n 1
}
BIN="$(find_bin)"
if [[ -z "$BIN" ]]; then
  echo "test-postgres: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
  exit 1
fi

if "$BIN/pg_isready" -q -h "$HOST" -p "$PORT"; then
  echo "$URL"
  exit 0
fi

# initdb and postgres refuse to run as root, so the cluster belongs to the postgres OS user.
as_postgres() {
  if [[ "$(id -un)" == postgres ]]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  fi
}

if [[ "$(id -un)" != postgres ]] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres >&2
fi

init_cluster() {
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chown postgres "$DIR" 2>/dev/null || true
  chmod 700 "$DIR"
  as_postgres "$BIN/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2 \
    || as_postgres "$BIN/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C >&2
}

# fsync stays on: the crash test and the benchmark measure durable writes.
start_cluster() {
  as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=$HOST -c port=$PORT -c unix_socket_directories=$DIR -c fsync=on -c synchronous_commit=on -c max_connections=200" >&2
}

[[ -f "$DIR/PG_VERSION" ]] || init_cluster
# A server killed moments ago leaves a lock file and dying backends: try again shortly, and as a last
# resort start from a fresh cluster (it only ever holds throwaway test data).
start_cluster || { sleep 3; start_cluster; } || { init_cluster && start_cluster; }

for _ in $(seq 1 60); do
  if "$BIN/pg_isready" -q -h "$HOST" -p "$PORT"; then break; fi
  sleep 0.5
done

psql_admin() {
  as_postgres "$BIN/psql" -h "$HOST" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}
if [[ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'baton'")" != 1 ]]; then
  psql_admin -c "CREATE ROLE baton LOGIN PASSWORD 'baton' CREATEDB" >&2
fi
if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'baton_test'")" != 1 ]]; then
  psql_admin -c "CREATE DATABASE baton_test OWNER baton" >&2
fi

echo "$URL"
