"""The harness itself: Playwright leaves the test thread its database connection, and damage
one transactional test does to the migrations' rows is undone before the next one starts
(tests/browser/conftest.py checks the full taxonomy and the Curators group at every start)."""

import asyncio

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from asmhub.profiles.models import CURATORS_GROUP
from asmhub.taxonomy.models import Country, Language, Theme
from tests.factories import CuratorFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_driving_the_browser_keeps_the_test_threads_connection(page):
    before, raw_before = connection, connection.connection
    page.goto("/")
    assert page.get_by_role("heading", level=1).count() == 1
    curator = CuratorFactory()
    page.goto("/resources/")
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    assert connection is before
    assert connection.connection is raw_before
    assert hasattr(connection, "_test_serialized_contents")
    assert Group.objects.get(name=CURATORS_GROUP).user_set.get() == curator


def test_damage_to_seeded_rows_is_undone_for_the_next_test(page):
    page.goto("/")
    Country.objects.all().delete()
    Language.objects.all().delete()
    Theme.objects.all().delete()
    Group.objects.filter(name=CURATORS_GROUP).delete()
    assert not Country.objects.exists()
