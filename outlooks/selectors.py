"""Reads for Outlooks pages: one edition, the public overview, the comparison (who may see
what is decided by outlooks.rules)."""

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse

from asmhub.markdown import render_markdown
from asmhub.taxonomy.models import Country
from outlooks import rules
from outlooks.formatting import central, format_number, format_value
from outlooks.models import Edition, IndicatorDefinition, IndicatorValue, Methodology, Revision
from outlooks.services import build_snapshot


def latest_published_editions():
    """Each country's latest published edition, countries by name."""
    editions = (
        Edition.objects.published()
        .select_related("country")
        .order_by("country_id", "-year")
        .distinct("country_id")
    )
    return sorted(editions, key=lambda e: e.country.name)


def edition_list(*, user):
    """The public overview, plus the unpublished editions this user may work on or review."""
    published = latest_published_editions()
    working = []
    if user.is_authenticated:
        candidates = Edition.objects.exclude(status=Edition.Status.PUBLISHED).select_related(
            "country"
        )
        if not rules.is_curator(user):
            candidates = rules.editions_writable_by(user, candidates)
        working = list(candidates.order_by("country__name", "-year"))
    return {"published": published, "working": working}


_CONFIDENCE = dict(IndicatorValue.Confidence.choices)


def _snapshot_rows(snapshot: dict, previous: dict | None) -> list[dict]:
    earlier = {item["code"]: item for item in (previous or {}).get("indicators", [])}
    rows = []
    for item in snapshot["indicators"]:
        before = earlier.get(item["code"])
        now_c, before_c = central(item), central(before)
        change = None
        if now_c is not None and before_c is not None:
            change = now_c - before_c
        rows.append(
            {
                "item": item,
                "display": format_value(item),
                "previous": format_value(before) if before else "",
                "change": _signed(change, item) if change is not None else "",
                "confidence": _CONFIDENCE.get(item["confidence"], item["confidence"]),
                "women": format_number(item.get("women")),
                "men": format_number(item.get("men")),
            }
        )
    return rows


def _signed(change: Decimal, item: dict) -> str:
    if change == 0:
        return "±0"
    sign = "+" if change > 0 else "−"
    unit = " pp" if item["kind"] == "percentage" else ""
    text = format_number(format(abs(change).quantize(Decimal("0.1")).normalize(), "f"))
    return f"{sign}{text}{unit}"


def edition_page(*, user, edition: Edition, revision_number: int | None = None) -> dict:
    """What an edition page shows: a revision's content (or the draft), changes, revisions."""
    revisions = list(edition.revisions.defer("snapshot").order_by("-number"))
    revision = None
    if edition.is_published:
        if revision_number is None:
            revision = revisions[0] if revisions else None
        else:
            revision = next((r for r in revisions if r.number == revision_number), None)
            if revision is None:
                raise Http404
        snapshot = Revision.objects.values_list("snapshot", flat=True).get(pk=revision.pk)
    else:
        if revision_number is not None:
            raise Http404
        snapshot = build_snapshot(edition)
    # Rendered again from the Markdown, so only today's sanitiser decides what reaches a page.
    sections = [
        {**s, "html": render_markdown(s["body"], top_heading=3)} for s in snapshot["sections"]
    ]
    snapshot = {**snapshot, "sections": sections}
    previous_edition = (
        Edition.objects.published()
        .filter(country_id=edition.country_id, year__lt=edition.year)
        .order_by("-year")
        .first()
    )
    previous = None
    if previous_edition is not None:
        previous = (
            Revision.objects.filter(edition=previous_edition)
            .order_by("-number")
            .values_list("snapshot", flat=True)
            .first()
        )
    # The full history is for the people who work on the edition, not for every reader.
    events = []
    if rules.is_curator(user) or rules.can_write(user, edition):
        events = list(edition.events.select_related("actor__profile").order_by("-at", "-pk"))
    return {
        "edition": edition,
        "events": events,
        "snapshot": snapshot,
        "revision": revision,
        "revisions": revisions,
        "is_latest": revision is None or revision is revisions[0],
        "previous_edition": previous_edition,
        "rows": _snapshot_rows(snapshot, previous),
        "can_edit": rules.can_edit(user, edition),
        "can_review": rules.can_review(user, edition) and not edition.is_published,
        "can_correct": rules.can_correct(user, edition),
    }


def edition_editor(*, edition: Edition) -> dict:
    """The author's overview: every section and indicator of the methodology, filled or not."""
    methodology = Methodology.objects.prefetch_related("sections", "indicators").get(
        pk=edition.methodology_id
    )
    texts = {t.section_id: t for t in edition.section_texts.all()}
    values = {v.indicator_id: v for v in edition.values.select_related("source_resource")}
    return {
        "sections": [(s, texts.get(s.pk)) for s in methodology.sections.all()],
        "indicators": [(i, values.get(i.pk)) for i in methodology.indicators.all()],
        "events": list(edition.events.select_related("actor__profile").order_by("-at", "-pk")),
    }


# ---------------------------------------------------------------- comparison


def compare_choices() -> dict:
    """Indicators of the current methodology and countries with a published edition."""
    methodology = Methodology.objects.current()
    indicators = []
    if methodology is not None:
        indicators = list(
            IndicatorDefinition.objects.filter(methodology=methodology).exclude(
                kind=IndicatorDefinition.Kind.TEXT
            )
        )
    countries = list(
        Country.objects.filter(outlook_editions__status=Edition.Status.PUBLISHED)
        .distinct()
        .order_by("name")
    )
    return {"indicators": indicators, "countries": countries}


