"""Hostile input at the edges (issue 10): NUL bytes in URLs, control characters in text."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import Resolver404, resolve

from asmhub.profiles.models import Organisation
from asmhub.validators import (
    SearchTextField,
    strip_control_characters,
    validate_no_control_characters,
    xml_safe,
)
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

NUL_URLS = [
    "/search/?q=%00",
    "/search/?q=gold%00",
    "/countries/%00/",
    "/countries/T%00/",
    "/outlooks/%00/2026/",
    "/outlooks/T%00/2026/",
    "/resources/?q=gold%00",
    "/groups/x/calendar.ics?token=%00",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_byte_in_a_url_is_a_bad_request_not_a_server_error(client, url):
    """These answered 500 (PostgreSQL refuses NUL); now 400 before any view, with a reason."""
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_byte_in_an_admin_filter_is_a_bad_request(client, curator):
    client.force_login(curator)
    assert client.get("/admin/resources/resource/?status__exact=published").status_code == 200
    assert client.get("/admin/resources/resource/?status__exact=%00").status_code == 400


@pytest.mark.parametrize(
    "path",
    ["/countries/T\x00/", "/countries/\x1b\x1b/", "/countries/TZA/", "/outlooks/T\x00/2026/"],
)
def test_country_codes_in_paths_are_two_letters(path):
    """The converter itself refuses what cannot be a code (no lookup is made)."""
    with pytest.raises(Resolver404):
        resolve(path)


def test_country_code_converter_still_takes_lower_case(client):
    response = client.get("/countries/tz/")
    assert response.status_code == 301
    assert response["Location"] == "/countries/TZ/"


def test_calendar_token_that_cannot_be_one_is_not_looked_up(client):
    """A NUL (or any non-token character) in ?token= reached the database: 500."""
    from learning_groups.selectors import membership_by_calendar_token

    with pytest.raises(Http404):
        membership_by_calendar_token(slug="x", token="abc\x00")


def test_search_words_lose_control_characters_but_keep_the_rest():
    field = SearchTextField(required=False)
    assert field.clean("gold\x00 mine\x1b[31m") == "gold mine [31m"
    assert strip_control_characters("a\tb\nc") == "a\tb\nc"


def test_site_search_strips_control_characters(client):
    ResourceFactory(title="Gold panning")
    response = client.get("/search/?q=gold%1b")
    assert response.status_code == 200
    assert response.context["query"] == "gold"


@pytest.mark.parametrize("text", ["a\x00b", "title\x0b", "esc\x1b[31m", "del\x7f", "c1\x85"])
def test_control_characters_are_refused_with_a_clear_message(text):
    with pytest.raises(ValidationError) as error:
        validate_no_control_characters(text)
    assert error.value.code == "control_character"
    assert "invisible control character" in error.value.messages[0]


@pytest.mark.parametrize("text", ["plain", "tab\there", "lines\r\nand more", "Ñandú ☃ 你好"])
def test_ordinary_text_passes(text):
    validate_no_control_characters(text)


def test_models_refuse_control_characters_in_full_clean():
    """Every service calls full_clean(): the kernel base model checks all text fields."""
    organisation = Organisation(name="Miners\x1b Association", slug="miners")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "name" in error.value.message_dict
    resource = ResourceFactory.build(title="Tin\x0b mining", summary="About\x00 tin")
    with pytest.raises(ValidationError) as error:
        resource.full_clean(exclude=["submitted_by"])
    assert {"title", "summary"} <= set(error.value.message_dict)


def test_xml_safe_drops_only_what_xml_cannot_hold():
    assert xml_safe("a\x0bb\x1bc\x00d\ttab\nline") == "abcd\ttab\nline"
    assert xml_safe(None) is None
