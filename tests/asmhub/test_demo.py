"""`manage.py load_demo` is idempotent and gives working demo logins."""

import io

import pytest
from django.core.management import call_command

from asmhub import demo
from asmhub.profiles.models import Organisation, Profile, User

pytestmark = pytest.mark.django_db


def test_load_demo_twice_changes_nothing(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    counts = (User.objects.count(), Organisation.objects.count(), Profile.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert counts == (User.objects.count(), Organisation.objects.count(), Profile.objects.count())
    assert demo.CURATOR_EMAIL in out.getvalue()
    assert client.login(email=demo.CURATOR_EMAIL, password=demo.DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
