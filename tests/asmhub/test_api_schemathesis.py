"""The API against its own OpenAPI document: Schemathesis generates requests for every
operation from /api/schema/ and checks each answer (no 5xx, status codes, content types and
bodies as documented). Bounded: a few examples per operation, no deadline on a slow machine.

The operations are driven with Hypothesis directly rather than through Schemathesis' pytest
plugin, whose lazy fixture loader does not run under pytest 9.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import AnonRateThrottle

from asmhub.wsgi import application
from tests.asmhub.test_api import seed_mixed_content

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 8


@pytest.fixture
def _keep_test_connection():
    """Requests go through the WSGI application, whose request signals would close the
    test's database connection (with its transaction); Django's test client unhooks them
    the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_conforms_to_its_schema(monkeypatch, _keep_test_connection):
    # Throttling is tested on its own; here it would answer 429 to the generated requests.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})
    seed_mixed_content()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16  # every list and detail endpoint is in the document
    checked = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case):
            case.call_and_validate()

        conforms()
        checked.append(f"{operation.method.upper()} {operation.path}")
    assert "GET /api/resources/" in checked
