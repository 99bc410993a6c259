"""The library's demo content: believable, idempotent, searchable inside its PDFs."""

import io

import pytest

from asmhub import demo as kernel_demo
from resources import demo
from resources.models import Resource, ResourceFile

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_changing_anything():
    kernel_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    counts = (Resource.objects.count(), ResourceFile.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Resource.objects.count(), ResourceFile.objects.count()) == counts
    assert counts == (40, 6)
    published = Resource.objects.published()
    assert published.count() == 38
    assert not published.filter(reviewed_by__isnull=True).exists()
    assert {c for r in published for c in r.countries.values_list("code", flat=True)} >= {
        "TZ",
        "ET",
        "CO",
        "PE",
        "BO",
        "IN",
    }
    assert published.filter(scope="regional").exists() and published.filter(scope="global").exists()
    assert published.filter(languages__code="es").exists()
    assert set(ResourceFile.objects.values_list("extraction", flat=True)) == {"done"}
    geita = Resource.objects.get(slug="geita-gravity-pilot")
    assert "zimbabw" in str(geita.search_vector)  # stemmed
