"""Benchmark of the dialogue pages with 500 dialogues: server time, SQL queries, page weight.

Usage: DJANGO_DEBUG=1 DATABASE_URL=... .venv/bin/python benchmarks/dialogues_bench.py [--runs 50]
Creates a separate, throw-away database (Django's test database, "test_<name>"), seeds it
with --dialogues dialogues (each with participation counts, sessions, named participants,
follow-up actions with dated updates; 50 of them in one series), then prints one row per page:
p50/p95/p99 server time through Django's test client, SQL queries, and the gzipped HTML size.
"""

import argparse
import datetime
import gzip
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from asmhub.taxonomy.models import Country, StakeholderType, Theme  # noqa: E402
from dialogues.models import (  # noqa: E402
    Dialogue,
    DialogueSeries,
    FollowUpAction,
    FollowUpUpdate,
    NamedParticipant,
    ParticipationCount,
    Session,
)

STATUSES = ["not-started", "in-progress", "done", "stalled"]


def seed(n: int) -> None:
    rng = random.Random(42)
    countries = list(Country.objects.programme()) + list(Country.objects.all()[:20])
    themes = list(Theme.objects.all())
    kinds = list(StakeholderType.objects.all())
    series = DialogueSeries.objects.create(title="Bench series", slug="bench-series")
    start = datetime.date(2018, 1, 1)
    dialogues = Dialogue.objects.bulk_create(
        Dialogue(
            title=f"Dialogue {i} on concessions and co-existence",
            slug=f"dialogue-{i}",
            issue="Can artisanal miners work legally on land licensed to a company?",
            series=series if i < 50 else None,
            scope=rng.choice(["international", "national"]),
            start_date=start + datetime.timedelta(days=4 * i),
            place="Arusha, Tanzania",
            status=rng.choice(["planned", "held", "report-published"]),
            visibility="restricted" if i % 10 == 0 else "public",
            is_published=i % 17 != 0,
            outcome_summary="Participants agreed that evictions without alternatives failed. " * 5,
            key_agreements="Co-existence agreements should be written and public.",
            continued_disagreements="Liability for safety on shared land.",
        )
        for i in range(n)
    )
    country_links, theme_links, counts, sessions, people, actions = [], [], [], [], [], []
    for d in dialogues:
        country_links += [
            Dialogue.countries.through(dialogue=d, country=c) for c in rng.sample(countries, 3)
        ]
        theme_links += [Dialogue.themes.through(dialogue=d, theme=t) for t in rng.sample(themes, 2)]
        counts += [
            ParticipationCount(
                dialogue=d,
                stakeholder_type=k,
                women=rng.randint(0, 12),
                men=rng.randint(0, 12),
                other=rng.randint(0, 2),
            )
            for k in rng.sample(kinds, 5)
        ]
        sessions += [
            Session(
                dialogue=d,
                title=f"Session {s}",
                starts_at=datetime.datetime(2025, 3, 11, 9 + s, tzinfo=datetime.UTC),
            )
            for s in range(4)
        ]
        people += [
            NamedParticipant(dialogue=d, name=f"Person {p}", consent_to_publish=True)
            for p in range(3)
        ]
        actions += [
            FollowUpAction(dialogue=d, description=f"Action {a}", responsible="Ministry")
            for a in range(4)
        ]
    Dialogue.countries.through.objects.bulk_create(country_links)
    Dialogue.themes.through.objects.bulk_create(theme_links)
    ParticipationCount.objects.bulk_create(counts)
    Session.objects.bulk_create(sessions)
    NamedParticipant.objects.bulk_create(people)
    FollowUpAction.objects.bulk_create(actions)
    FollowUpUpdate.objects.bulk_create(
        FollowUpUpdate(action=a, date=datetime.date(2025, 4 + u, 1), status=rng.choice(STATUSES))
        for a in actions
        for u in range(3)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--dialogues", type=int, default=500)
    args = parser.parse_args()

    setup_test_environment()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
        seed(args.dialogues)
        pages = [
            "/dialogues/",
            "/dialogues/?page=10",
            "/dialogues/?country=TZ&status=held",
            "/dialogues/?theme=child-labour&year=2020",
            "/dialogues/dialogue-1/",
            "/dialogues/series/bench-series/",
        ]
        client = Client()
        print(f"{args.dialogues} dialogues, {args.runs} runs per page, anonymous visitor")
        columns = ["p50 ms", "p95 ms", "p99 ms", "queries", "html gz"]
        print(f"{'page':44} " + " ".join(f"{c:>9}" for c in columns))
        for page in pages:
            if client.get(page).status_code != 200:  # warm up
                raise SystemExit(f"{page} does not answer 200")
            timings = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(page)
                timings.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page)
            cuts = statistics.quantiles(timings, n=100, method="inclusive")
            print(
                f"{page:44} {statistics.median(timings):9.1f} {cuts[94]:9.1f} {cuts[98]:9.1f} "
                f"{len(queries):9d} "
                f"{len(gzip.compress(response.content, 9)):9d}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
