"""The search log: counted per month without user or IP, batched, never failing the page."""

import datetime

import pytest
from django.core.management import call_command

from resources import search_log
from resources.models import SearchLogEntry
from tests.factories import UserFactory
from tests.resources.helpers import indexed_resource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_buffer():
    search_log._buffer.clear()
    yield
    search_log._buffer.clear()


def test_searches_are_counted_without_user_or_ip(client):
    indexed_resource(title="Retort designs", languages=["en"])
    client.force_login(UserFactory())
    for _ in range(3):
        client.get("/resources/", {"q": "Retort", "country": "TZ"}, REMOTE_ADDR="203.0.113.9")
    client.get("/resources/", {"q": "zzzyyx"})
    client.get("/resources/", {"q": "retort", "country": "TZ", "page": "2"})  # not a new search
    client.get("/resources/")  # browsing is not a search
    search_log.search_log_flush()
    rows = {(e.words, e.filters): e for e in SearchLogEntry.objects.all()}
    assert set(rows) == {("retort", "country=TZ"), ("zzzyyx", "")}
    assert rows[("retort", "country=TZ")].searches == 3
    assert rows[("zzzyyx", "")].results == 0
    fields = {f.name for f in SearchLogEntry._meta.get_fields()}
    assert not fields & {"user", "ip", "ip_address", "session", "user_agent"}
    stored = " ".join(str(v) for v in SearchLogEntry.objects.values_list())
    assert "203.0.113.9" not in stored


def test_writes_are_batched(client, monkeypatch):
    monkeypatch.setattr(search_log, "BATCH", 3)
    for word in ["a1", "b2"]:
        search_log.search_log_record(words=word, filters="", language="en", results=1)
    assert SearchLogEntry.objects.count() == 0  # still buffered
    search_log.search_log_record(words="c3", filters="", language="en", results=1)
    assert SearchLogEntry.objects.count() == 3


def test_a_log_that_cannot_be_written_never_fails_the_page(client, monkeypatch):
    monkeypatch.setattr(search_log, "BATCH", 1)

    # A write the database refuses (as a full disk or a missing table would)...
    monkeypatch.setattr(search_log, "UPSERT_SQL", "INSERT INTO no_such_table VALUES (1)")
    response = client.get("/resources/", {"q": "retort"})
    assert response.status_code == 200
    assert SearchLogEntry.objects.count() == 0  # and the page's own queries still work
    # ...or any other failure while recording.
    monkeypatch.setattr(search_log, "timezone", None)
    assert client.get("/resources/", {"q": "retort"}).status_code == 200


def test_months_older_than_13_are_rolled_up():
    old, recent = datetime.date(2024, 1, 1), datetime.date(2025, 11, 1)
    for filters, language in [("", "en"), ("country=TZ", "fr")]:
        SearchLogEntry.objects.create(
            month=old, words="mercury", filters=filters, language=language, searches=2, results=5
        )
        SearchLogEntry.objects.create(
            month=recent, words="mercury", filters=filters, language=language, searches=1
        )
    rolled, written = search_log.search_log_roll_up(today=datetime.date(2026, 1, 15))
    assert (rolled, written) == (2, 1)
    row = SearchLogEntry.objects.get(month=old)
    assert (row.searches, row.aggregated, row.filters, row.language) == (4, True, "", "")
    assert SearchLogEntry.objects.filter(month=recent).count() == 2
    assert search_log.search_log_roll_up(today=datetime.date(2026, 1, 15)) == (0, 0)
    call_command("roll_up_search_log")


def test_admin_exports_csv_with_formulas_defused(admin_client):
    SearchLogEntry.objects.create(
        month=datetime.date(2026, 1, 1), words="=cmd()", searches=4, results=0
    )
    url = "/admin/resources/searchlogentry/"
    assert admin_client.get(url, {"found": "nothing"}).status_code == 200
    ids = list(SearchLogEntry.objects.values_list("id", flat=True))
    response = admin_client.post(url, {"action": "export_csv", "_selected_action": ids})
    assert response["Content-Type"].startswith("text/csv")
    assert "'=cmd()" in response.content.decode()
