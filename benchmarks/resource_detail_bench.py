"""Server time and SQL of the resource detail page (with related resources) on a seeded database.

Usage: DJANGO_DEBUG=1 DATABASE_URL=postgres://…/<name>_bench_100000 \\
       .venv/bin/python benchmarks/resource_detail_bench.py
Point DATABASE_URL at a database seeded by benchmarks/resources_bench.py (<name>_bench_100 or
<name>_bench_100000). Requests 20 random published resources 3 times each through Django's test
client (after one warm-up round) and prints p50/p95 and the queries of one request.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from resources.models import Resource  # noqa: E402


def main() -> None:
    client = Client(HTTP_HOST="localhost")
    slugs = list(Resource.objects.published().order_by("?").values_list("slug", flat=True)[:20])
    for slug in slugs:
        client.get(f"/resources/{slug}/")
    timings = []
    for _ in range(3):
        for slug in slugs:
            started = time.perf_counter()
            client.get(f"/resources/{slug}/")
            timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/resources/{slugs[0]}/")
    print(f"resources published     {Resource.objects.published().count():,}")
    print(f"detail page p50         {statistics.median(timings):.1f} ms")
    print(f"detail page p95         {statistics.quantiles(timings, n=20)[18]:.1f} ms")
    print(f"SQL queries             {len(captured.captured_queries)}")
    for query in captured.captured_queries:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:90]}")


if __name__ == "__main__":
    main()
