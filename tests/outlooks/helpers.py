"""Builders for Outlooks tests: published editions with many values, straight to the database."""

from decimal import Decimal

from django.utils import timezone

from asmhub.taxonomy.models import Country
from outlooks.models import Edition, IndicatorValue
from outlooks.services import build_snapshot
from tests.outlooks.factories import EditionFactory, IndicatorDefinitionFactory


def publish_directly(edition, *, by=None):
    """Publish without the workflow (tests of reads only): status, and revision 1."""
    edition.status = Edition.Status.PUBLISHED
    edition.published_at = timezone.now()
    edition.save()
    edition.revisions.create(
        number=1, published_at=timezone.now(), published_by=by, snapshot=build_snapshot(edition)
    )
    return edition


def published_edition(methodology, *, country="TZ", year=2026, values=None, by=None):
    """values maps an IndicatorDefinition to a value dict (or a Decimal)."""
    edition = EditionFactory(
        methodology=methodology, country=Country.objects.get(code=country), year=year
    )
    for indicator, value in (values or {}).items():
        fields = value if isinstance(value, dict) else {"value": Decimal(value)}
        IndicatorValue.objects.create(
            edition=edition,
            indicator=indicator,
            source_citation="Mining cadastre",
            confidence="high",
            data_year=year - 1,
            **fields,
        )
    return publish_directly(edition, by=by)


def many_indicators(methodology, count):
    return [
        IndicatorDefinitionFactory(methodology=methodology, code=f"bulk-{n}", name=f"Bulk {n}")
        for n in range(count)
    ]
