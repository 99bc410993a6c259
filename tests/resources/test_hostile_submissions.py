"""Submissions with hostile input (issue 10): long tags, control characters, duplicate titles."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from resources.models import PROVISIONAL_SLUG_MARK, Resource
from resources.services import resource_publish, resource_submit
from tests.factories import CuratorFactory, UserFactory
from tests.resources.test_views import _error_beside, _post_data


def _link_data(title="Women in Puno's gold cooperatives", **overrides):
    data = {
        "title": title,
        "summary": "Interviews with 40 women miners.",
        "external_url": "https://example.org/informe",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_101_character_tag_gets_a_message_beside_tags_and_keeps_the_form(client, partner):
    """It answered 500 (taggit's column holds 100) and lost everything typed."""
    client.force_login(partner)
    long_tag = "m" * 101
    response = client.post(
        reverse("resources:submit"),
        _post_data(tags=f"women, {long_tag}", external_url="https://example.org/informe"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 100 characters" in _error_beside(html, "id_tags")
    assert "Interviews with 40 women miners" in html  # what was typed is kept
    assert long_tag in html
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_long_tag_too(partner):
    with pytest.raises(ValidationError) as error:
        resource_submit(submitted_by=partner, data=_link_data(), files=[], tags=["x" * 101])
    assert "tags" in error.value.message_dict
    assert not Resource.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "summary", "authors"])
def test_control_characters_get_a_message_beside_the_field(client, partner, field):
    """A title with \\x0b was accepted, and once published broke the feeds."""
    client.force_login(partner)
    data = _post_data(external_url="https://example.org/informe")
    data[field] = "Gold\x0b and \x1b[31mmercury"
    response = client.post(reverse("resources:submit"), data)
    assert response.status_code == 200
    assert "invisible control character (U+000B)" in _error_beside(
        response.content.decode(), f"id_{field}"
    )
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_a_pending_submission_reserves_no_public_slug(partner, other_partner, curator):
    """A second resource with a pending one's title got "…-2", revealing the pending one."""
    pending = resource_submit(submitted_by=partner, data=_link_data(), files=[])
    assert PROVISIONAL_SLUG_MARK in pending.slug
    second = resource_submit(submitted_by=other_partner, data=_link_data(), files=[])
    assert PROVISIONAL_SLUG_MARK in second.slug and second.slug != pending.slug
    # Publication gives the public slug: the first published takes the plain one.
    published = resource_publish(actor=curator, resource=second)
    assert published.slug == "women-in-punos-gold-cooperatives"
    also = resource_publish(actor=curator, resource=pending)
    assert also.slug == "women-in-punos-gold-cooperatives-2"
    # Publishing again keeps the slug (links stay stable).
    assert resource_publish(actor=curator, resource=also).slug == also.slug


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_and_publications_with_one_title_all_succeed(settings, tmp_path):
    """Four concurrent submissions with the same title collided on the slug (500 every time).

    Real threads, real transactions: each waits for the others' INSERT at the unique index,
    then takes another slug inside a savepoint instead of failing.
    """
    settings.MEDIA_ROOT = tmp_path
    people = [UserFactory() for _ in range(4)]
    curator = CuratorFactory()
    barrier = threading.Barrier(4)
    errors, made = [], []

    def run(action):
        try:
            barrier.wait(timeout=10)
            made.append(action())
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    def start(actions):
        threads = [threading.Thread(target=run, args=(action,)) for action in actions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    start(
        [
            lambda person=person: resource_submit(submitted_by=person, data=_link_data(), files=[])
            for person in people
        ]
    )
    assert errors == []
    assert len({r.slug for r in made}) == 4
    submitted, made[:] = list(made), []
    barrier.reset()
    start(
        [
            lambda resource=resource: resource_publish(actor=curator, resource=resource)
            for resource in submitted
        ]
    )
    assert errors == []
    base = "women-in-punos-gold-cooperatives"
    assert sorted(Resource.objects.values_list("slug", flat=True)) == sorted(
        [base, f"{base}-2", f"{base}-3", f"{base}-4"]
    )
