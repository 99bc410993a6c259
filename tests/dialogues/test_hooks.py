"""The portal pages' dialogue sections (home, country, search, sitemap) and the demo content."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from dialogues import demo
from dialogues.home import home_section
from dialogues.models import Dialogue, FollowUpUpdate, ParticipationCount, Session

from .factories import DialogueFactory, DialogueSeriesFactory

pytestmark = pytest.mark.django_db


def test_home_shows_upcoming_and_recent_public_dialogues(client, django_assert_max_num_queries):
    today = timezone.localdate()
    DialogueFactory(title="Next month in Lima", start_date=today + datetime.timedelta(days=30))
    DialogueFactory(title="Held in Arusha", start_date=today - datetime.timedelta(days=30))
    DialogueFactory(title="Restricted one", visibility="restricted")
    DialogueFactory(title="Unpublished one", is_published=False)
    page = client.get("/").content.decode()
    assert "Next month in Lima" in page
    assert "Held in Arusha" in page
    assert page.index("Coming up") < page.index("Next month in Lima") < page.index("Recently held")
    assert "Restricted one" not in page
    assert "Unpublished one" not in page


def test_home_section_costs_two_queries(rf, django_assert_num_queries):
    """Guards against N+1: the home section reads upcoming and recent dialogues, nothing more."""
    DialogueFactory.create_batch(5, countries=["TZ"])
    request = rf.get("/")
    with django_assert_num_queries(2):
        section = home_section(request)
    assert len(section["recent"]) == 3


def test_country_page_lists_the_country_dialogues(client):
    DialogueFactory(title="Geita mercury dialogue", countries=["TZ"])
    DialogueFactory(title="Lima buyers dialogue", countries=["PE"])
    DialogueFactory(title="Hidden TZ dialogue", countries=["TZ"], visibility="restricted")
    page = client.get("/countries/TZ/").content.decode()
    assert "Geita mercury dialogue" in page
    assert "Lima buyers dialogue" not in page
    assert "Hidden TZ dialogue" not in page


def test_site_search_finds_public_published_dialogues_only(client):
    DialogueFactory(title="Sharing concessions", key_agreements="Co-existence agreements")
    DialogueFactory(title="Restricted concessions", visibility="restricted")
    DialogueFactory(title="Draft concessions", is_published=False)
    page = client.get("/search/", {"q": "concessions"}).content.decode()
    assert "Sharing concessions" in page
    assert "Restricted concessions" not in page
    assert "Draft concessions" not in page
    assert "Sharing concessions" in client.get("/search/", {"q": "co-existence"}).content.decode()


def test_sitemap_lists_public_dialogues_and_series(client):
    public = DialogueFactory(series=DialogueSeriesFactory(slug="series-a"))
    hidden = DialogueFactory(visibility="restricted")
    body = client.get("/sitemap.xml").content.decode()
    assert public.get_absolute_url() in body
    assert "/dialogues/series/series-a/" in body
    assert hidden.get_absolute_url() not in body


def test_demo_loads_twice_without_changing_anything():
    call_command("load_demo", stdout=io.StringIO())

    def counts():
        return [
            model.objects.count()
            for model in (Dialogue, ParticipationCount, Session, FollowUpUpdate)
        ]

    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    series = Dialogue.objects.filter(series__slug="asm-lsm-governments")
    assert (
        series.filter(scope="international", status__in=["held", "report-published"]).count() == 2
    )
    assert series.filter(status="planned").count() == 1
    assert Dialogue.objects.filter(scope="national").count() == 3
    statuses = {a.current_status for d in Dialogue.objects.all() for a in d.follow_up_actions.all()}
    assert {"done", "in-progress", "stalled", "not-started"} <= statuses
    assert len(demo.DIALOGUES) == 6
