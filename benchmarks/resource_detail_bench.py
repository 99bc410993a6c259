"""Server time and SQL of the resource detail page (with related resources) on a seeded database.

Usage: DJANGO_DEBUG=1 .venv/bin/python benchmarks/resource_detail_bench.py [--size 100000]
Uses a database of its own, asmhub_bench_<size>, on the configured server (the embedded one
when DATABASE_URL is unset): created, migrated and seeded with `size` resources on first run by
the same seeding as benchmarks/resources_bench.py (which shares that database), reused after.
Requests 20 random published resources 3 times each through Django's test client (after one
warm-up round), checks every answer is 200 (any other status stops the run with an error), and
prints p50/p95/p99 and the queries of one request.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import check_status, percentiles, use_own_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000, help="resources to seed")
    args = parser.parse_args()
    use_own_database(f"asmhub_bench_{args.size}")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from resources_bench import seed

    from resources.models import Resource

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed(args.size)

    client = Client(HTTP_HOST="localhost")
    slugs = list(Resource.objects.published().order_by("?").values_list("slug", flat=True)[:20])
    if not slugs:
        raise SystemExit("FAILED: no published resources to request")
    for slug in slugs:
        check_status(client.get(f"/resources/{slug}/"), f"/resources/{slug}/")
    timings = []
    for _ in range(3):
        for slug in slugs:
            started = time.perf_counter()
            response = client.get(f"/resources/{slug}/")
            timings.append((time.perf_counter() - started) * 1000)
            check_status(response, f"/resources/{slug}/")
    with CaptureQueriesContext(connection) as captured:
        check_status(client.get(f"/resources/{slugs[0]}/"), f"/resources/{slugs[0]}/")
    p50, p95, p99 = percentiles(timings)
    print(f"database                {connection.settings_dict['NAME']}")
    print(f"load average            {os.getloadavg()}")
    print(f"resources published     {Resource.objects.published().count():,}")
    print(f"requests                {len(timings)} (all 200)")
    print(f"detail page p50         {p50:.1f} ms")
    print(f"detail page p95         {p95:.1f} ms")
    print(f"detail page p99         {p99:.1f} ms")
    print(f"SQL queries             {len(captured.captured_queries)}")
    for query in captured.captured_queries:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:90]}")


if __name__ == "__main__":
    main()
