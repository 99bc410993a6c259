"""Demo content: methodology v1, published Outlooks for three countries, drafts for the others.

Every figure and source here is invented for the demo (plausible orders of magnitude only).
Idempotent: the methodology is updated in place; an edition that exists is left as it is.
"""

from decimal import Decimal

from django.db import transaction

from asmhub.demo import CURATOR_EMAIL
from asmhub.profiles.models import User
from asmhub.taxonomy.models import Country, Theme
from learning_groups.models import LearningGroup, Membership
from outlooks import services
from outlooks.models import (
    Edition,
    EditionEvent,
    IndicatorDefinition,
    Methodology,
    SectionDefinition,
)
from resources.models import Resource

SECTIONS = [
    ("sector-overview", "Sector overview", "Where ASM happens, which minerals, how many people, "
     "and how the sector has changed since the last edition."),
    ("legal-policy", "Legal and policy framework", "Laws, licensing, institutions and how they "
     "work in practice for artisanal and small-scale miners."),
    ("miners-livelihoods", "Miners and livelihoods", "Incomes, seasonality, organisations of "
     "miners and the local economy ASM supports."),
    ("women-vulnerable", "Women and vulnerable groups", "Roles of women, children and migrants; "
     "barriers they face; give figures by gender where you can."),
    ("environment-health-mercury", "Environment, health and mercury", "Mercury use and "
     "alternatives, land and water, accidents and occupational health."),
    ("markets-finance", "Markets, finance and traceability", "Who buys, at what price, access "
     "to credit, and due-diligence or traceability schemes."),
    ("conflict-lsm", "Conflict and relations with large-scale mining", "Tensions and "
     "cooperation with large-scale mining companies, security and land disputes."),
    ("recommendations", "Recommendations", "What government, companies, donors and miners' "
     "organisations should do next, in order of priority."),
]  # fmt: skip

K = IndicatorDefinition.Kind
INDICATORS = [
    # code, name, unit, kind, theme, gender breakdown
    ("asm-miners", "Estimated number of ASM miners", "people", K.NUMBER,
     "livelihoods-poverty", True),
    ("share-women", "Share of women among ASM miners", "%", K.PERCENTAGE,
     "gender-social-inclusion", False),
    ("indirect-livelihoods", "People indirectly supported by ASM", "people", K.NUMBER,
     "livelihoods-poverty", False),
    ("gold-production", "ASM gold production", "t/yr", K.NUMBER, "market-access-finance", False),
    ("mercury-use", "Mercury use in ASM", "t/yr", K.NUMBER, "environment-mercury", False),
    ("share-formalised", "Share of miners formalised", "%", K.PERCENTAGE,
     "formalisation-governance", False),
    ("licences-issued", "Number of ASM licences issued", "licences", K.NUMBER,
     "formalisation-governance", False),
    ("asm-share-gold-exports", "ASM share of gold exports", "%", K.PERCENTAGE,
     "market-access-finance", False),
    ("fatalities", "Reported fatalities at ASM sites", "deaths/yr", K.NUMBER,
     "health-safety", False),
    ("cooperatives", "Registered miners' associations and cooperatives", "organisations",
     K.NUMBER, "formalisation-governance", False),
    ("asm-policy", "National ASM policy or strategy in force", "", K.YES_NO,
     "formalisation-governance", False),
    ("minamata-nap", "Minamata National Action Plan submitted", "", K.YES_NO,
     "environment-mercury", False),
    ("lsm-relations", "Main source of tension with large-scale mining", "", K.TEXT,
     "asm-lsm-relations", False),
]  # fmt: skip

# country, year, published?, figures by code: value or (low, high), optional women/men
FIGURES = {
    ("TZ", 2024): {
        "asm-miners": ((1_000_000, 1_500_000), None),
        "share-women": (27, None),
        "indirect-livelihoods": ((5_000_000, 7_000_000), None),
        "gold-production": (14.2, None),
        "mercury-use": ((20, 30), None),
        "share-formalised": (18, None),
        "licences-issued": (4_850, None),
        "asm-policy": (True, None),
        "minamata-nap": (True, None),
        "lsm-relations": ("Overlapping licences near new large-scale concessions.", None),
    },
    ("TZ", 2026): {
        "asm-miners": ((1_200_000, 1_700_000), (380_000, 1_070_000)),
        "share-women": (29, None),
        "indirect-livelihoods": ((6_000_000, 8_000_000), None),
        "gold-production": (16.8, None),
        "mercury-use": ((18, 26), None),
        "share-formalised": (24, None),
        "licences-issued": (6_120, None),
        "asm-share-gold-exports": (31, None),
        "fatalities": (54, None),
        "cooperatives": (1_140, None),
        "asm-policy": (True, None),
        "minamata-nap": (True, None),
        "lsm-relations": ("Relocation of miners from land licensed to companies.", None),
    },
    ("PE", 2025): {
        "asm-miners": ((300_000, 500_000), None),
        "share-women": (12, None),
        "gold-production": (41, None),
        "mercury-use": ((55, 80), None),
        "share-formalised": (9, None),
        "licences-issued": (2_300, None),
        "fatalities": (37, None),
        "asm-policy": (True, None),
        "minamata-nap": (False, None),
        "lsm-relations": ("Miners working inside company concessions without agreements.", None),
    },
    ("CO", 2025): {
        "asm-miners": ((250_000, 350_000), None),
        "share-women": (35, None),
        "gold-production": (28, None),
        "mercury-use": (0.5, None),
        "share-formalised": (15, None),
        "licences-issued": (1_450, None),
        "cooperatives": (620, None),
        "asm-policy": (True, None),
        "minamata-nap": (True, None),
        "lsm-relations": ("Subcontracting terms with companies in Antioquia.", None),
    },
    ("ET", 2026): {"asm-miners": ((1_000_000, 1_300_000), None), "share-women": (33, None)},
    ("BO", 2026): {"gold-production": (35, None), "share-formalised": (40, None)},
    ("IN", 2026): {"asm-miners": ((9_000_000, 12_000_000), None)},
}
PUBLISHED = [("TZ", 2024), ("TZ", 2026), ("PE", 2025), ("CO", 2025)]
CONFIDENCE = ["medium", "low", "high"]


