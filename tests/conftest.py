"""Shared fixtures: static files, a locmem cache per test, users, and the browser harness.

Browser tests (marked `browser`, harness in tests/browser/) drive the machine's Chromium
through Playwright against pytest-django's live server. Without Chromium they are skipped and
the run says so plainly, except under CI (CI=true), where a missing Chromium is an error.
"""

import fcntl
import os
import shutil
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from tests.factories import CuratorFactory, UserFactory

CHROMIUM_CANDIDATES = [
    os.environ.get("CHROMIUM_PATH", ""),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
]


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and shutil.which(candidate):
            return candidate
    return None


# Property tests: a fixed sequence of examples in CI (a run that lands is repeatable); new random
# examples on developers' machines, where a failure is a bug to look at, not a blocked landing.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

# ---------------------------------------------------------------- Django-level fixtures


@pytest.fixture(scope="session", autouse=True)
def _static_files():
    """Pages use hashed static names (as in production), which need collectstatic first.

    Into this run's own STATIC_ROOT (asmhub/settings_test.py). The parallel workers of one run
    (pytest-xdist) share it: the first collects under a file lock, the others wait and reuse
    its files instead of rewriting them and the manifest underneath each other.
    """
    static_root = Path(django_settings.STATIC_ROOT)
    static_root.mkdir(parents=True, exist_ok=True)
    with open(static_root / ".collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (static_root / "staticfiles.json").exists():
                call_command("collectstatic", interactive=False, verbosity=0)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    yield
    if not os.environ.get("PYTEST_XDIST_TESTRUNUID"):
        shutil.rmtree(static_root, ignore_errors=True)


def pytest_configure(config):
    """Under pytest-xdist the controller names the run, so it can remove the run's static
    files once every worker is done (pytest_unconfigure)."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        if config.option.testrunuid is None:
            config.option.testrunuid = uuid.uuid4().hex
        config._asmhub_static_root = (
            Path(django_settings.BASE_DIR) / ".test-static" / (config.option.testrunuid)
        )


def pytest_unconfigure(config):
    static_root = getattr(config, "_asmhub_static_root", None)
    if static_root is not None:
        shutil.rmtree(static_root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """An empty in-memory cache per test: allauth's rate limits never leak between tests."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run at once in tests (django-tasks' immediate backend).

    Services enqueue tasks with transaction.on_commit, so a test that wants them to run uses
    `django_capture_on_commit_callbacks(execute=True)` or a transactional database.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(params=["RefusingEmailBackend", "DisconnectingEmailBackend"])
def smtp_down(request, settings):
    """No SMTP server to talk to: requests must still answer and apply everything."""
    settings.EMAIL_BACKEND = f"tests.mail_backends.{request.param}"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def curator(db):
    return CuratorFactory()


# ---------------------------------------------------------------- browser harness

_skipped_browser_tests = []


def pytest_addoption(parser):
    parser.addoption(
        "--reverse-order",
        action="store_true",
        help="run the collected tests in reverse order, e.g. `pytest tests/browser "
        "--reverse-order` to show the journeys do not depend on the order they run in "
        "(on the whole suite it also reverses Django's 'transactional tests last' rule)",
    )


@pytest.hookimpl(trylast=True)  # after pytest-django has put transactional tests last
def pytest_collection_modifyitems(config, items):
    if config.getoption("--reverse-order"):
        items.reverse()
    if chromium_path():
        return
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"} and any(
        "browser" in item.keywords for item in items
    ):
        # CI installs Chromium (.ci/run): its absence there is a broken machine, not a skip.
        raise pytest.UsageError(
            "CI is set but Chromium was not found ($CHROMIUM_PATH, /usr/bin/chromium): "
            "the browser tests cannot run. Install Debian's chromium package."
        )
    skip = pytest.mark.skip(reason="Chromium not found (browser tests need /usr/bin/chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
            _skipped_browser_tests.append(item.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _skipped_browser_tests:
        terminalreporter.write_sep("=", "browser tests skipped", yellow=True)
        terminalreporter.write_line(
            f"{len(_skipped_browser_tests)} browser tests were SKIPPED: Chromium was not found "
            "(looked for $CHROMIUM_PATH, /usr/bin/chromium)."
        )
        terminalreporter.write_line(
            "To run them: install Debian's chromium package (sudo apt-get install chromium) "
            "or set CHROMIUM_PATH to a Chromium/Chrome binary, then run `make test` again."
        )
