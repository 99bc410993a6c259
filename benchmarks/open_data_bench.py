"""Benchmark of the machine-readable endpoints at 100,000 resources: OAI-PMH ListRecords and
ListIdentifiers pages (first page, a deep resumed page, a set) and API search pages.

Usage: DJANGO_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/anything \\
       .venv/bin/python benchmarks/open_data_bench.py [--sizes 100000] [--runs 30]

Seeds its own database (asmhub_opendata_bench_<size>) with resources_bench's SQL seeding,
then prints p50/p95 server time through Django's test client and SQL queries per page.
Budget: p95 under 150 ms for an OAI ListRecords page and an API search page.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

from benchmarks._common import use_own_database  # noqa: E402
from benchmarks.resources_bench import seed  # noqa: E402


def _resumed(client, verb: str, pages: int, **params) -> str:
    """The URL of the page `pages` tokens into a harvest (following real tokens)."""
    import re

    url = "/oai/?" + "&".join(f"{k}={v}" for k, v in {"verb": verb, **params}.items())
    for _ in range(pages):
        body = client.get(url).content.decode()
        token = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body).group(1)
        url = f"/oai/?verb={verb}&resumptionToken={token}"
    return url


def cases(client):
    from resources.models import Resource

    slug = Resource.objects.published().values_list("slug", flat=True).first()
    return [
        ("OAI ListRecords, first page", "/oai/?verb=ListRecords&metadataPrefix=oai_dc"),
        (
            "OAI ListRecords, 50 pages in",
            _resumed(client, "ListRecords", 50, metadataPrefix="oai_dc"),
        ),
        (
            "OAI ListRecords, set country:PE",
            "/oai/?verb=ListRecords&metadataPrefix=oai_dc&set=country:PE",
        ),
        (
            "OAI ListRecords, set theme, 20 in",
            _resumed(
                client,
                "ListRecords",
                20,
                metadataPrefix="oai_dc",
                set="theme:environment-mercury",
            ),
        ),
        (
            "OAI ListRecords, from 2025-01-01",
            "/oai/?verb=ListRecords&metadataPrefix=oai_dc&from=2025-01-01",
        ),
        ("OAI ListIdentifiers, first page", "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc"),
        ("API search: common word", "/api/resources/?q=mining"),
        ("API search: word + two facets", "/api/resources/?q=mercury&country=TZ&commodity=gold"),
        ("API search: browse", "/api/resources/"),
        ("API search: page 50 by title", "/api/resources/?sort=title&page=50"),
        ("API resource detail", f"/api/resources/{slug}/"),
        ("API countries", "/api/countries/"),
    ]


def measure(size: int, runs: int) -> list[tuple]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rows = []
    for name, url in cases(client):
        cache.clear()
        status = client.get(url).status_code
        timings = []
        for _ in range(runs):
            cache.clear()  # cold: no cached facet counts, no throttle history
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        p95 = statistics.quantiles(timings, n=20)[18]
        rows.append(
            (
                size,
                name,
                status,
                statistics.median(timings),
                p95,
                len(captured.captured_queries),
                len(response.content) // 1024,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if os.environ.get("ASMHUB_BENCH_SIZE") is None:
        for size in args.sizes:
            env = {**os.environ, "ASMHUB_BENCH_SIZE": str(size)}
            env["DATABASE_URL"] = use_own_database(f"asmhub_opendata_bench_{size}")
            argv = [sys.executable, __file__, "--runs", str(args.runs), "--sizes", str(size)]
            subprocess.run(argv, env=env, check=True)  # noqa: S603
        return
    size = int(os.environ["ASMHUB_BENCH_SIZE"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from rest_framework.throttling import AnonRateThrottle

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    AnonRateThrottle.THROTTLE_RATES = {"anon": None}  # one client asks many times here
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"size {size}:")
    seed(size)
    results = measure(size, args.runs)
    print(f"\nload average: {os.getloadavg()}")
    heads = ("p50 ms", "p95 ms", "queries")
    print(
        f"{'size':>7} {'case':36} {'status':>6} " + " ".join(f"{h:>8}" for h in heads) + "    KiB"
    )
    for size, name, status, p50, p95, queries, kib in results:
        print(f"{size:>7} {name:36} {status:>6} {p50:8.1f} {p95:8.1f} {queries:8d} {kib:6d}")


if __name__ == "__main__":
    main()
