#!/usr/bin/env bash
# The production stack on this machine (`make serve`): PostgreSQL 15 + gunicorn + whitenoise.
#
#   1. starts a local PostgreSQL cluster in var/pg (created on first use, kept between runs; owned by an
#      unprivileged user when run as root, as .ci/run does), listening on 127.0.0.1 only;
#   2. migrates, collects the static files, seeds the demo (PRODUCTION unset for that step only);
#   3. runs gunicorn (config/gunicorn.conf.py) with PRODUCTION=1, a generated SECRET_KEY kept in
#      var/serve/secret_key, on http://127.0.0.1:8000/ (plain HTTP: SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0).
#
# Ctrl+C stops gunicorn and then PostgreSQL (KEEP_PG=1 leaves it running).
# Variables: HOST, PORT (gunicorn), PGPORT (default: first free port from 55440), SEED_DEMO=0 (skip the
# demo data), WEB_CONCURRENCY / GUNICORN_THREADS (gunicorn), PGBIN.
# `scripts/serve.sh env` prints the DATABASE_URL etc. of the running stack (for backups, row counts);
# `scripts/serve.sh pg` only starts PostgreSQL (and leaves it running), `scripts/serve.sh stop` stops it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PYTHON="$ROOT/.venv/bin/python"
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
VAR="$ROOT/var"
PGDIR="$VAR/pg"
PGDATA="$PGDIR/data"
SERVE="$VAR/serve"
DB_NAME=party_report
DB_USER=bars

mkdir -p "$SERVE"
chmod 700 "$SERVE"

PGUSER_OS=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root: the cluster belongs to an unprivileged system user.
    PGUSER_OS=pgserve
    if ! id -u "$PGUSER_OS" >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PGUSER_OS" 2>/dev/null || id -u "$PGUSER_OS" >/dev/null
    fi
fi

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$PGDIR" && runuser -u "$PGUSER_OS" -- "$@")
    else
        (cd "$PGDIR" && "$@")
    fi
}

secret() {  # a random value kept in a file readable only by us: secret FILE LENGTH
    if [ ! -s "$1" ]; then
        (umask 077 && "$PYTHON" -c "import secrets,sys; print(secrets.token_urlsafe(int(sys.argv[1])))" "$2" >"$1")
    fi
    cat "$1"
}

pg_running() { [ -f "$PGDATA/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

free_port() {
    "$PYTHON" - "$1" <<'EOF'
import socket
import sys

for candidate in range(int(sys.argv[1]), int(sys.argv[1]) + 200):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        print(candidate)
        break
else:
    sys.exit("no free port")
EOF
}

start_pg() {
    [ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 is missing ($PGBIN): run make setup" >&2; exit 1; }
    mkdir -p "$PGDIR/socket"
    if [ "$(id -u)" -eq 0 ]; then chown -R "$PGUSER_OS" "$PGDIR"; fi
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        echo "==> creating the PostgreSQL cluster in $PGDATA"
        as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            --encoding=UTF8 --locale=C.UTF-8 >"$PGDIR/initdb.log" 2>&1 \
            || { cat "$PGDIR/initdb.log" >&2; exit 1; }
    fi
    if pg_running; then
        echo "==> PostgreSQL already running on port $(cat "$PGDIR/port")"
        return
    fi
    PGPORT=${PGPORT:-$(free_port 55440)}
    echo "$PGPORT" >"$PGDIR/port"
    # Tuned for a small machine shared with the app servers (see docs/scaling.md for real sizes).
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDIR/server.log" -w -t 60 \
        -o "-p $PGPORT -k $PGDIR/socket -c listen_addresses=127.0.0.1 -c max_connections=100 \
-c shared_buffers=256MB -c work_mem=8MB -c effective_cache_size=1GB -c synchronous_commit=on" start >/dev/null \
        || { tail -n 20 "$PGDIR/server.log" >&2; exit 1; }
    echo "==> PostgreSQL listening on 127.0.0.1:$PGPORT"
}

database_url() {
    local password
    password=$(secret "$SERVE/db_password" 24)
    echo "postgres://$DB_USER:$password@127.0.0.1:$(cat "$PGDIR/port")/$DB_NAME"
}

ensure_database() {
    local password port
    password=$(secret "$SERVE/db_password" 24)
    port=$(cat "$PGDIR/port")
    psql_pg() { as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGDIR/socket" -p "$port" -U postgres -d postgres "$@"; }
    if [ -z "$(psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" ]; then
        # CREATEDB: the tests (and tests/ops' restore test) create scratch databases.
        psql_pg -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$password'"
    fi
    if [ -z "$(psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
        psql_pg -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
    fi
}

if [ "${1:-}" = "env" ]; then
    pg_running || { echo "the serve stack's PostgreSQL is not running" >&2; exit 1; }
    echo "DATABASE_URL=$(database_url)"
    echo "PGDATA=$PGDATA"
    echo "MEDIA_ROOT=${MEDIA_ROOT:-$VAR/media}"
    exit 0
fi

if [ "${1:-}" = "pg" ]; then  # only PostgreSQL (left running), e.g. for tests/ops or a restore drill
    start_pg
    ensure_database
    echo "DATABASE_URL=$(database_url)"
    exit 0
fi
if [ "${1:-}" = "stop" ]; then
    pg_running && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop
    exit 0
fi

start_pg
stop_pg() {
    if [ "${KEEP_PG:-0}" != "1" ]; then
        echo "==> stopping PostgreSQL"
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
}
trap stop_pg EXIT
ensure_database

export DATABASE_URL
DATABASE_URL=$(database_url)
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
unset DEBUG DJANGO_SETTINGS_MODULE

echo "==> migrate"
PRODUCTION=1 SECRET_KEY=$(secret "$SERVE/secret_key" 48) "$PYTHON" manage.py migrate --no-input >/dev/null
echo "==> collectstatic"
PRODUCTION=1 SECRET_KEY=$(secret "$SERVE/secret_key" 48) "$PYTHON" manage.py collectstatic --no-input >/dev/null
if [ "${SEED_DEMO:-1}" != "0" ]; then
    echo "==> seed_demo (PRODUCTION unset for this step only)"
    env -u PRODUCTION "$PYTHON" manage.py seed_demo >"$SERVE/seed.log" 2>&1 \
        || { tail -n 20 "$SERVE/seed.log" >&2; exit 1; }
fi

echo "==> gunicorn on http://$HOST:$PORT/ (Ctrl+C stops it; health: http://$HOST:$PORT/healthz/)"
export PRODUCTION=1 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0
export SECRET_KEY
SECRET_KEY=$(secret "$SERVE/secret_key" 48)
export DB_CONN_MAX_AGE="${DB_CONN_MAX_AGE:-60}"
export BIND="$HOST:$PORT"
# Not exec: the EXIT trap must still stop PostgreSQL when gunicorn ends.
"$ROOT/.venv/bin/gunicorn" -c config/gunicorn.conf.py config.wsgi &
GUNICORN_PID=$!
trap 'kill -TERM $GUNICORN_PID 2>/dev/null || true' INT TERM
wait $GUNICORN_PID || true
wait $GUNICORN_PID 2>/dev/null || true
