"""The API against its own OpenAPI document: Schemathesis generates requests for every
operation from /api/schema/ and checks each answer (no 5xx, status codes, content types and
bodies as documented). Bounded: a few examples per operation, no deadline on a slow machine."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle

from asmhub.wsgi import application
from tests.asmhub.test_api import seed_mixed_content

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(db, monkeypatch):
    # Throttling is tested on its own; here it would answer 429 to the generated requests.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})
    seed_mixed_content()
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()