_VALUE_COLUMNS = (
    "edition__country_id",
    "edition__year",
    "indicator__code",
    "indicator__name",
    "indicator__unit",
    "indicator__kind",
    "value",
    "low",
    "high",
    "women",
    "men",
    "text_value",
    "yes_no",
    "data_year",
    "source_citation",
    "source_resource__title",
    "source_resource__slug",
    "confidence",
    "note",
)


def _trim(text: str | None) -> str | None:
    """'1200000.0000' → '1200000'; '27.5000' → '27.5' (numeric read as text)."""
    if text is None or "." not in text:
        return text
    return text.rstrip("0").rstrip(".")


def _fmt(number):
    return None if number is None else format(number.normalize(), "f")


def _item(row: dict) -> dict:
    slug = row["source_resource__slug"]
    return {
        "country": row["edition__country_id"],
        "year": row["edition__year"],
        "code": row["indicator__code"],
        "name": row["indicator__name"],
        "unit": row["indicator__unit"],
        "kind": row["indicator__kind"],
        "value": _fmt(row["value"]),
        "low": _fmt(row["low"]),
        "high": _fmt(row["high"]),
        "women": _fmt(row["women"]),
        "men": _fmt(row["men"]),
        "text": row["text_value"],
        "yes_no": row["yes_no"],
        "data_year": row["data_year"],
        "source_resource": row["source_resource__title"] or "",
        "source_url": reverse("resources:detail", args=[slug]) if slug else "",
        "source_citation": row["source_citation"],
        "confidence": row["confidence"],
        "note": row["note"],
    }


def _published_values(indicators, countries):
    return IndicatorValue.objects.filter(
        edition__status=Edition.Status.PUBLISHED,
        edition__country_id__in=[c.code for c in countries],
        indicator__code__in=[i.code for i in indicators],
    ).order_by()


def compare(*, indicators: list, countries: list) -> dict:
    """Published values of these indicators in these countries, by country and edition year.

    Every published edition of a chosen country is a column; a value an edition does not give
    stays None (shown as missing), never zero. Only the columns the page shows are read.
    """
    editions = defaultdict(set)
    edition_keys = {}
    for pk, country_id, year in (
        Edition.objects.published()
        .filter(country_id__in=[c.code for c in countries])
        .values_list("pk", "country_id", "year")
    ):
        editions[country_id].add(year)
        edition_keys[pk] = (country_id, year)
    # Codes are stable across methodology versions: every version's indicator with that code.
    codes = dict(
        IndicatorDefinition.objects.filter(code__in=[i.code for i in indicators]).values_list(
            "pk", "code"
        )
    )
    # One table, no joins, decimals read as text: at 50 countries × 5 editions × 10 indicators
    # joins and Django's per-row decimal conversion cost more than the page's budget.
    rows = (
        IndicatorValue.objects.filter(edition_id__in=edition_keys, indicator_id__in=codes)
        .order_by()
        .annotate(v=Cast("value", TextField()), lo=Cast("low", TextField()))
        .annotate(hi=Cast("high", TextField()))
        .values_list("edition_id", "indicator_id", "v", "lo", "hi", "yes_no")
    )
    found = {}
    for edition_id, indicator_id, *rest in rows:
        country_id, year = edition_keys[edition_id]
        found[(codes[indicator_id], country_id, year)] = rest
    years = sorted({year for years in editions.values() for year in years})
    blocks = []
    for indicator in indicators:
        kind, unit = indicator.kind, indicator.unit
        block_rows = []
        for country in countries:
            has = editions.get(country.code, ())
            cells = []
            latest = None
            for year in years:
                stored = found.get((indicator.code, country.code, year))
                if stored is None:
                    cells.append(
                        {
                            "year": year,
                            "item": None,
                            "has_edition": year in has,
                            "text": "",
                            "central": None,  # missing stays missing: never 0
                        }
                    )
                    continue
                value, low, high, yes_no = (
                    _trim(stored[0]),
                    _trim(stored[1]),
                    _trim(stored[2]),
                    stored[3],
                )
                item = {
                    "kind": kind,
                    "unit": unit,
                    "value": value,
                    "low": low,
                    "high": high,
                    "yes_no": yes_no,
                    "text": "",
                }
                if value is not None:
                    middle = Decimal(value)
                elif low is not None and high is not None:
                    middle = (Decimal(low) + Decimal(high)) / 2
                else:
                    middle = None
                latest = {
                    "year": year,
                    "item": item,
                    "has_edition": True,
                    "text": format_value(item),
                    "central": middle,
                }
                cells.append(latest)
            block_rows.append({"country": country, "cells": cells, "latest": latest})
        blocks.append({"indicator": indicator, "rows": block_rows})
    return {"years": years, "blocks": blocks}


def compare_cache_key(*, indicators: list, countries: list, language: str) -> str:
    """A key that changes whenever a revision is published (or an edition removed)."""
    stamp = Revision.objects.aggregate(n=Count("pk"), last=Max("pk"))
    chosen = (
        ",".join(sorted(i.code for i in indicators))
        + "|"
        + ",".join(sorted(c.code for c in countries))
    )
    digest = hashlib.sha256(chosen.encode()).hexdigest()[:32]
    return f"outlooks:compare:{language}:{stamp['n']}:{stamp['last']}:{digest}"


def compare_items(*, indicators: list, countries: list) -> list[dict]:
    """The comparison's values as flat records with sources, for CSV and JSON exports."""
    order = {c.code: n for n, c in enumerate(countries)}
    position = {i.code: n for n, i in enumerate(indicators)}
    rows = _published_values(indicators, countries).values(*_VALUE_COLUMNS)
    items = [_item(row) for row in rows]
    items.sort(key=lambda i: (position[i["code"]], order[i["country"]], i["year"]))
    return items
