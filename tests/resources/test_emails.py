"""Review emails never inside a request: a down SMTP server delays them, never fails a review."""

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from asmhub.emails import deserialize
from resources.models import Resource
from resources.services import resource_publish
from tests.factories import ProfileFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:resources_resource_changelist")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def database_tasks(settings):
    """The production task backend: emails wait in the queue instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued_emails():
    rows = DBTaskResult.objects.filter(task_path="asmhub.emails.send_email").order_by("pk")
    return [deserialize(row.args_kwargs["args"][0]) for row in rows]


def test_bulk_publish_of_five_with_smtp_down_publishes_all_five(
    client, curator, smtp_down, django_capture_on_commit_callbacks
):
    pending = [ResourceFactory(status="pending", submitted_by=UserFactory()) for _ in range(5)]
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "publish", "_selected_action": [r.pk for r in pending]}
        )
    assert response.status_code == 302
    assert Resource.objects.filter(pk__in=[r.pk for r in pending], status="published").count() == 5


def test_bulk_publish_queues_one_email_per_submitter(
    client, curator, database_tasks, smtp_down, django_capture_on_commit_callbacks
):
    pending = [ResourceFactory(status="pending", submitted_by=UserFactory()) for _ in range(5)]
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "publish", "_selected_action": [r.pk for r in pending]}
        )
    assert response.status_code == 302
    queued = _queued_emails()
    assert sorted(m.to[0] for m in queued) == sorted(r.submitted_by.email for r in pending)


def test_bulk_reject_and_withdraw_with_smtp_down(
    client, curator, partner, smtp_down, django_capture_on_commit_callbacks
):
    to_reject = ResourceFactory(status="pending", submitted_by=partner)
    to_withdraw = ResourceFactory(status="published", submitted_by=partner)
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {
                "action": "reject",
                "apply": "1",
                "reason": "Please add the full report.",
                "_selected_action": [to_reject.pk],
            },
        )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "withdraw", "_selected_action": [to_withdraw.pk]}
        )
    assert response.status_code == 302
    to_reject.refresh_from_db()
    to_withdraw.refresh_from_db()
    assert (to_reject.status, to_withdraw.status) == ("rejected", "withdrawn")


def test_publish_from_the_change_form_with_smtp_down(
    client, curator, partner, smtp_down, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(status="pending", submitted_by=partner, slug="smtp-down")
    client.force_login(curator)
    change = reverse("admin:resources_resource_change", args=[resource.pk])
    data = {key: value for key, value in _change_form(client, change).items() if value is not None}
    data["status"] = "published"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    resource.refresh_from_db()
    assert resource.status == "published"


def _change_form(client, url) -> dict:
    """The change form's current values, as a browser would post them back."""
    response = client.get(url)
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list | tuple | set) or hasattr(value, "all"):
            value = [getattr(v, "pk", v) for v in (value.all() if hasattr(value, "all") else value)]
        data[name] = "" if value is None else value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
    return data


def test_outcome_email_is_in_the_submitters_language_with_public_links(
    curator, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.example.org"
    submitter = ProfileFactory(preferred_language="es").user
    resource = ResourceFactory(status="pending", submitted_by=submitter, title="Oro limpio")
    with django_capture_on_commit_callbacks(execute=True):
        resource_publish(actor=curator, resource=resource)
    [message] = mail.outbox
    assert message.to == [submitter.email]
    assert message.subject == "Publicado en ASM Hub: Oro limpio"
    assert f"https://hub.example.org{resource.get_absolute_url()}" in message.body
    assert "https://hub.example.org/resources/mine/" in message.body
