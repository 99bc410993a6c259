"""Benchmark of learning-group pages with a large group: 500 members and 200 meetings.

Usage: DJANGO_DEBUG=1 DATABASE_URL=postgres://… .venv/bin/python benchmarks/learning_groups_bench.py
       [--runs 100]
Seeds a separate database (the configured one's name + "_lgbench", created if missing) with one
group of 500 members, 200 meetings (half held with minutes), 300 action items, 1,000 activity
records and 50 documents, then prints p50/p95/p99 server time (Django test client) and SQL queries
per page. Budget from issue 4: workspace and meeting page p95 ≤ 50 ms.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402

BENCH_SUFFIX = "_lgbench"
MINUTES = "- Agreed to draft the brief.\n- Next steps noted.\n" * 5


def use_bench_database() -> None:
    """Point the default connection at <name>_lgbench, creating that database once."""
    name = settings.DATABASES["default"]["NAME"]
    bench = name if name.endswith(BENCH_SUFFIX) else name + BENCH_SUFFIX
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench])
        exists = cursor.fetchone()
    if not exists:
        connection.ensure_connection()
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{bench}"')
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = bench
    connections["default"].settings_dict["NAME"] = bench


def seed():
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from asmhub.profiles.models import Profile, User
    from asmhub.taxonomy.models import Country
    from learning_groups.models import (
        ActionItem,
        Activity,
        Attendance,
        GroupDocument,
        LearningGroup,
        Meeting,
        Membership,
    )

    group = LearningGroup.objects.filter(slug="bench-group").first()
    if group is not None:
        return group
    group = LearningGroup.objects.create(
        name="Benchmark Learning Group",
        slug="bench-group",
        country=Country.objects.get(code="TZ"),
        description="A large group for the benchmark.",
        time_zone="Africa/Dar_es_Salaam",
    )
    password = make_password("bench-password-42")
    users = User.objects.bulk_create(
        [User(email=f"bench{i}@example.org", password=password) for i in range(500)]
    )
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=f"Bench Member {i}") for i, u in enumerate(users)]
    )
    Membership.objects.bulk_create(
        [
            Membership(group=group, user=u, role="coordinator" if i < 3 else "member")
            for i, u in enumerate(users)
        ]
    )
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                group=group,
                title=f"Meeting {i}",
                starts_at=now + timedelta(days=7 * (i - 100)),
                ends_at=now + timedelta(days=7 * (i - 100), hours=2),
                place="Mwanza",
                online_link="https://meet.example.org/bench",
                agenda="1. **Welcome**\n2. Reports\n3. [Brief](https://example.org)\n" * 3,
                minutes="- Agreed to draft the brief.\n- Next steps noted.\n" * 5
                if i < 100
                else "",
                status="held" if i < 100 else "planned",
            )
            for i in range(200)
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                group=group,
                meeting=meetings[i % 100],
                what=f"Action {i}: collect licence fee figures",
                owner=users[i % 500],
                due_date=(now + timedelta(days=i % 60)).date(),
                status="open" if i % 6 == 0 else "done",
            )
            for i in range(300)
        ]
    )
    Activity.objects.bulk_create(
        [
            Activity(group=group, actor=users[i % 500], verb="joined", subject=f"Member {i}")
            for i in range(1000)
        ]
    )
    GroupDocument.objects.bulk_create(
        [
            GroupDocument(
                group=group,
                title=f"Working paper {i}",
                file=f"uploads/bench/{i}.pdf",
                original_name=f"paper-{i}.pdf",
                content_type="application/pdf",
                size=1000 + i,
                uploaded_by=users[i],
            )
            for i in range(50)
        ]
    )
    # The next meeting: every member has answered (the heaviest meeting page).
    nxt = meetings[101]
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=nxt, user=u, response="will-attend" if i % 4 else "apologies")
            for i, u in enumerate(users)
        ]
    )
    return group


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()

    use_bench_database()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from learning_groups.models import Meeting, Membership

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    group = seed()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum keeps them in production
    next_meeting = Meeting.objects.filter(group=group).upcoming().first()
    past_meeting = Meeting.objects.filter(group=group, status="held").order_by("-starts_at")[0]
    coordinator = Membership.objects.filter(group=group, role="coordinator").first().user
    member = Membership.objects.filter(group=group, role="member").first().user

    pages = [
        ("workspace (member)", member, f"/groups/{group.slug}/"),
        ("workspace (coordinator)", coordinator, f"/groups/{group.slug}/"),
        ("meeting, next (member)", member, next_meeting.get_absolute_url()),
        ("meeting, next (coordinator)", coordinator, next_meeting.get_absolute_url()),
        ("meeting, held (member)", member, past_meeting.get_absolute_url()),
        ("members list (coordinator)", coordinator, f"/groups/{group.slug}/members/"),
        ("group list (anonymous)", None, "/groups/"),
        ("my groups (member)", member, "/groups/mine/"),
        ("calendar.ics 200 meetings", member, f"/groups/{group.slug}/calendar.ics"),
    ]
    print(f"group: {group.memberships.count()} members, {group.meetings.count()} meetings")
    print(
        f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    # "cpu" is this process's own CPU time (Python + Django, not PostgreSQL's): on a busy
    # machine it shows what the page costs apart from waiting for a core.
    print(
        f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'cpu p50':>8} {'cpu p95':>8} "
        f"{'queries':>8} {'KB':>6}"
    )
    for label, user, url in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)  # warm up
        timings, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        cuts = statistics.quantiles(timings, n=100, method="inclusive")
        cpu95 = statistics.quantiles(cpu, n=20)[18]
        print(
            f"{label:32} {statistics.median(timings):8.1f} {cuts[94]:8.1f} {cuts[98]:8.1f} "
            f"{statistics.median(cpu):8.1f} {cpu95:8.1f} {len(queries):8d} "
            f"{len(response.content) / 1024:6.1f}"
        )


if __name__ == "__main__":
    main()
