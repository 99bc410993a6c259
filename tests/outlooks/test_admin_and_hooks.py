"""Admin for curators (and their permissions), portal hooks, sitemap and the demo content."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from asmhub.profiles.models import CURATORS_GROUP
from outlooks.models import Edition, IndicatorValue, Methodology
from tests.outlooks.helpers import published_edition

pytestmark = pytest.mark.django_db


def test_curators_have_outlooks_permissions(db):
    codenames = set(
        Group.objects.get(name=CURATORS_GROUP)
        .permissions.filter(content_type__app_label="outlooks")
        .values_list("codename", flat=True)
    )
    assert {"change_methodology", "add_indicatordefinition", "change_edition"} <= codenames
    assert "view_revision" in codenames
    assert "change_revision" not in codenames


def test_curator_uses_the_admin(client, curator, methodology, draft):
    client.force_login(curator)
    for path in (
        reverse("admin:outlooks_methodology_change", args=[methodology.pk]),
        reverse("admin:outlooks_edition_changelist") + "?status=draft&q=Tanzania",
        reverse("admin:outlooks_edition_change", args=[draft.pk]),
    ):
        assert client.get(path).status_code == 200


def test_admin_publish_action_goes_through_the_workflow(client, curator, draft, indicators):
    IndicatorValue.objects.create(
        edition=draft, indicator=indicators["asm-miners"], value=5, source_citation="x"
    )
    draft.status = Edition.Status.IN_REVIEW
    draft.save()
    client.force_login(curator)
    client.post(
        reverse("admin:outlooks_edition_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED
    assert draft.revisions.count() == 1
    assert draft.events.last().actor == curator


def test_home_country_search_and_sitemap(client, methodology, indicators):
    edition = published_edition(methodology, values={indicators["asm-miners"]: "10"})
    assert edition.title in client.get("/").content.decode()
    assert edition.title in client.get("/countries/TZ/").content.decode()
    assert edition.title in client.get("/search/?q=Tanzania").content.decode()
    assert edition.get_absolute_url() in client.get("/sitemap.xml").content.decode()


def test_drafts_stay_out_of_portal_pages(client, draft):
    assert draft.title not in client.get("/countries/TZ/").content.decode()
    assert draft.title not in client.get("/search/?q=Tanzania").content.decode()
    assert draft.get_absolute_url() not in client.get("/sitemap.xml").content.decode()


def test_demo_is_idempotent(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    methodology = Methodology.objects.get(version="1")
    assert methodology.sections.count() >= 8
    assert methodology.indicators.count() >= 12
    published = Edition.objects.published()
    assert published.values("country").distinct().count() == 3
    assert published.filter(country_id="TZ").count() == 2
    assert Edition.objects.exclude(status=Edition.Status.PUBLISHED).exists()
    assert all(e.revisions.count() == 1 for e in published)
