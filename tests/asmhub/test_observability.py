"""Request ids, one JSON log line per request and task, the deep health check, DB-outage 503s."""

import json
import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError

from asmhub.observability import JsonFormatter, RequestIdFilter, request_id_from

REQUEST_LOGGER = "asmhub.request"


def _request_records(caplog):
    return [r for r in caplog.records if r.name == REQUEST_LOGGER and hasattr(r, "status")]


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_one_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        response = client.get("/healthz")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [record] = _request_records(caplog)
    assert record.request_id == request_id
    assert record.method == "GET"
    assert record.path == "/healthz"
    assert record.status == 200
    assert record.duration_ms >= 0
    assert record.user_id is None


@pytest.mark.django_db
def test_a_sane_request_id_from_the_balancer_is_kept(client, caplog):
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a9c0e-77")
    assert response["X-Request-ID"] == "lb-4f2a9c0e-77"
    assert _request_records(caplog)[0].request_id == "lb-4f2a9c0e-77"


@pytest.mark.parametrize(
    "hostile",
    ["short", "a b c d e f g h", 'x"injected":"1"', "abc\ndef12345", "x" * 200, "ünïcode-ids-12"],
)
def test_an_insane_request_id_is_replaced(hostile):
    replaced = request_id_from(hostile)
    assert replaced != hostile
    assert len(replaced) == 32


def test_the_signed_in_user_id_is_logged(client, user, caplog):
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        client.get("/accounts/profile/")
    [record] = _request_records(caplog)
    assert record.user_id == user.pk
    assert record.status == 200


@pytest.mark.django_db
def test_404s_are_logged_with_their_status(client, caplog):
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        client.get("/resources/no-such-thing/")
    assert _request_records(caplog)[0].status == 404


def test_json_formatter_writes_one_parseable_line_with_extra_fields():
    record = logging.makeLogRecord(
        {
            "name": REQUEST_LOGGER,
            "levelname": "INFO",
            "msg": "GET %s 200",
            "args": ("/a\nb",),
            "request_id": "abc",
            "status": 200,
            "duration_ms": 1.5,
            "user_id": 7,
        }
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /a\nb 200"
    assert entry["logger"] == REQUEST_LOGGER
    assert entry["level"] == "INFO"
    assert entry | {"request_id": "abc", "status": 200, "duration_ms": 1.5, "user_id": 7} == entry
    assert entry["time"].endswith("+00:00")


@pytest.mark.django_db
def test_other_log_lines_during_a_request_carry_its_id(client, caplog):
    """A line logged by a view (here the DB-outage warning) is stamped with the request id."""
    request_filter = RequestIdFilter()
    caplog.handler.addFilter(request_filter)
    try:
        with (
            caplog.at_level(logging.INFO),
            mock.patch("asmhub.views.sections", side_effect=OperationalError("down")),
        ):
            response = client.get("/", HTTP_X_REQUEST_ID="trace-me-12345")
    finally:
        caplog.handler.removeFilter(request_filter)
    warnings = [r for r in caplog.records if r.getMessage().startswith("database unavailable")]
    assert warnings
    assert warnings[0].request_id == "trace-me-12345"
    assert response.status_code == 503


# ---------------------------------------------------------------- the database is down


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError("server closed"), InterfaceError("gone")])
def test_a_database_outage_in_a_view_is_a_branded_503(client, error):
    with mock.patch("asmhub.views.sections", side_effect=error):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The hub is briefly unavailable" in response.content.decode()
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_a_database_outage_in_middleware_is_a_503_not_a_500(client, user):
    """The session lookup happens in middleware, outside the view: handler500 decides."""
    client.force_login(user)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore._get_session_from_db",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/accounts/profile/")
    assert response.status_code == 503
    assert "The hub is briefly unavailable" in response.content.decode()


@pytest.mark.django_db
def test_other_server_errors_stay_500(client):
    client.raise_request_exception = False
    with mock.patch("asmhub.views.sections", side_effect=ValueError("bug")):
        response = client.get("/")
    assert response.status_code == 500


# ---------------------------------------------------------------- deep health check

TOKEN = "s3cr3t-health-token-for-tests"


@pytest.fixture
def health_token(settings):
    settings.ASMHUB_HEALTH_TOKEN = TOKEN
    return TOKEN


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_deep_health_is_404_without_the_right_token(client, health_token, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert client.get("/healthz?deep=1", **extra).status_code == 404


@pytest.mark.django_db
def test_deep_health_is_off_when_no_token_is_configured(client, settings):
    settings.ASMHUB_HEALTH_TOKEN = ""
    response = client.get("/healthz?deep=1", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


@pytest.mark.django_db
def test_deep_health_reports_every_dependency(client, health_token, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/healthz?deep=1", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "tasks"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["tasks"]["queued"] == 0
    assert body["checks"]["tasks"]["oldest_queued_age_s"] == 0.0
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_deep_health_reports_the_oldest_queued_task(client, health_token, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from resources.tasks import extract_file_text

    extract_file_text.enqueue(0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    body = client.get("/healthz?deep=1", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").json()
    assert body["checks"]["tasks"]["queued"] == 1
    assert 299 <= body["checks"]["tasks"]["oldest_queued_age_s"] <= 360


@pytest.mark.django_db
def test_deep_health_is_503_when_a_part_is_down(client, health_token):
    with mock.patch("asmhub.health.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz?deep=1", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"] == body["checks"]["cache"] | {"ok": False}
    assert "redis down" in body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True


# ---------------------------------------------------------------- task worker lines


def test_task_start_and_end_are_logged_with_id_name_and_duration(caplog):
    from django_tasks.signals import task_finished, task_started

    result = mock.Mock(id="task-1", status=mock.Mock(value="SUCCESSFUL"))
    result.task.module_path = "resources.tasks.extract_resource_file_text"
    with caplog.at_level(logging.INFO, logger="asmhub.task"):
        task_started.send(sender=object, task_result=result)
        task_finished.send(sender=object, task_result=result)
    started, finished = [r for r in caplog.records if r.name == "asmhub.task"]
    assert (started.event, started.task_id) == ("task_started", "task-1")
    assert started.task_name == "resources.tasks.extract_resource_file_text"
    assert (finished.event, finished.task_status) == ("task_finished", "SUCCESSFUL")
    assert finished.duration_ms >= 0


# ---------------------------------------------------------------- settings


def _production_shell(code, **extra_env):
    from tests.asmhub.test_settings import PRODUCTION, _database_url, _manage

    env = {
        **PRODUCTION,
        "DATABASE_URL": _database_url(),
        "DJANGO_SECRET_KEY": "k7#Qv9!zR2@xL5$wN8^pT3&mB6*cY1(hJ4)fD0_gS-uE+aZ=oI" * 2,
        "DJANGO_SITE_URL": "https://asmhub.example.org",
        **extra_env,
    }
    result = _manage("shell", "-c", code, env_overrides=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.django_db
def test_production_logs_json_by_default_and_sentry_stays_off_without_a_dsn():
    code = (
        "import logging, sentry_sdk; from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'], "
        "type(logging.getLogger().handlers[0].formatter).__name__, "
        "sentry_sdk.get_client().is_active())"
    )
    assert _production_shell(code) == "json JsonFormatter False"
    assert _production_shell(code, ASMHUB_LOG_FORMAT="text").split()[0] == "text"


@pytest.mark.django_db
def test_sentry_is_initialised_only_when_a_dsn_is_set():
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    # A DSN on a closed local port: nothing is captured, so nothing is ever sent.
    assert _production_shell(code, SENTRY_DSN="http://public@127.0.0.1:9/1") == "True"
