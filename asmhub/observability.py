"""Operations wiring: request ids, one JSON log line per request and per task, DB-outage 503s.

Kept free of component imports (wiring, not kernel business): it only reads the request, the
response and django-tasks' signals. Log records leave through the formatter configured in
settings (`ASMHUB_LOG_FORMAT=json`, the production default).
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

request_logger = logging.getLogger("asmhub.request")
task_logger = logging.getLogger("asmhub.task")

REQUEST_ID_HEADER = "X-Request-ID"
# An id from the balancer is kept only when it looks like one (no spaces, quotes or newlines
# that could forge log lines or headers); anything else gets a fresh id.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@+=/-]{8,128}$")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "asmhub_request_id", default=""
)

# The fields of a LogRecord that every record has; anything else was passed with `extra=`.
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def request_id_from(header_value: str | None) -> str:
    """The balancer's request id when it looks sane, else a new random one."""
    if header_value and _SANE_REQUEST_ID.match(header_value):
        return header_value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamps every record logged during a request with that request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            request_id = current_request_id.get()
            if request_id:
                record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and every `extra` field."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value)
            for key, value in vars(record).items()
            if key not in _STANDARD_ATTRS and not key.startswith("_")
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # Django attaches the request object to some records; it is not JSON.
        entry.pop("request", None)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _user_id(request):
    """The signed-in user's id, without making anonymous requests touch the database."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    try:
        return user.pk if user.is_authenticated else None
    except Exception:  # a log line must never break the response (e.g. database down)
        return None


class RequestLogMiddleware:
    """Gives each request an id (X-Request-ID both ways) and logs one line when it is done.

    Sits first in MIDDLEWARE so it sees every response, including 500s and 503s built by
    the other middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            status = response.status_code
            level = logging.ERROR if status >= 500 else logging.INFO
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response() -> HttpResponse:
    """A small branded page saying the hub is briefly unavailable; no database needed."""
    # Rendered without the request: its context processors would query the database again.
    body = render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach PostgreSQL answers 503 at once (not a 500 and a stack trace).

    Errors raised by other middleware (a session save, the lazy user) reach
    `asmhub.views.server_error`, which makes the same decision.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN_ERRORS):
            request_logger.warning(
                "database unavailable: %s", exception, extra={"error": type(exception).__name__}
            )
            return database_unavailable_response()
        return None


# ---------------------------------------------------------------- task worker

_task_started_at: dict[str, float] = {}


def log_task_started(sender, task_result, **kwargs):
    _task_started_at[str(task_result.id)] = time.perf_counter()
    task_logger.info(
        "task started %s",
        task_result.task.module_path,
        extra={
            "event": "task_started",
            "task_id": str(task_result.id),
            "task_name": task_result.task.module_path,
        },
    )


def log_task_finished(sender, task_result, **kwargs):
    started = _task_started_at.pop(str(task_result.id), None)
    duration = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    status = str(getattr(task_result.status, "value", task_result.status))
    task_logger.log(
        logging.ERROR if status == "FAILED" else logging.INFO,
        "task finished %s %s",
        task_result.task.module_path,
        status,
        extra={
            "event": "task_finished",
            "task_id": str(task_result.id),
            "task_name": task_result.task.module_path,
            "task_status": status,
            "duration_ms": duration,
        },
    )


def connect_task_signals():
    """Log every task's start and end with its id, name and duration (django-tasks signals)."""
    try:
        from django_tasks.signals import task_finished, task_started
    except ImportError:  # an older django-tasks without signals: nothing to hook
        return
    task_started.connect(log_task_started, dispatch_uid="asmhub_task_started")
    task_finished.connect(log_task_finished, dispatch_uid="asmhub_task_finished")
