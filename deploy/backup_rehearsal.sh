#!/usr/bin/env bash
# Rehearse a restore on the running stack: back up the site, restore into a NEW database and
# a NEW bucket, then compare every table's row count and every object's sha256 with the
# originals. Nothing of the running site is changed. Usage: deploy/backup_rehearsal.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.venv/bin"
eval "$("$ROOT/deploy/stack.sh" env)"
WORK="$(mktemp -d)"
STAMP="$(date +%s)"
NEW_DB="asmhub_rehearsal_$STAMP"
NEW_BUCKET="asmhub-rehearsal-$STAMP"
cd "$ROOT"

echo "1. backup of the running site into $WORK/backup"
"$BIN/python" manage.py backup "$WORK/backup"

echo "2. a new database ($NEW_DB) and a new bucket ($NEW_BUCKET)"
NEW_URL="$("$BIN/python" - "$NEW_DB" "$NEW_BUCKET" <<'PY'
import os, sys
from urllib.parse import urlsplit, urlunsplit
import boto3, psycopg2
name, bucket = sys.argv[1], sys.argv[2]
conn = psycopg2.connect(os.environ["DATABASE_URL"])
conn.autocommit = True
conn.cursor().execute(f'CREATE DATABASE "{name}"')
conn.close()
boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name="us-east-1").create_bucket(Bucket=bucket)
parts = urlsplit(os.environ["DATABASE_URL"])
print(urlunsplit(parts._replace(path="/" + name)))
PY
)"

echo "3. restore"
DATABASE_URL="$NEW_URL" AWS_STORAGE_BUCKET_NAME="$NEW_BUCKET" "$BIN/python" manage.py restore "$WORK/backup"

echo "4. compare"
status=0
ORIGINAL_URL="$DATABASE_URL" NEW_URL="$NEW_URL" NEW_BUCKET="$NEW_BUCKET" "$BIN/python" - "$WORK/backup" <<'PY' || status=$?
import hashlib, json, os, sys
import boto3, psycopg2
manifest = json.load(open(os.path.join(sys.argv[1], "manifest.json")))

def counts(url):
    conn = psycopg2.connect(url)
    cur = conn.cursor()
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    tables = [t for (t,) in cur.fetchall()]
    result = {}
    for table in tables:
        cur.execute(f'SELECT count(*) FROM "{table}"')
        result[table] = cur.fetchone()[0]
    conn.close()
    return result

before, after = counts(os.environ["ORIGINAL_URL"]), counts(os.environ["NEW_URL"])
differ = {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name="us-east-1")
bad = []
for item in manifest["media"]:
    body = s3.get_object(Bucket=os.environ["NEW_BUCKET"], Key=item["name"])["Body"].read()
    if hashlib.sha256(body).hexdigest() != item["sha256"]:
        bad.append(item["name"])
print(f"tables: {len(before)}, rows: {sum(before.values())} original / {sum(after.values())} restored")
print(f"tables whose counts differ (rows written during the backup count here): {differ or 'none'}")
print(f"media objects: {len(manifest['media'])}, checksum mismatches: {len(bad)}")
sys.exit(1 if bad or differ else 0)
PY

echo "5. clean up the rehearsal database and bucket"
"$BIN/python" - "$NEW_DB" "$NEW_BUCKET" <<'PY'
import os, sys
import boto3, psycopg2
name, bucket = sys.argv[1], sys.argv[2]
conn = psycopg2.connect(os.environ["DATABASE_URL"])
conn.autocommit = True
conn.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name="us-east-1")
for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
    s3.delete_object(Bucket=bucket, Key=item["Key"])
s3.delete_bucket(Bucket=bucket)
PY
rm -rf "$WORK"
[[ $status == 0 ]] && echo "rehearsal passed: counts and checksums equal" || echo "rehearsal FAILED"
exit "$status"
