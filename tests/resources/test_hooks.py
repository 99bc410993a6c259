"""The library on the home page and in the sitemap."""

import pytest
from django.test import RequestFactory

from resources.home import home_section
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_home_shows_featured_and_latest(client):
    ResourceFactory(title="A featured toolkit", featured=True)
    ResourceFactory(title="A fresh report")
    ResourceFactory(title="Still pending", status="pending")
    html = client.get("/").content.decode()
    assert "A featured toolkit" in html and "A fresh report" in html
    assert "Still pending" not in html


def test_home_section_costs_two_queries(django_assert_num_queries):
    """Guards against N+1 on the home page: two queries whatever the number of resources."""
    for n in range(8):
        ResourceFactory(featured=n < 2)
    with django_assert_num_queries(2):
        section = home_section(RequestFactory().get("/"))
    assert len(section["featured"]) == 2 and len(section["latest"]) == 5


def test_home_section_absent_when_library_is_empty():
    assert home_section(RequestFactory().get("/")) is None


def test_sitemap_lists_published_only(client):
    published = ResourceFactory()
    pending = ResourceFactory(status="pending")
    xml = client.get("/sitemap.xml").content.decode()
    assert published.get_absolute_url() in xml
    assert pending.get_absolute_url() not in xml
