#!/usr/bin/env bash
# The load test against the running stack (`make stack` first): the realistic mix, then the
# home/healthz throughput ratio, then the lost-writes check and the report.
# Bounded: LOAD_USERS (50) users for LOAD_TIME (5m); only ever http://127.0.0.1.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="$ROOT/.venv/bin"
HOST="http://127.0.0.1:${ASMHUB_STACK_PORT:-8080}"
USERS="${LOAD_USERS:-50}"
TIME="${LOAD_TIME:-5m}"
RATIO_USERS="${LOAD_RATIO_USERS:-20}"
RATIO_TIME="${LOAD_RATIO_TIME:-30s}"
OUT="${LOAD_RESULTS:-$ROOT/bench-results/load-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"

[[ "$USERS" -le 200 ]] || { echo "LOAD_USERS is capped at 200" >&2; exit 1; }
curl -fsS "$HOST/healthz" >/dev/null || { echo "the stack is not answering on $HOST: make stack" >&2; exit 1; }
[[ -x "$BIN/locust" ]] || "$BIN/pip" install --quiet -e "$ROOT[load]"

eval "$("$ROOT/deploy/stack.sh" env)"
"$BIN/python" "$ROOT/benchmarks/load/plan.py" >"$OUT/plan.json"
export ASMHUB_LOAD_PLAN="$OUT/plan.json" ASMHUB_LOAD_WRITES="$OUT/writes.jsonl"
: >"$ASMHUB_LOAD_WRITES"

started="$(date -u +%FT%TZ)"; load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "mix: $USERS users for $TIME against $HOST (load average $load_before)"
"$BIN/locust" -f "$ROOT/benchmarks/load/locustfile.py" --headless --host "$HOST" \
  -u "$USERS" -r 5 -t "$TIME" --stop-timeout 10 --csv "$OUT/mix" --only-summary \
  Visitor Partner Coordinator Author >"$OUT/mix.log" 2>&1 || true
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
for kind in home healthz; do
  class=$([[ $kind == home ]] && echo HomeOnly || echo HealthzOnly)
  echo "$kind alone: $RATIO_USERS users for $RATIO_TIME"
  "$BIN/locust" -f "$ROOT/benchmarks/load/locustfile.py" --headless --host "$HOST" \
    -u "$RATIO_USERS" -r "$RATIO_USERS" -t "$RATIO_TIME" --csv "$OUT/$kind" --only-summary \
    "$class" >"$OUT/$kind.log" 2>&1 || true
done
ended="$(date -u +%FT%TZ)"
"$BIN/python" "$ROOT/benchmarks/load/verify.py" "$ASMHUB_LOAD_WRITES" >"$OUT/verify.json" || true
cat >"$OUT/meta.json" <<JSON
{"started": "$started", "ended": "$ended", "users": $USERS, "duration": "$TIME",
 "host": "$HOST", "load_before": "$load_before", "load_after": "$load_after",
 "cores": $(nproc), "ratio_users": $RATIO_USERS, "ratio_duration": "$RATIO_TIME"}
JSON
"$BIN/python" "$ROOT/benchmarks/load/report.py" "$OUT" | tee "$OUT/report.md"
