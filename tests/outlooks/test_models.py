"""Indicator values are validated by their indicator's kind, with messages by field."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from asmhub.markdown import render_markdown
from outlooks.models import IndicatorValue

pytestmark = pytest.mark.django_db


def errors_of(draft, indicator, **fields):
    fields.setdefault("source_citation", "Ministry report 2025")
    item = IndicatorValue(edition=draft, indicator=indicator, **fields)
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    return caught.value.message_dict


def valid(draft, indicator, **fields):
    fields.setdefault("source_citation", "Ministry report 2025")
    IndicatorValue(edition=draft, indicator=indicator, **fields).full_clean()


def test_number_takes_a_value_or_a_range(draft, indicators):
    miners = indicators["asm-miners"]
    valid(draft, miners, value=Decimal("1500000"))
    valid(draft, miners, low=Decimal("1000000"), high=Decimal("1700000"))
    valid(draft, miners, value=Decimal("1200000"), low=Decimal("1000000"), high=Decimal("1700000"))
    assert "value" in errors_of(draft, miners)


def test_number_is_not_negative(draft, indicators):
    errors = errors_of(draft, indicators["asm-miners"], value=Decimal("-1"))
    assert errors["value"] == ["Must be zero or more."]


def test_range_low_not_above_high(draft, indicators):
    errors = errors_of(draft, indicators["asm-miners"], low=Decimal("9"), high=Decimal("3"))
    assert errors["high"] == ["The high estimate must not be below the low estimate."]


def test_range_needs_both_ends(draft, indicators):
    errors = errors_of(draft, indicators["asm-miners"], low=Decimal("9"))
    assert "A range needs both a low and a high estimate." in errors["high"]


def test_value_within_range(draft, indicators):
    errors = errors_of(
        draft, indicators["asm-miners"], value=Decimal("5"), low=Decimal("6"), high=Decimal("9")
    )
    assert errors["value"] == ["The value must lie within the estimated range."]


def test_percentage_between_0_and_100(draft, indicators):
    share = indicators["share-women"]
    valid(draft, share, value=Decimal("0"))
    valid(draft, share, value=Decimal("100"))
    assert errors_of(draft, share, value=Decimal("100.5"))["value"] == [
        "A percentage must be between 0 and 100."
    ]
    assert errors_of(draft, share, value=Decimal("-2"))["value"] == ["Must be zero or more."]
    assert "high" in errors_of(draft, share, low=Decimal("20"), high=Decimal("120"))


def test_gender_breakdown_only_where_the_indicator_has_one(draft, indicators):
    valid(
        draft, indicators["asm-miners"], value=Decimal("10"), women=Decimal("3"), men=Decimal("7")
    )
    errors = errors_of(draft, indicators["share-women"], value=Decimal("30"), women=Decimal("3"))
    assert errors["women"] == ["This indicator has no breakdown by gender."]


def test_yes_no_takes_only_yes_or_no(draft, indicators):
    policy = indicators["asm-policy"]
    valid(draft, policy, yes_no=True)
    valid(draft, policy, yes_no=False)
    assert errors_of(draft, policy)["yes_no"] == ["Answer yes or no."]
    assert errors_of(draft, policy, yes_no=True, value=Decimal("1"))["value"] == [
        "This indicator takes no number."
    ]
    assert "text_value" in errors_of(draft, policy, yes_no=True, text_value="maybe")


def test_text_takes_text(draft, indicators):
    relations = indicators["lsm-relations"]
    valid(draft, relations, text_value="Overlapping licences.")
    assert errors_of(draft, relations)["text_value"] == ["Write the answer."]
    assert "value" in errors_of(draft, relations, text_value="x", value=Decimal("2"))


def test_a_source_is_required(draft, indicators):
    errors = errors_of(draft, indicators["asm-miners"], value=Decimal("1"), source_citation="")
    assert errors["source_citation"] == [
        "Give a source: choose a library resource or write a citation."
    ]


def test_number_with_text_is_refused(draft, indicators):
    errors = errors_of(draft, indicators["asm-miners"], value=Decimal("1"), text_value="lots")
    assert errors["text_value"] == ["This indicator takes a number, not text."]


def test_markdown_is_sanitised():
    html = str(render_markdown("**bold** <script>alert(1)</script> [x](javascript:alert(1))"))
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html
