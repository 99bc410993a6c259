"""Demo dialogue records: one international series and three national dialogues (all invented).

Idempotent: records are keyed by slug, their parts by natural keys, so loading twice changes
nothing. Linked to library resources when the resources demo has loaded some.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from asmhub.demo import demo_email
from asmhub.profiles.models import Organisation, User
from asmhub.taxonomy.models import Country, StakeholderType, Theme
from resources.models import Resource

from .models import (
    Dialogue,
    DialogueResource,
    DialogueSeries,
    FollowUpAction,
    FollowUpStatus,
    FollowUpUpdate,
    NamedParticipant,
    ParticipationCount,
    Session,
)

D = datetime.date
NS, IP, DONE, ST = (
    FollowUpStatus.NOT_STARTED,
    FollowUpStatus.IN_PROGRESS,
    FollowUpStatus.DONE,
    FollowUpStatus.STALLED,
)

SERIES = {
    "slug": "asm-lsm-governments",
    "title": "ASM, large-scale mining and governments",
    "description": (
        "An international series on how artisanal miners, large-scale mining companies and "
        "governments share land, minerals and responsibility, and how to turn conflict over "
        "concessions into workable arrangements."
    ),
}

# Each dialogue: fields, then its parts. Counts are (stakeholder slug, women, men, other).
DIALOGUES = [
    {
        "slug": "sharing-concessions-arusha-2025",
        "series": True,
        "title": "Sharing concessions: ASM on large-scale mining licences",
        "issue": "Can artisanal miners work legally on land licensed to a large-scale company?",
        "scope": Dialogue.Scope.INTERNATIONAL,
        "countries": ["TZ", "ET", "CO", "PE"],
        "themes": ["asm-lsm-relations", "land-resource-rights", "formalisation-governance"],
        "start_date": D(2025, 3, 11),
        "end_date": D(2025, 3, 13),
        "place": "Arusha, Tanzania",
        "time_zone": "Africa/Dar_es_Salaam",
        "co_chairs": "Neema Kileo (TMPF) and a senior official of a ministry of mines",
        "convening": ["grmi", "tmpf"],
        "status": Dialogue.Status.REPORT_PUBLISHED,
        "outcome_summary": (
            "Participants agreed that evictions without alternatives had failed everywhere they "
            "had been tried. Several companies described relinquishing parts of their licences; "
            "miners' organisations stressed that relinquished areas were often already "
            "exhausted.\n\nGovernment participants saw co-existence agreements as a route to "
            "formalisation, provided the state stays a party to them."
        ),
        "key_agreements": (
            "Co-existence agreements should be written, public and reviewed yearly.\n"
            "Geological data on relinquished areas should be shared with miners' organisations."
        ),
        "continued_disagreements": (
            "Who carries liability for safety and environmental harm on shared land.\n"
            "Whether companies should buy the gold produced on their licences."
        ),
        "counts": [
            ("government", 5, 9, 0),
            ("large-scale-mining", 3, 7, 0),
            ("asm-miners", 6, 8, 1),
            ("ngo-civil-society", 5, 3, 0),
            ("researcher", 3, 2, 0),
            ("international-initiative", 2, 2, 0),
        ],
        "named": [
            ("Neema Kileo", "Co-chair", "Tanzania Mineral Policy Forum", True),
            ("Amani Mushi", "Speaker", "Lake Zone Artisanal Miners' Federation", True),
            ("Martín Salas", "Rapporteur", "Centro Andino de Estudios Mineros", False),
        ],
        "sessions": [
            (D(2025, 3, 11), 9, "Opening: what is at stake", "plenary"),
            (D(2025, 3, 11), 11, "Three co-existence agreements, seen from each side", "panel"),
            (D(2025, 3, 12), 9, "Liability, safety and the environment", "working-groups"),
            (D(2025, 3, 12), 14, "Visit to a shared licence area", "field-visit"),
            (D(2025, 3, 13), 9, "What we agree on, and what we do not", "plenary"),
        ],
        "actions": [
            (
                "Publish a model co-existence agreement for comment",
                "grmi",
                "",
                D(2025, 9, 30),
                [
                    (D(2025, 4, 15), IP, "Drafting group formed."),
                    (D(2025, 7, 1), IP, "Draft out for comment in four countries."),
                    (D(2025, 10, 20), DONE, "Model agreement published in the library."),
                ],
            ),
            (
                "Share geological data on relinquished areas with miners' organisations",
                None,
                "large-scale-mining",
                D(2025, 12, 31),
                [
                    (D(2025, 5, 2), IP, "Two companies agreed to share data."),
                    (D(2025, 11, 10), ST, "Data-sharing stalled over confidentiality terms."),
                ],
            ),
            (
                "Report back to the next dialogue in the series",
                "tmpf",
                "",
                D(2025, 10, 1),
                [(D(2025, 10, 8), DONE, "Reported at the Lima dialogue.")],
            ),
        ],
        "resources": 2,
    },
    {
        "slug": "buying-asm-gold-lima-2025",
        "series": True,
        "title": "Who buys the gold? Responsible sourcing from ASM",
        "issue": (
            "Should large-scale companies and refiners buy gold from artisanal miners working "
            "near their operations?"
        ),
        "scope": Dialogue.Scope.INTERNATIONAL,
        "countries": ["PE", "CO", "BO"],
        "themes": ["market-access-finance", "asm-lsm-relations"],
        "start_date": D(2025, 10, 7),
        "end_date": D(2025, 10, 8),
        "place": "Lima, Peru",
        "time_zone": "America/Lima",
        "co_chairs": "Rosa Quispe (AMAP) and an invited refiner's representative",
        "convening": ["grmi", "caem"],
        "status": Dialogue.Status.HELD,
        "outcome_summary": (
            "The discussion showed broad support for formal buying schemes, and deep doubt "
            "about who would pay for traceability."
        ),
        "key_agreements": "A pilot buying scheme in one Andean region, with public reporting.",
        "continued_disagreements": "Pricing: premiums versus world price minus costs.",
        "counts": [
            ("government", 3, 4, 0),
            ("large-scale-mining", 2, 5, 0),
            ("asm-miners", 7, 6, 0),
            ("ngo-civil-society", 4, 2, 1),
            ("donor", 1, 1, 0),
        ],
        "named": [("Rosa Quispe", "Co-chair", "Asociación de Mineros Artesanales de Puno", True)],
        "sessions": [
            (D(2025, 10, 7), 9, "How ASM gold reaches the market today", "panel"),
            (D(2025, 10, 7), 14, "Designing a buying scheme", "working-groups"),
            (D(2025, 10, 8), 9, "Agreements and next steps", "plenary"),
        ],
        "actions": [
            (
                "Design the pilot buying scheme with miners' cooperatives",
                "amap",
                "",
                D(2026, 3, 31),
                [(D(2025, 11, 20), IP, "First design workshop held in Puno.")],
            ),
            (
                "Cost a traceability system for small producers",
                "caem",
                "",
                D(2026, 2, 28),
                [(D(2025, 10, 20), NS, "Waiting for funding.")],
            ),
        ],
        "resources": 1,
    },
    {
        "slug": "security-and-access-third-dialogue",
        "series": True,
        "title": "Security forces, companies and miners: a third dialogue",
        "issue": "How can security on shared mining land protect people rather than licences?",
        "scope": Dialogue.Scope.INTERNATIONAL,
        "countries": ["CO", "TZ", "IN"],
        "themes": ["conflict-security", "asm-lsm-relations"],
        "start_date": None,  # set relative to the day the demo is loaded: always upcoming
        "place": "Bogotá, Colombia",
        "time_zone": "America/Bogota",
        "co_chairs": "To be announced",
        "convening": ["grmi", "rcmr"],
        "status": Dialogue.Status.PLANNED,
        "counts": [],
        "named": [],
        "sessions": [],
        "actions": [],
        "resources": 0,
    },
    {
        "slug": "tz-mercury-free-processing-2025",
        "series": False,
        "title": "Mercury-free processing in the Lake Zone: what would make it pay?",
        "issue": "Who pays for the switch from mercury when miners cannot afford the equipment?",
        "scope": Dialogue.Scope.NATIONAL,
        "countries": ["TZ"],
        "themes": ["environment-mercury", "market-access-finance"],
        "start_date": D(2025, 6, 17),
        "end_date": None,
        "place": "Geita, Tanzania",
        "time_zone": "Africa/Dar_es_Salaam",
        "co_chairs": "Amani Mushi (LAZAMF) and a regional mines officer",
        "convening": ["lazamf", "tmpf"],
        "status": Dialogue.Status.HELD,
        "outcome_summary": "Participants compared three financing models for processing centres.",
        "key_agreements": "A cooperative processing centre should be piloted in Geita.",
        "continued_disagreements": "Whether processing centres should be licensed to buy gold.",
        "counts": [
            ("government", 2, 5, 0),
            ("asm-miners", 9, 14, 0),
            ("ngo-civil-society", 3, 2, 0),
            ("researcher", 1, 2, 0),
        ],
        "named": [],
        "sessions": [
            (D(2025, 6, 17), 9, "The cost of going mercury-free", "panel"),
            (D(2025, 6, 17), 13, "Financing models", "round-table"),
        ],
        "actions": [
            (
                "Prepare a business plan for a cooperative processing centre",
                "lazamf",
                "",
                D(2025, 12, 15),
                [
                    (D(2025, 8, 1), IP, "Site identified."),
                    (D(2025, 12, 1), DONE, "Business plan submitted to the district."),
                ],
            ),
            (
                "Ask the district council for a processing-centre site",
                None,
                "government",
                D(2025, 9, 30),
                [(D(2025, 10, 15), ST, "No council decision yet.")],
            ),
        ],
        "resources": 1,
    },
    {
        "slug": "co-formalisation-antioquia-2025",
        "series": False,
        "title": "Formalisation in Antioquia: between permits and practice",
        "issue": "Why do so few small-scale miners in Antioquia complete formalisation?",
        "scope": Dialogue.Scope.NATIONAL,
        "countries": ["CO"],
        "themes": ["formalisation-governance", "land-resource-rights"],
        "start_date": D(2025, 8, 26),
        "end_date": D(2025, 8, 27),
        "place": "Medellín, Colombia",
        "time_zone": "America/Bogota",
        "co_chairs": "Lucía Restrepo (RCMR) and Andrés Mejía (COMINEC)",
        "convening": ["rcmr", "cominec"],
        "status": Dialogue.Status.HELD,
        "outcome_summary": "Permit steps, costs and delays were mapped step by step.",
        "key_agreements": "A one-stop permit desk should be trialled in two municipalities.",
        "continued_disagreements": "The environmental licence requirements for small operations.",
        "counts": [
            ("government", 4, 3, 0),
            ("large-scale-mining", 1, 2, 0),
            ("asm-miners", 6, 11, 0),
            ("ngo-civil-society", 3, 1, 0),
        ],
        "named": [
            ("Lucía Restrepo", "Co-chair", "Red Colombiana de Minería Responsable", True),
            ("Andrés Mejía", "Co-chair", "Cooperativa Minera Río Nechí", True),
        ],
        "sessions": [(D(2025, 8, 26), 9, "The permit journey, step by step", "working-groups")],
        "actions": [
            (
                "Propose a one-stop permit desk to the departmental government",
                "rcmr",
                "",
                D(2026, 1, 31),
                [(D(2025, 10, 1), IP, "Proposal drafted with two municipalities.")],
            ),
        ],
        "resources": 0,
    },
    {
        "slug": "in-stone-quarry-safety-2025",
        "series": False,
        "title": "Safety in Deccan stone quarries: who is responsible?",
        "issue": "Who is responsible for the safety of workers in small stone quarries?",
        "scope": Dialogue.Scope.NATIONAL,
        "countries": ["IN"],
        "themes": ["health-safety", "livelihoods-poverty"],
        "start_date": D(2025, 11, 4),
        "end_date": None,
        "place": "Hyderabad, India",
        "time_zone": "Asia/Kolkata",
        "co_chairs": "Priya Raman (CML) and Arjun Naik (DSWC)",
        "convening": ["cml", "dswc"],
        "status": Dialogue.Status.HELD,
        "visibility": Dialogue.Visibility.RESTRICTED,
        "allowed": ["priya.raman", "arjun.naik"],
        "outcome_summary": "Quarry workers described the most common accidents and their causes.",
        "key_agreements": "Silica dust is the first priority.",
        "continued_disagreements": "Whether lessees or owners carry the duty of care.",
        "counts": [
            ("government", 1, 3, 0),
            ("asm-miners", 8, 10, 2),
            ("researcher", 2, 1, 0),
        ],
        "named": [],
        "sessions": [(D(2025, 11, 4), 10, "Accidents and their causes", "round-table")],
        "actions": [
            (
                "Run a dust-exposure survey in ten quarries",
                "cml",
                "",
                D(2026, 6, 30),
                [],
            ),
        ],
        "resources": 0,
    },
]


@transaction.atomic
def load(*, stdout) -> None:
    stakeholders = {s.slug: s for s in StakeholderType.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    resources = list(Resource.objects.published().order_by("pk")[:4])
    series, _ = DialogueSeries.objects.update_or_create(
        slug=SERIES["slug"],
        defaults={"title": SERIES["title"], "description": SERIES["description"]},
    )
    today = timezone.localdate()
    for spec in DIALOGUES:
        start = spec["start_date"] or today + datetime.timedelta(days=60)
        dialogue, _ = Dialogue.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "issue": spec["issue"],
                "series": series if spec["series"] else None,
                "scope": spec["scope"],
                "start_date": start,
                "end_date": spec.get("end_date")
                or (start + datetime.timedelta(days=1) if not spec["start_date"] else None),
                "place": spec["place"],
                "time_zone": spec["time_zone"],
                "co_chairs": spec["co_chairs"],
                "status": spec["status"],
                "visibility": spec.get("visibility", Dialogue.Visibility.PUBLIC),
                "outcome_summary": spec.get("outcome_summary", ""),
                "key_agreements": spec.get("key_agreements", ""),
                "continued_disagreements": spec.get("continued_disagreements", ""),
                "participants_total": sum(sum(c[1:]) for c in spec["counts"]) or None,
                "is_published": True,
            },
        )
        if dialogue.published_at is None:
            dialogue.published_at = timezone.now()
            dialogue.save(update_fields=["published_at"])
        dialogue.allowed_users.set(
            User.objects.filter(email__in=[demo_email(p) for p in spec.get("allowed", [])])
        )
        dialogue.countries.set(Country.objects.filter(code__in=spec["countries"]))
        dialogue.themes.set([themes[slug] for slug in spec["themes"]])
        dialogue.convening_organisations.set(
            [organisations[slug] for slug in spec["convening"] if slug in organisations]
        )
        for slug, women, men, other in spec["counts"]:
            ParticipationCount.objects.update_or_create(
                dialogue=dialogue,
                stakeholder_type=stakeholders[slug],
                defaults={"women": women, "men": men, "other": other},
            )
        for name, role, organisation, consent in spec["named"]:
            NamedParticipant.objects.update_or_create(
                dialogue=dialogue,
                name=name,
                defaults={
                    "role": role,
                    "organisation": organisation,
                    "consent_to_publish": consent,
                },
            )
        zone = ZoneInfo(spec["time_zone"])
        for day, hour, title, session_format in spec["sessions"]:
            Session.objects.update_or_create(
                dialogue=dialogue,
                title=title,
                defaults={
                    "starts_at": datetime.datetime(day.year, day.month, day.day, hour, tzinfo=zone),
                    "format": session_format,
                },
            )
        for description, org_slug, stakeholder_slug, due, updates in spec["actions"]:
            action, _ = FollowUpAction.objects.update_or_create(
                dialogue=dialogue,
                description=description,
                defaults={
                    "organisation": organisations.get(org_slug) if org_slug else None,
                    "stakeholder_type": stakeholders.get(stakeholder_slug),
                    "due_date": due,
                },
            )
            for date, status, note in updates:
                FollowUpUpdate.objects.get_or_create(
                    action=action, date=date, status=status, defaults={"note": note}
                )
        for position, resource in enumerate(resources[: spec["resources"]]):
            DialogueResource.objects.get_or_create(
                dialogue=dialogue,
                resource=resource,
                kind=DialogueResource.Kind.BACKGROUND,
                defaults={"position": position},
            )
    stdout.write(
        f"  dialogues: 1 series, {len(DIALOGUES)} dialogues"
        + (f", linked to {len(resources)} resources" if resources else "")
    )