def _methodology(themes) -> Methodology:
    methodology, _ = Methodology.objects.update_or_create(
        version="1",
        defaults={
            "title": "National ASM Outlook methodology",
            "description": "The sections and indicators every National ASM Outlook reports on.",
            "is_current": True,
        },
    )
    for position, (slug, title, guidance) in enumerate(SECTIONS, start=1):
        SectionDefinition.objects.update_or_create(
            methodology=methodology,
            slug=slug,
            defaults={"title": title, "guidance": guidance, "position": position},
        )
    for position, (code, name, unit, kind, theme, gender) in enumerate(INDICATORS, start=1):
        IndicatorDefinition.objects.update_or_create(
            methodology=methodology,
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": kind,
                "theme": themes.get(theme),
                "gender_breakdown": gender,
                "position": position,
                "guidance": f"Report the most recent estimate of: {name.lower()}. "
                "Give a range when sources disagree, and always name the source.",
            },
        )
    return methodology


def _value_data(indicator, figure, breakdown, index, source) -> dict:
    data = {"confidence": CONFIDENCE[index % 3], "data_year": None}
    if indicator.kind == K.YES_NO:
        data["yes_no"] = figure
    elif indicator.kind == K.TEXT:
        data["text_value"] = figure
    elif isinstance(figure, tuple):
        data["low"], data["high"] = (Decimal(str(n)) for n in figure)
    else:
        data["value"] = Decimal(str(figure))
    if breakdown:
        data["women"], data["men"] = (Decimal(n) for n in breakdown)
    if source is not None and index % 2 == 0:
        data["source_resource"] = source
    else:
        data["source_citation"] = (
            "National mining cadastre and ASM census estimates, compiled by the learning group"
        )
    return data


@transaction.atomic
def load(*, stdout) -> None:
    themes = {t.slug: t for t in Theme.objects.all()}
    methodology = _methodology(themes)
    curator = User.objects.filter(email=CURATOR_EMAIL).first()
    countries = Country.objects.in_bulk([code for code, _year in FIGURES])
    indicators = {i.code: i for i in methodology.indicators.all()}
    sections = list(methodology.sections.all())
    created = 0
    for (code, year), figures in FIGURES.items():
        country = countries[code]
        if Edition.objects.filter(country=country, year=year).exists():
            continue
        edition = Edition.objects.create(
            country=country,
            year=year,
            methodology=methodology,
            title=f"National ASM Outlook: {country.name} {year}",
            summary=f"The state of artisanal and small-scale mining in {country.name} in {year}, "
            "assessed by the national learning group.",
            created_by=curator,
        )
        groups = LearningGroup.objects.for_country(code)
        coordinators = User.objects.filter(
            group_memberships__group__in=groups,
            group_memberships__role=Membership.Role.COORDINATOR,
        ).distinct()
        if coordinators:
            edition.authors.set(coordinators)
        EditionEvent.objects.create(
            edition=edition, actor=curator, action="created", from_status="", to_status="draft"
        )
        source = Resource.objects.published().for_country(code).order_by("pk").first()
        for position, section in enumerate(sections):
            body = (
                f"**{section.title}** in {country.name}, {year}: {section.guidance}\n\n"
                f"- Finding one for {country.name}.\n- Finding two, with the learning group's "
                "view.\n"
            )
            if position < 4 or (code, year) in PUBLISHED:
                services._write_section(edition, section, body)
        for index, (indicator_code, (figure, breakdown)) in enumerate(figures.items()):
            indicator = indicators[indicator_code]
            data = _value_data(indicator, figure, breakdown, index, source)
            data["data_year"] = year - 1
            services._write_value(edition, indicator, data)
        if (code, year) in PUBLISHED and curator is not None:
            edition.status = Edition.Status.IN_REVIEW
            edition.save(update_fields=["status"])
            services.edition_publish(actor=curator, edition=edition, comment="Demo publication.")
        created += 1
    stdout.write(
        f"  outlooks: methodology v{methodology.version} ({len(SECTIONS)} sections, "
        f"{len(INDICATORS)} indicators), {created} editions created"
    )
