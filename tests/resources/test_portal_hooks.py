"""The library's sections on the hub-wide search and on country pages."""

import pytest

from tests.resources.helpers import indexed_resource

pytestmark = pytest.mark.django_db


def test_site_search_shows_published_matches_only(client):
    indexed_resource(title="Retorts for mercury capture", summary="Retorts.", languages=["en"])
    indexed_resource(title="Secret retort draft", summary="Retorts.", status="pending")
    html = client.get("/search/", {"q": "retort"}).content.decode()
    assert "Retorts for mercury capture" in html
    assert "Secret retort draft" not in html
    assert 'href="/resources/?q=retort"' in html
    assert "Nothing published matches" in client.get("/search/", {"q": "zzzz"}).content.decode()


def test_country_page_lists_newest_resources(client, django_assert_max_num_queries):
    """Guards against N+1 queries on the country page's library section."""
    for n in range(8):
        indexed_resource(title=f"Tanzania study {n}", summary="Gold.", countries=["TZ"])
    indexed_resource(title="Peru study", summary="Gold.", countries=["PE"])
    with django_assert_max_num_queries(20):
        html = client.get("/countries/TZ/").content.decode()
    assert "Tanzania study 7" in html and "Peru study" not in html
    assert "All 8 resources about Tanzania" in html
    assert 'href="/resources/?country=TZ&amp;wider=on"' in html
