"""factory_boy factories and helpers for Outlooks tests."""

from decimal import Decimal

import factory

from asmhub.taxonomy.models import Country
from outlooks.models import (
    Edition,
    IndicatorDefinition,
    IndicatorValue,
    Methodology,
    SectionDefinition,
)


class MethodologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Methodology
        django_get_or_create = ["version"]

    version = "1"
    title = "National ASM Outlook methodology"
    is_current = True


class SectionDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionDefinition

    methodology = factory.SubFactory(MethodologyFactory)
    position = factory.Sequence(int)
    slug = factory.Sequence(lambda n: f"section-{n}")
    title = factory.Sequence(lambda n: f"Section {n}")
    guidance = "Write what matters."


class IndicatorDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorDefinition

    methodology = factory.SubFactory(MethodologyFactory)
    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "people"
    kind = IndicatorDefinition.Kind.NUMBER
    position = factory.Sequence(int)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    country = factory.LazyFunction(lambda: Country.objects.get(code="TZ"))
    year = 2026
    methodology = factory.SubFactory(MethodologyFactory)
    title = factory.LazyAttribute(lambda e: f"National ASM Outlook: {e.country.name} {e.year}")
    summary = "The state of ASM."


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    edition = factory.SubFactory(EditionFactory)
    indicator = factory.SubFactory(IndicatorDefinitionFactory)
    value = Decimal("1000")
    source_citation = "Ministry of Minerals, annual report"
    confidence = "medium"
    data_year = 2025
