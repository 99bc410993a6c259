"""Demo content: one learning group per programme country, with meetings, minutes and actions.

Everything here is invented. Idempotent: groups, memberships and meetings are found by their
natural keys, so running load_demo again changes nothing.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from asmhub.demo import PEOPLE, demo_email
from asmhub.profiles.models import User
from asmhub.taxonomy.models import Country

from .models import ActionItem, Activity, Attendance, LearningGroup, Meeting, Membership

GROUPS = [
    # (country, slug, name, time zone, place)
    ("TZ", "tanzania", "Tanzania National Learning Group", "Africa/Dar_es_Salaam", "Mwanza"),
    ("ET", "ethiopia", "Ethiopia National Learning Group", "Africa/Addis_Ababa", "Addis Ababa"),
    ("CO", "colombia", "Grupo Nacional de Aprendizaje de Colombia", "America/Bogota", "Medellín"),
    ("PE", "peru", "Grupo Nacional de Aprendizaje del Perú", "America/Lima", "Puno"),
    ("BO", "bolivia", "Grupo Nacional de Aprendizaje de Bolivia", "America/La_Paz", "La Paz"),
    ("IN", "india", "India National Learning Group", "Asia/Kolkata", "Hyderabad"),
]

PAST_AGENDA = """1. Welcome and round of introductions
2. Findings from the field visits
3. Formalisation: what the new licensing rules mean for small operators
4. Any other business"""

PAST_MINUTES = """**Present:** the coordinators and members listed under attendance.

- The field visits confirmed that licensing costs are the main barrier for small operators.
- Members agreed to draft a short policy brief for the ministry.
- Next meeting to review the draft."""

UPCOMING_AGENDA = """1. Review of the draft policy brief
2. Planning the national dialogue on mercury reduction
3. Open action items from the last meeting"""


def _local(zone, days: int, hour: int):
    day = (timezone.now().astimezone(zone) + timedelta(days=days)).date()
    return datetime.combine(day, time(hour, 0), tzinfo=zone)


@transaction.atomic
def load(*, stdout) -> None:
    people = {}
    for local, _display, country, *_rest in PEOPLE:
        user = User.objects.filter(email=demo_email(local)).first()
        if user is not None:
            people.setdefault(country, []).append(user)
    countries = Country.objects.in_bulk()
    meetings_made = 0
    for code, slug, name, zone_name, place in GROUPS:
        group, _created = LearningGroup.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "country": countries[code],
                "time_zone": zone_name,
                "description": (
                    f"Miners' leaders, officials, researchers and civil society in "
                    f"{countries[code].name} who meet every quarter to share what works in "
                    "artisanal and small-scale mining and to turn it into policy proposals."
                ),
            },
        )
        members = people.get(code, [])
        for index, user in enumerate(members):
            membership, created = Membership.objects.get_or_create(
                group=group,
                user=user,
                defaults={"role": "coordinator" if index == 0 else "member"},
            )
            if created:
                Activity.objects.create(
                    group=group, actor=user, verb=Activity.Verb.JOINED, subject=user.public_name
                )
        coordinator = members[0] if members else None
        zone = group.zone
        plan = [
            ("Quarterly meeting: field visit findings", -60, Meeting.Status.HELD),
            ("Quarterly meeting: licensing and formalisation", -30, Meeting.Status.HELD),
            ("Quarterly meeting: policy brief review", 14, Meeting.Status.PLANNED),
            ("Planning the national dialogue", 45, Meeting.Status.PLANNED),
        ]
        for title, days, status in plan:
            starts = _local(zone, days, 10)
            meeting, created = Meeting.objects.get_or_create(
                group=group,
                title=title,
                defaults={
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "place": place,
                    "online_link": f"https://meet.example.org/asmhub-{slug}",
                    "agenda": PAST_AGENDA if status == Meeting.Status.HELD else UPCOMING_AGENDA,
                    "minutes": PAST_MINUTES if status == Meeting.Status.HELD else "",
                    "status": status,
                    "created_by": coordinator,
                },
            )
            if not created:
                continue
            meetings_made += 1
            if status == Meeting.Status.HELD:
                for user in members:
                    Attendance.objects.get_or_create(
                        meeting=meeting, user=user, defaults={"response": "attended"}
                    )
                for index, user in enumerate(members):
                    ActionItem.objects.create(
                        group=group,
                        meeting=meeting,
                        what=(
                            "Draft the policy brief on licensing costs"
                            if index == 0
                            else "Collect licence fee figures from three districts"
                        ),
                        owner=user,
                        due_date=(starts + timedelta(days=40)).date(),
                        status="done" if days < -45 else "open",
                        created_by=coordinator,
                    )
            Activity.objects.create(
                group=group,
                actor=coordinator,
                verb=Activity.Verb.MEETING_SCHEDULED,
                subject=title,
                link=meeting.get_absolute_url(),
            )
    stdout.write(f"  learning_groups: {len(GROUPS)} groups, {meetings_made} new meetings")
