"""Portal hooks (home, country page, search, sitemap) show public group facts only; demo loads."""

import io

import pytest
from django.core.management import call_command

from learning_groups.models import LearningGroup, Meeting, Membership

pytestmark = pytest.mark.django_db


def test_home_lists_groups_but_no_meeting_details(client, world, django_assert_max_num_queries):
    world.meeting.title = "Secret strategy session"
    world.meeting.save()
    html = client.get("/").content.decode()
    assert "Tanzania Learning Group" in html
    assert "1 group meeting is coming up" in html
    assert "Secret strategy session" not in html


def test_country_page_shows_the_group(client, world):
    html = client.get("/countries/TZ/").content.decode()
    assert "Tanzania Learning Group" in html
    assert "Draft brief" not in html


def test_search_finds_group_by_public_words(client, world):
    html = client.get("/search/?q=Tanzania").content.decode()
    assert "Tanzania Learning Group" in html


def test_sitemap_lists_public_group_pages_only(client, world):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/groups/tanzania/</loc>" in xml
    assert "/meetings/" not in xml


def test_demo_is_idempotent_with_coordinators_and_meetings():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    counts = (LearningGroup.objects.count(), Meeting.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=out)
    assert counts == (
        LearningGroup.objects.count(),
        Meeting.objects.count(),
        Membership.objects.count(),
    )
    assert set(LearningGroup.objects.values_list("country", flat=True)) == {
        "TZ", "ET", "CO", "PE", "BO", "IN"
    }  # fmt: skip
    tanzania = LearningGroup.objects.get(country="TZ")
    assert tanzania.time_zone == "Africa/Dar_es_Salaam"
    assert tanzania.memberships.coordinators().get().user.email == "amani.mushi@demo.asmhub.example"
    assert tanzania.meetings.filter(status="held").exclude(minutes="").exists()
    assert tanzania.meetings.upcoming().exists()
    assert tanzania.action_items.open().exists()
