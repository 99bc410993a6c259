"""Shared by the benchmark scripts: a database of their own, percentiles, loud status checks.

Import this before `django.setup()`: `use_own_database()` changes DATABASE_URL, which the
settings read once.
"""

import os
import statistics
import sys
from pathlib import Path

import dj_database_url
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")


def use_own_database(name: str) -> str:
    """Point DATABASE_URL at database `name` on the configured server (the embedded one when
    DATABASE_URL is unset), creating it if needed, so a benchmark never touches the data of
    `make run` or of another benchmark. Returns the new URL."""
    url = os.environ.get("DATABASE_URL")
    if url:
        base = dj_database_url.parse(url)
    else:
        from asmhub.embedded_db import database_settings

        base = {**database_settings(), "PASSWORD": ""}
    admin = psycopg2.connect(
        dbname="postgres",
        user=base["USER"],
        password=base.get("PASSWORD") or None,
        host=base["HOST"],
        port=base["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    user = base["USER"] + (f":{base['PASSWORD']}" if base.get("PASSWORD") else "")
    host, port = base["HOST"], base["PORT"] or 5432
    if str(host).startswith("/"):  # a Unix socket folder (the embedded server)
        new = f"postgres://{user}@/{name}?host={host}&port={port}"
    else:
        new = f"postgres://{user}@{host}:{port}/{name}"
    os.environ["DATABASE_URL"] = new
    return new


def percentiles(timings: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 of the timings (ms)."""
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return statistics.median(timings), cuts[94], cuts[98]


def check_status(response, what: str, expected: int = 200) -> None:
    """A benchmark of an error page measures nothing: stop loudly instead."""
    if response.status_code != expected:
        raise SystemExit(
            f"FAILED: {what} answered {response.status_code}, expected {expected}; "
            "the timings would describe an error page, so none are printed."
        )
