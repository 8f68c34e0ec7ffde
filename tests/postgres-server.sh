#!/usr/bin/env bash
# Sourced by test.sh: a throw-away PostgreSQL server for one test run, on 127.0.0.1 only, data in
# /tmp, fsync off (the data is thrown away). Exports DIALOGUE_TEST_POSTGRES; stop_test_postgres
# stops it and deletes the data. Installs the Debian packages when they are missing.

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
    fi
  done | sort -V | tail -n 1
}

start_test_postgres() {
  local bin
  bin=$(find_pg_bin)
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed: installing it from the Debian packages"
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client >/dev/null
    else
      sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client >/dev/null
    fi
    bin=$(find_pg_bin)
  fi
  if [ -z "$bin" ]; then
    echo "PostgreSQL could not be installed; the PostgreSQL tests will fail (DIALOGUE_TEST_POSTGRES is unset)."
    return 1
  fi

  PG_TEST_DIR=$(mktemp -d /tmp/dialogue-pg.XXXXXX)
  PG_TEST_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
  local run=()
  # initdb and postgres refuse to run as root.
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_TEST_DIR"
    run=(runuser -u postgres --)
  fi
  if ! "${run[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log" 2>&1; then
    cat "$PG_TEST_DIR/initdb.log"
    return 1
  fi
  if ! "${run[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $PG_TEST_PORT -k $PG_TEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null; then
    cat "$PG_TEST_DIR/server.log"
    return 1
  fi
  PG_TEST_BIN=$bin
  PG_TEST_RUN=("${run[@]}")
  export DIALOGUE_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_TEST_PORT;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$PG_TEST_PORT ($PG_TEST_DIR)"
}

stop_test_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ]; then
    "${PG_TEST_RUN[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
