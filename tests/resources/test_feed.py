"""RSS and Atom feeds of newly published resources, narrowed by the list's filters."""

import feedparser
import pytest

from tests.resources.helpers import indexed_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    indexed_resource(title="Geita gold", summary="Panning.", countries=["TZ"], tags=["mercury"])
    indexed_resource(title="Puno gold", summary="Cooperatives.", countries=["PE"])
    indexed_resource(title="Pending Geita", summary="Draft.", countries=["TZ"], status="pending")


def titles(response):
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return [entry.title for entry in parsed.entries], parsed


def test_rss_feed_lists_published_resources(client, library):
    response = client.get("/resources/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    found, parsed = titles(response)
    assert set(found) == {"Geita gold", "Puno gold"}
    assert parsed.version == "rss20"
    assert parsed.entries[0].link.startswith("http://testserver/resources/")


def test_feeds_accept_the_list_filters(client, library):
    assert titles(client.get("/resources/feed/", {"country": "TZ"}))[0] == ["Geita gold"]
    assert titles(client.get("/resources/feed/", {"q": "cooperatives"}))[0] == ["Puno gold"]
    assert titles(client.get("/resources/feed/", {"tag": "mercury"}))[0] == ["Geita gold"]


def test_atom_feed(client, library):
    response = client.get("/resources/feed/atom/", {"q": "gold -puno"})
    assert response["Content-Type"].startswith("application/atom+xml")
    found, parsed = titles(response)
    assert parsed.version == "atom10"
    assert found == ["Geita gold"]
    assert parsed.feed.link.endswith("/resources/?q=gold+-puno")


def test_feed_query_count(client, django_assert_max_num_queries):
    """Guards against N+1 queries in the feed."""
    for n in range(10):
        indexed_resource(title=f"Study {n}", summary="Gold.")
    with django_assert_max_num_queries(3):
        assert client.get("/resources/feed/").status_code == 200


@pytest.mark.parametrize("url", ["/resources/feed/", "/resources/feed/atom/"])
def test_a_control_character_in_a_stored_row_does_not_break_the_feeds(client, url):
    """One published title with \\x0b or \\x1b made both feeds answer 500 to every reader.

    Forms now refuse such text, but rows written before (or by imports, the shell) may hold
    it: the feeds leave out what XML cannot carry.
    """
    indexed_resource(
        title="Vertical\x0btab and \x1b[31mescape",
        summary="Sum\x1fmary with \x1bcontrols",
        authors="A\x07uthor",
    )
    response = client.get(url)
    assert response.status_code == 200
    found, _parsed = titles(response)
    assert found == ["Verticaltab and [31mescape"]
