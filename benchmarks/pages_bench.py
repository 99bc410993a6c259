"""Benchmark of the portal's own pages: server time, SQL queries and bytes a phone downloads.

Usage: DJANGO_DEBUG=1 .venv/bin/python benchmarks/pages_bench.py [--runs 50]
Uses a database of its own, asmhub_bench_pages, on the configured server (the embedded one
when DATABASE_URL is unset): created, migrated and seeded with the demo content (load_demo)
on each run. Collects static files, then prints one row per page: p50/p95/p99 server time
through Django's test client, SQL queries, and the compressed size of the HTML plus the CSS
and JS it links (gzip level 9 for HTML as a proxy for the server's compression; the static
files' pre-compressed .gz made by whitenoise at collectstatic). Every request must answer
200: any other status stops the run with an error instead of timing an error page.
"""

import argparse
import gzip
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import check_status, percentiles, use_own_database  # noqa: E402

use_own_database("asmhub_bench_pages")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/resources/",
    "/resources/?q=mercury",
    "/groups/",
    "/dialogues/",
    "/outlooks/",
    "/outlooks/compare/",
    "/countries/TZ/",
    "/search/?q=gold",
]


def static_bytes(html: str) -> int:
    total = 0
    for url in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        path = Path(settings.STATIC_ROOT) / url.removeprefix("/static/")
        gz = path.with_name(path.name + ".gz")
        total += gz.stat().st_size if gz.exists() else path.stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--pages", nargs="*", default=PAGES)
    args = parser.parse_args()

    settings.DEBUG = False  # hashed static names, as in production
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", interactive=False, verbosity=0)

    client = Client()
    columns = ["p50 ms", "p95 ms", "p99 ms", "queries", "html gz", "css+js gz", "total KB"]
    print(f"database {connection.settings_dict['NAME']}; load average {os.getloadavg()}")
    print(f"{'page':40} " + " ".join(f"{c:>9}" for c in columns))
    for page in args.pages:
        check_status(client.get(page), page)  # warm up
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(page)
            timings.append((time.perf_counter() - start) * 1000)
            check_status(response, page)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        check_status(response, page)
        html = response.content.decode()
        html_gz = len(gzip.compress(response.content, 9))
        assets = static_bytes(html)
        p50, p95, p99 = percentiles(timings)
        print(
            f"{page:40} {p50:9.1f} {p95:9.1f} {p99:9.1f} {len(queries):9d} "
            f"{html_gz:9d} {assets:9d} {(html_gz + assets) / 1024:9.1f}"
        )


if __name__ == "__main__":
    main()
