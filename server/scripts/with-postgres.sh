#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server and LAYANAN_TEST_POSTGRES_URL set,
# e.g.:   bash server/scripts/with-postgres.sh cargo test -p layanan-server
#
# Installs PostgreSQL from Debian's packages if it is missing, starts a private cluster
# on 127.0.0.1 (port LAYANAN_PG_PORT, default 55432) in a temp folder as the
# `postgres` user (PostgreSQL refuses to run as root), creates the database
# `layanan_test`, runs the command, and stops and removes the cluster afterwards,
# whatever the command's outcome. fsync is off (the data is thrown away) unless
# LAYANAN_PG_FSYNC=on, which benchmarks use so that commits are as durable as SQLite's.
set -euo pipefail

port="${LAYANAN_PG_PORT:-55432}"
fsync="${LAYANAN_PG_FSYNC:-off}"

find_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin="$(find_bin)"
if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then
    echo "with-postgres: installing PostgreSQL from Debian packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin="$(find_bin)"
fi

run_as_postgres() {
    if [[ "$(id -u)" == 0 ]]; then
        su postgres -s /bin/sh -c "$1"
    else
        sh -c "$1"
    fi
}

dir="$(mktemp -d /tmp/layanan-pg.XXXXXX)"
if [[ "$(id -u)" == 0 ]]; then
    chown postgres:postgres "$dir"
fi
cleanup() {
    run_as_postgres "'$bin/pg_ctl' -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

run_as_postgres "'$bin/initdb' -D '$dir/data' -U postgres -A trust" >/dev/null
if ! run_as_postgres "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=$fsync -c max_connections=200\" start" >/dev/null; then
    echo "with-postgres: PostgreSQL did not start on 127.0.0.1:$port (port in use? set LAYANAN_PG_PORT); its log:" >&2
    tail -n 20 "$dir/log" >&2 || true
    exit 1
fi
"$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE layanan_test"

export LAYANAN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/layanan_test"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $LAYANAN_TEST_POSTGRES_URL" >&2
"$@"
