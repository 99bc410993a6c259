"""The shared taxonomy and the Curators group come from data migrations."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from asmhub.taxonomy.models import Commodity, Country, Region, StakeholderType, Theme

pytestmark = pytest.mark.django_db


def test_design_taxonomy_is_seeded():
    assert Country.objects.count() >= 249
    assert set(Country.objects.programme().values_list("code", flat=True)) == {
        "TZ",
        "ET",
        "CO",
        "PE",
        "BO",
        "IN",
    }
    assert Country.objects.get(code="TZ").name == "Tanzania"
    assert Commodity.objects.count() == 9
    assert Theme.objects.filter(name="Environment and mercury").exists()
    assert Theme.objects.count() == 10
    assert StakeholderType.objects.count() == 8
    assert Region.objects.get(slug="andean-region").countries.filter(code="PE").exists()


def test_search_extensions_are_enabled():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"pg_trgm", "unaccent"} <= extensions


def test_curators_group_can_edit_the_taxonomy():
    curators = Group.objects.get(name="Curators")
    codenames = set(curators.permissions.values_list("codename", flat=True))
    assert {"change_theme", "add_organisation", "change_country"} <= codenames
    assert "change_user" not in codenames
