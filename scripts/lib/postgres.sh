#!/usr/bin/env bash
# Starts a throwaway PostgreSQL from the installed binaries (initdb, pg_ctl)
# in a temporary directory, exports the connection string Backstage's
# TestDatabases reads, and stops it on exit.

start_throwaway_postgres() {
  local pg_bin
  pg_bin="$(dirname "$(command -v pg_ctl 2>/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1)")"
  if [[ ! -x "$pg_bin/pg_ctl" ]]; then
    echo "PostgreSQL binaries (initdb, pg_ctl) not found: install PostgreSQL 15" >&2
    return 1
  fi
  PG_DIR="$(mktemp -d /tmp/kubernetes-security-pg.XXXXXX)"
  local port="${PG_PORT:-55432}"
  # Another run on this machine may hold the port: take the next free one.
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  # PostgreSQL refuses to run as root: run it as an unprivileged user.
  local run_as=()
  if [[ "$(id -u)" == "0" ]]; then
    local pg_user=postgres
    id "$pg_user" >/dev/null 2>&1 || pg_user=nobody
    chown "$pg_user" "$PG_DIR"
    run_as=(runuser -u "$pg_user" --)
  fi
  "${run_as[@]}" "$pg_bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    return 1
  }
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null || {
    cat "$PG_DIR/server.log" >&2
    return 1
  }
  PG_STOP_CMD=("${run_as[@]}" "$pg_bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:$port"
  export KUBERNETES_SECURITY_REQUIRE_POSTGRES=1
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

stop_throwaway_postgres() {
  if [[ -n "${PG_DIR:-}" ]]; then
    "${PG_STOP_CMD[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
  fi
}
