"""Fixtures for Outlooks tests: a small methodology, a country's coordinator, a draft."""

import pytest

from asmhub.taxonomy.models import Country
from tests.factories import LearningGroupFactory, MembershipFactory
from tests.outlooks.factories import (
    EditionFactory,
    IndicatorDefinitionFactory,
    MethodologyFactory,
    SectionDefinitionFactory,
)


@pytest.fixture
def methodology(db):
    methodology = MethodologyFactory()
    SectionDefinitionFactory(
        methodology=methodology, slug="sector-overview", title="Sector overview"
    )
    SectionDefinitionFactory(
        methodology=methodology, slug="recommendations", title="Recommendations"
    )
    IndicatorDefinitionFactory(
        methodology=methodology,
        code="asm-miners",
        name="Estimated number of ASM miners",
        unit="people",
        kind="number",
        gender_breakdown=True,
    )
    IndicatorDefinitionFactory(
        methodology=methodology,
        code="share-women",
        name="Share of women",
        unit="%",
        kind="percentage",
    )
    IndicatorDefinitionFactory(
        methodology=methodology,
        code="asm-policy",
        name="ASM policy in force",
        unit="",
        kind="yes-no",
    )
    IndicatorDefinitionFactory(
        methodology=methodology, code="lsm-relations", name="Tension with LSM", unit="", kind="text"
    )
    return methodology


@pytest.fixture
def indicators(methodology):
    return {i.code: i for i in methodology.indicators.all()}


@pytest.fixture
def sections(methodology):
    return {s.slug: s for s in methodology.sections.all()}


@pytest.fixture
def group(db):
    return LearningGroupFactory(slug="tz-group", country=Country.objects.get(code="TZ"))


@pytest.fixture
def coordinator(group):
    return MembershipFactory(group=group, role="coordinator").user


@pytest.fixture
def member(group):
    return MembershipFactory(group=group, role="member").user


@pytest.fixture
def other_coordinator(db):
    group = LearningGroupFactory(slug="pe-group", country=Country.objects.get(code="PE"))
    return MembershipFactory(group=group, role="coordinator").user


@pytest.fixture
def draft(methodology):
    return EditionFactory(methodology=methodology)
