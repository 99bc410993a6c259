"""Benchmark of Outlooks at network scale: the comparison page and an edition's PDF.

Usage: DJANGO_DEBUG=1 .venv/bin/python benchmarks/outlooks_bench.py [--runs 40] [--pdf-runs 5]
Seeds 50 countries × 5 published editions × 40 indicators (10,000 values, 250 revisions) into a
separate database (<configured name>_outlooks_bench, kept between runs), then prints p50/p95/p99
server time through Django's test client, SQL queries and response size for:
the comparison of 10 indicators × 50 countries (budget: 100 ms p95) rendered afresh each time
and served from the cache that publications refresh, an edition page, the comparison's CSV,
and one edition's PDF (budget: 3 s).
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

COUNTRIES, EDITIONS, INDICATORS = 50, 5, 40
YEARS = list(range(2022, 2022 + EDITIONS))


@transaction.atomic
def seed() -> None:
    from asmhub.taxonomy.models import Country
    from outlooks.models import (
        Edition,
        IndicatorDefinition,
        IndicatorValue,
        Methodology,
        Revision,
        SectionDefinition,
        SectionText,
    )
    from outlooks.services import build_snapshot

    if Methodology.objects.filter(version="bench").exists():
        return
    rng = random.Random(42)
    Methodology.objects.filter(is_current=True).update(is_current=False)
    methodology = Methodology.objects.create(version="bench", title="Bench", is_current=True)
    sections = SectionDefinition.objects.bulk_create(
        SectionDefinition(methodology=methodology, position=n, slug=f"s{n}", title=f"Section {n}")
        for n in range(8)
    )
    kinds = ["number", "percentage"]
    indicators = IndicatorDefinition.objects.bulk_create(
        IndicatorDefinition(
            methodology=methodology,
            code=f"ind-{n:02d}",
            name=f"Indicator {n}",
            unit="people" if n % 2 == 0 else "%",
            kind=kinds[n % 2],
            position=n,
        )
        for n in range(INDICATORS)
    )
    countries = list(Country.objects.order_by("code")[:COUNTRIES])
    now = timezone.now()
    editions = Edition.objects.bulk_create(
        Edition(
            country=country,
            year=year,
            methodology=methodology,
            title=f"National ASM Outlook: {country.name} {year}",
            summary="Benchmark edition.",
            status=Edition.Status.PUBLISHED,
            published_at=now,
        )
        for country in countries
        for year in YEARS
    )
    values = []
    for edition in editions:
        for indicator in indicators:
            if rng.random() < 0.05:
                continue  # some missing values, as in real editions
            top = 100 if indicator.kind == "percentage" else 2_000_000
            central = Decimal(rng.randint(1, top))
            ranged = rng.random() < 0.3
            values.append(
                IndicatorValue(
                    edition=edition,
                    indicator=indicator,
                    value=None if ranged else central,
                    low=central * Decimal("0.8") if ranged else None,
                    high=min(central * Decimal("1.2"), top) if ranged else None,
                    data_year=edition.year - 1,
                    source_citation="National cadastre, benchmark data",
                    confidence=rng.choice(["high", "medium", "low"]),
                )
            )
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    body = "A paragraph of findings with **emphasis** and a list:\n\n- one\n- two\n\n" * 6
    SectionText.objects.bulk_create(
        SectionText(edition=edition, section=section, body=body)
        for edition in editions
        for section in sections
    )
    Revision.objects.bulk_create(
        Revision(edition=e, number=1, published_at=now, snapshot=build_snapshot(e))
        for e in editions
    )


def measure(client, path, runs, *, cold=False):
    from django.core.cache import cache

    client.get(path)  # warm up
    timings = []
    for _ in range(runs):
        if cold:
            cache.clear()  # outside the timing: every request renders the comparison afresh
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if len(timings) >= 2:
        cuts = statistics.quantiles(timings, n=100, method="inclusive")
        p95, p99 = cuts[94], cuts[98]
    else:
        p95 = p99 = timings[0]
    return statistics.median(timings), p95, p99, len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--pdf-runs", type=int, default=5)
    args = parser.parse_args()

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    # A per-process cache, as Redis would be in production (the default database cache
    # would put the configured database's cache table in the way).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"}
    }
    # A separate database (<name>_outlooks_bench), kept between runs so seeding happens once.
    database = connection.settings_dict
    database.setdefault("TEST", {})["NAME"] = f"{database['NAME']}_outlooks_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    seed()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the bulk inserts
    print(f"seeded/checked in {time.perf_counter() - started:.1f} s")
    # Other work on the machine inflates every figure; say how busy it was.
    print("load average (1, 5, 15 min): " + ", ".join(f"{n:.2f}" for n in os.getloadavg()))

    from asmhub.taxonomy.models import Country

    codes = list(Country.objects.order_by("code").values_list("code", flat=True)[:COUNTRIES])
    query = "&".join(
        [f"indicator=ind-{n:02d}" for n in range(10)] + [f"country={c}" for c in codes]
    )
    client = Client()
    rows = [
        ("compare 10×50, cold (no cache)", f"/outlooks/compare/?{query}", args.runs, 100),
        ("compare 10×50, cached", f"/outlooks/compare/?{query}", args.runs, 100),
        ("compare export.csv", f"/outlooks/compare/export.csv?{query}", args.runs, None),
        ("edition page (40 indicators)", f"/outlooks/{codes[0]}/{YEARS[-1]}/", args.runs, None),
        ("outlooks list", "/outlooks/", args.runs, None),
        ("edition PDF", f"/outlooks/{codes[0]}/{YEARS[-1]}/export.pdf", args.pdf_runs, 3000),
    ]
    print(
        f"{'page':32} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'queries':>8} {'KB':>8} "
        f"{'budget':>8}"
    )
    for label, path, runs, budget in rows:
        p50, p95, p99, queries, size = measure(client, path, runs, cold="cold" in label)
        verdict = "" if budget is None else ("ok" if p95 <= budget else "OVER")
        budget_text = f"{budget} {verdict}" if budget else ""
        print(
            f"{label:32} {p50:9.1f} {p95:9.1f} {p99:9.1f} {queries:8d} {size / 1024:8.1f} "
            f"{budget_text:>8}"
        )


if __name__ == "__main__":
    main()
