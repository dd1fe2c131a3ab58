#!/usr/bin/env bash
# A rehearsal of the read replica (docs/deploy.md, "Rehearsal: a real replica") on real PostgreSQL:
#
#     bash bench/replica/rehearse.sh
#
# Makes two throw-away PostgreSQL clusters under a temporary directory (a primary, and a hot
# standby streaming from it, made with pg_basebackup -R), a throw-away Redis, migrates the
# primary with the replica configured, fills it with bench/generate.py, then serves the portal
# with gunicorn twice, production-like: once routed (DATABASE_REPLICA_URL set) and once on the
# primary only. bench/replica/checks.py then checks, counting each cluster's statements from
# the database side (pg_stat_statements, per application role), that public reads go to the
# replica, staff pages and writes to the primary, that staff see their own change at once, what
# happens under replication lag and with the replica stopped, and measures both servers side by
# side. It prints a summary table and exits 1 if a check failed.
#
# Everything listens on 127.0.0.1 only, on free ports from 55432 (PostgreSQL), 56379 (Redis)
# and 8460 (gunicorn); the machine's own PostgreSQL is not touched. On exit (normal, error,
# Ctrl-C, or the REHEARSAL_TIME_LIMIT) it stops what it started and removes the directory.
#
# Settings (environment): REHEARSAL_CASE_STUDIES (2000), REHEARSAL_WORKERS (gunicorn workers per
# server, 3), REHEARSAL_ROUNDS (5) and REHEARSAL_BURST (seconds, 3) and REHEARSAL_CONNECTIONS (8)
# for the latency part (REHEARSAL_ROUNDS=0 skips it), REHEARSAL_TIME_LIMIT (seconds for the
# checks, 900), PG_BIN (the newest /usr/lib/postgresql/*/bin), REHEARSAL_KEEP_LOGS=1 (copy the
# logs to bench/replica/logs/ before removing the directory).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/replica
PY=$ROOT/.venv/bin/python
GUNICORN=$ROOT/.venv/bin/gunicorn
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
CASE_STUDIES=${REHEARSAL_CASE_STUDIES:-2000}
WORKERS=${REHEARSAL_WORKERS:-3}
TIME_LIMIT=${REHEARSAL_TIME_LIMIT:-900}
DB=coopnet_bench_replica  # bench/generate.py refuses a database without "bench" in its name

