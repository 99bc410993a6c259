#!/usr/bin/env bash
# The stack's task worker under a minimal supervisor (what systemd's Restart=always or
# compose's restart policy do in production): when `db_worker` exits — a database restart
# makes it exit, or it is killed — tasks it left RUNNING are requeued and it starts again.
# Usage: worker.sh <python> <state dir>; SIGTERM stops the worker and the loop.
set -u
PYTHON="$1" STATE="$2"
child=""
trap '[[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null; wait; rm -f "$STATE/worker-process.pid"; exit 0' TERM INT
while true; do
  # The stack's only worker: whatever is RUNNING now was left by one that died.
  "$PYTHON" manage.py requeue_stale_tasks --older-than-minutes 0
  "$PYTHON" manage.py db_worker &
  child=$!
  echo "$child" >"$STATE/worker-process.pid"
  wait "$child"
  echo "[worker.sh] db_worker exited with status $?; restarting in 2 s" >&2
  sleep 2
done
