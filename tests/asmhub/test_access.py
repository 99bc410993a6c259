"""The kernel's one definition of a curator and its one refusal (a 404)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404

from asmhub.access import CURATORS_GROUP, Refused, is_curator, require
from tests.factories import CuratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_curators_are_active_staff_in_the_curators_group():
    assert is_curator(CuratorFactory())
    assert not is_curator(UserFactory())
    assert not is_curator(UserFactory(is_staff=True))  # staff without the group
    in_group_not_staff = UserFactory()
    in_group_not_staff.groups.add(Group.objects.get(name=CURATORS_GROUP))
    assert not is_curator(in_group_not_staff)
    assert not is_curator(CuratorFactory(is_active=False))
    assert is_curator(UserFactory(is_staff=True, is_superuser=True))
    assert not is_curator(AnonymousUser())
    assert not is_curator(None)


def test_the_answer_is_asked_once_per_user_object(django_assert_num_queries):
    curator = CuratorFactory()
    fresh = type(curator).objects.get(pk=curator.pk)
    with django_assert_num_queries(1):
        assert is_curator(fresh) and is_curator(fresh)


def test_a_refusal_is_a_404():
    with pytest.raises(Http404):
        require(False)
    assert issubclass(Refused, Http404)
    require(True)


def test_only_its_owner_updates_a_profile():
    from asmhub.profiles.services import profile_get_or_create, profile_update

    owner, other = UserFactory(), UserFactory()
    profile = profile_get_or_create(user=owner)
    for wrong in (other, CuratorFactory(), AnonymousUser()):
        with pytest.raises(Http404):
            profile_update(actor=wrong, profile=profile, data={"display_name": "Hijacked"})
    profile_update(actor=owner, profile=profile, data={"display_name": "Amani"})
    profile.refresh_from_db()
    assert profile.display_name == "Amani"