[ -x "$PY" ] || { echo "No virtual environment: run make install first" >&2; exit 2; }
[ -x "$PG_BIN/pg_basebackup" ] || { echo "No PostgreSQL server binaries (set PG_BIN)" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server is not installed" >&2; exit 2; }
command -v wrk >/dev/null || echo "wrk is not installed: the latency part will be skipped" >&2

# initdb refuses to run as root: the clusters belong to the postgres user then.
if [ "$(id -u)" -eq 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi

free_port() {  # the first port from $1 on which nothing listens on 127.0.0.1
  "$PY" - "$1" "${2:-0}" <<'EOF'
import socket, sys
port, taken = int(sys.argv[1]), int(sys.argv[2])
while True:
    with socket.socket() as s:
        try:
            if port != taken:
                s.bind(("127.0.0.1", port))
                break
        except OSError:
            pass
    port += 1
print(port)
EOF
}

say() { printf '\n== %s\n' "$*"; }

TMP=$(mktemp -d /tmp/coopnet-replica.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres: "$TMP"  # the clusters and their sockets live here
GUNICORN_PIDS=()
REDIS_PID=

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  say "Cleaning up"
  for pid in "${GUNICORN_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${GUNICORN_PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      for child in $(pgrep -P "$pid"); do kill -KILL "$child" 2>/dev/null; done
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  [ -n "$REDIS_PID" ] && kill -TERM "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  for cluster in replica primary; do
    if [ -f "$TMP/$cluster/postmaster.pid" ]; then
      as_pg "$PG_BIN/pg_ctl" -D "$TMP/$cluster" stop -m fast -w -t 30 >/dev/null 2>&1 \
        || as_pg "$PG_BIN/pg_ctl" -D "$TMP/$cluster" stop -m immediate -w -t 30 >/dev/null 2>&1
    fi
  done
  if [ "${REHEARSAL_KEEP_LOGS:-0}" = 1 ]; then
    mkdir -p "$HERE/logs" && cp "$TMP"/*.log "$HERE/logs/" 2>/dev/null
    echo "Logs copied to $HERE/logs/"
  fi
  rm -rf "$TMP"
  echo "Stopped gunicorn, Redis and both clusters; removed $TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PRIMARY_PORT=$(free_port "${REHEARSAL_PRIMARY_PORT:-55432}")
REPLICA_PORT=$(free_port "${REHEARSAL_REPLICA_PORT:-$((PRIMARY_PORT + 1))}" "$PRIMARY_PORT")
REDIS_PORT=$(free_port "${REHEARSAL_REDIS_PORT:-56379}")
WEB_PORT=$(free_port "${REHEARSAL_WEB_PORT:-8460}")
WEB_PRIMARY_ONLY_PORT=$(free_port "$((WEB_PORT + 1))" "$WEB_PORT")
echo "Working in $TMP; PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')" \
  "primary :$PRIMARY_PORT, replica :$REPLICA_PORT; Redis :$REDIS_PORT;" \
  "gunicorn routed :$WEB_PORT, primary-only :$WEB_PRIMARY_ONLY_PORT"

say "The primary cluster"
as_pg "$PG_BIN/initdb" -D "$TMP/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$TMP/initdb.log"
cat >"$TMP/primary/pg_hba.conf" <<'EOF'
# Throw-away clusters on loopback only: trust, replication included.
local   all          all                 trust
host    all          all   127.0.0.1/32  trust
local   replication  all                 trust
host    replication  all   127.0.0.1/32  trust
EOF
cat >>"$TMP/primary/postgresql.conf" <<EOF

# bench/replica/rehearse.sh
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$TMP'
wal_level = replica
max_wal_senders = 4
hot_standby = on
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top
pg_stat_statements.max = 5000
log_min_messages = warning
EOF
as_pg "$PG_BIN/pg_ctl" -D "$TMP/primary" -l "$TMP/primary.log" -w start >/dev/null
psql_primary() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres "$@"; }
# Two application roles, one per server, so that each cluster's pg_stat_statements tells the
# servers' statements apart (and from this script's). Superusers: throw-away clusters.
psql_primary -d postgres -c "CREATE ROLE coopnet LOGIN SUPERUSER" \
  -c "CREATE ROLE coopnet_primary_only LOGIN SUPERUSER" -c "CREATE DATABASE $DB OWNER coopnet"
psql_primary -d "$DB" -c "CREATE EXTENSION pg_stat_statements"

say "The replica: pg_basebackup -R, then a hot standby"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$TMP/replica" \
  -R -X stream -c fast
cat >>"$TMP/replica/postgresql.conf" <<EOF
# the replica
port = $REPLICA_PORT
hot_standby = on
EOF
as_pg "$PG_BIN/pg_ctl" -D "$TMP/replica" -l "$TMP/replica.log" -w start >/dev/null
for _ in $(seq 100); do
  state=$(psql_primary -d postgres -Atc "SELECT state FROM pg_stat_replication" || true)
  [ "$state" = streaming ] && break
  sleep 0.1
done
[ "$state" = streaming ] || { echo "The replica is not streaming" >&2; exit 1; }
echo "Streaming: $("$PG_BIN/psql" -X -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -Atc \
  "SELECT 'in recovery: ' || pg_is_in_recovery()")"

PRIMARY_URL=postgres://coopnet@127.0.0.1:$PRIMARY_PORT/$DB
REPLICA_URL=postgres://coopnet@127.0.0.1:$REPLICA_PORT/$DB
PRIMARY_ONLY_URL=postgres://coopnet_primary_only@127.0.0.1:$PRIMARY_PORT/$DB
STAFF_PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')
STAFF_TOTP_KEY=$("$PY" -c 'import secrets; print(secrets.token_hex(20))')
# Production-like settings, as `make serve` has them, plain HTTP on loopback.
export DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 \
  DJANGO_SECURE_HSTS_SECONDS=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_LOG_LEVEL=WARNING \
  GUNICORN_WORKERS="$WORKERS" GUNICORN_ACCESS_LOG=""
DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY

cd "$ROOT"
say "Migrating, with the replica configured (as on an app server), else on the primary alone"
# docs/deploy.md: "manage.py migrate never touches the replica". Checked as it comes; if it
# fails, the rehearsal says so (check 0) and migrates with DATABASE_URL alone.
if DATABASE_URL=$PRIMARY_URL DATABASE_REPLICA_URL=$REPLICA_URL "$PY" manage.py migrate --noinput \
  -v0 >"$TMP/migrate-with-replica.log" 2>&1; then
  echo "ok" >"$TMP/migrate-with-replica.result"
else
  # The project's own frames, then the error.
  { grep -F "File \"$ROOT/" "$TMP/migrate-with-replica.log" | grep -v -e /.venv/ -e manage.py \
    | tail -n 2 || true; tail -n 1 "$TMP/migrate-with-replica.log"; } >"$TMP/migrate-with-replica.result"
  echo "migrate with DATABASE_REPLICA_URL set failed:"; cat "$TMP/migrate-with-replica.result"
  DATABASE_URL=$PRIMARY_URL "$PY" manage.py migrate --noinput -v0
fi
say "Content: $CASE_STUDIES case studies (bench/generate.py), then VACUUM ANALYZE"
DATABASE_URL=$PRIMARY_URL "$PY" bench/generate.py "$CASE_STUDIES"
psql_primary -d "$DB" -c "VACUUM ANALYZE"
say "A staff user (a superuser, so a publisher), with an authenticator if the project has two-factor"
DATABASE_URL=$PRIMARY_URL DJANGO_SUPERUSER_PASSWORD=$STAFF_PASSWORD \
  "$PY" manage.py createsuperuser --noinput --username rehearsal --email rehearsal@example.org
DATABASE_URL=$PRIMARY_URL STAFF_TOTP_KEY=$STAFF_TOTP_KEY "$PY" manage.py shell --no-imports -c "
import os
from django.apps import apps
from django.contrib.auth import get_user_model
if apps.is_installed('django_otp.plugins.otp_totp'):
    from django_otp.plugins.otp_totp.models import TOTPDevice
    user = get_user_model().objects.get(username='rehearsal')
    TOTPDevice.objects.create(user=user, name='rehearsal', key=os.environ['STAFF_TOTP_KEY'], confirmed=True)
    print('TOTP device created')
else:
    print('No two-factor app installed: password only')
"
"$PY" manage.py collectstatic --noinput -v0

say "Redis and gunicorn"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$TMP" \
  --logfile "$TMP/redis.log" &
REDIS_PID=$!
start_gunicorn() {  # name port database_url replica_url redis_db
  DATABASE_URL=$3 DATABASE_REPLICA_URL=$4 REDIS_URL=redis://127.0.0.1:$REDIS_PORT/$5 \
    GUNICORN_BIND=127.0.0.1:$2 "$GUNICORN" -c gunicorn.conf.py coopnet.wsgi \
    >"$TMP/gunicorn-$1.log" 2>&1 &
  GUNICORN_PIDS+=($!)
}
start_gunicorn routed "$WEB_PORT" "$PRIMARY_URL" "$REPLICA_URL" 0
start_gunicorn primary-only "$WEB_PRIMARY_ONLY_PORT" "$PRIMARY_ONLY_URL" "" 1

say "Checks (bench/replica/checks.py), at most $TIME_LIMIT s"
set +e
REHEARSAL_TMP=$TMP PG_BIN=$PG_BIN REHEARSAL_PRIMARY_PORT=$PRIMARY_PORT \
  REHEARSAL_REPLICA_PORT=$REPLICA_PORT REHEARSAL_DATABASE=$DB \
  REHEARSAL_BASE=http://127.0.0.1:$WEB_PORT \
  REHEARSAL_BASE_PRIMARY_ONLY=http://127.0.0.1:$WEB_PRIMARY_ONLY_PORT \
  REHEARSAL_STAFF_PASSWORD=$STAFF_PASSWORD REHEARSAL_STAFF_TOTP_KEY=$STAFF_TOTP_KEY \
  REHEARSAL_CASE_STUDIES=$CASE_STUDIES REHEARSAL_WORKERS=$WORKERS \
  timeout --signal=TERM "$TIME_LIMIT" "$PY" "$HERE/checks.py"
result=$?
set -e
if [ "$result" -eq 124 ]; then echo "The checks did not finish within $TIME_LIMIT s" >&2; fi
if [ "$result" -ne 0 ] && [ "$result" -ne 1 ]; then
  for log in "$TMP"/gunicorn-*.log "$TMP"/replica.log; do
    echo "--- last lines of $(basename "$log")"; tail -n 15 "$log"
  done
fi
exit "$result"
