"""Shared fixtures: static files, a locmem cache per test, users, and the browser harness.

Browser tests (marked `browser`) drive the machine's Chromium through Playwright against
pytest-django's live server. Without Chromium they are skipped and the run says so plainly.
"""

import os
import shutil

import pytest
from django.core.management import call_command

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


# ---------------------------------------------------------------- Django-level fixtures


@pytest.fixture(scope="session", autouse=True)
def _static_files():
    """Pages use hashed static names (as in production), which need collectstatic first."""
    call_command("collectstatic", interactive=False, verbosity=0)


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


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told it is safe (it is: the loop only drives the browser).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    """Runs axe-core on a page and fails with the list of violations, if any."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page):
        results = checker.run(page)
        violations = results.response["violations"]
        assert violations == [], results.generate_report()

    return check
