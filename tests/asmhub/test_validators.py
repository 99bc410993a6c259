"""The kernel's shared validators, used by learning groups and dialogues alike."""

import pytest
from django.core.exceptions import ValidationError

from asmhub.validators import validate_time_zone


@pytest.mark.parametrize("value", ["UTC", "Africa/Dar_es_Salaam", "America/La_Paz"])
def test_known_time_zones_pass(value):
    validate_time_zone(value)


@pytest.mark.parametrize("value", ["", "Mars/Olympus", "utc\x00", "../../etc/passwd", "x" * 500])
def test_anything_else_gets_a_clear_message(value):
    with pytest.raises(ValidationError) as error:
        validate_time_zone(value)
    assert "is not a known time zone" in error.value.messages[0]


def test_both_components_use_the_kernel_validator():
    from dialogues.models import Dialogue
    from learning_groups.models import LearningGroup

    for model in (Dialogue, LearningGroup):
        assert validate_time_zone in model._meta.get_field("time_zone").validators
