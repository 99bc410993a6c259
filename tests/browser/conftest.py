"""The browser harness: Chromium driven through Playwright, in a thread of its own (see
harness.py for why), against pytest-django's live server; axe-core; and the check that every
journey starts from the data the migrations seed (taxonomy, the Curators group)."""

import asyncio
from importlib import import_module

import pycountry
import pytest
from django.contrib.auth.models import Group
from django.db import connection

from asmhub.profiles.models import CURATORS_GROUP
from asmhub.taxonomy.models import Commodity, Country, Language, Region, StakeholderType, Theme
from tests.browser.harness import PlaywrightThread, Remote, run
from tests.conftest import chromium_path

SEED = import_module("asmhub.taxonomy.migrations.0003_seed_taxonomy")


@pytest.fixture(scope="session")
def _playwright_thread():
    thread = PlaywrightThread()
    yield thread
    thread.stop()


@pytest.fixture(scope="session")
def browser(_playwright_thread):
    from playwright.sync_api import sync_playwright

    def launch():
        playwright = sync_playwright().start()
        return playwright, playwright.chromium.launch(
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

    playwright, chromium = _playwright_thread.call(launch)
    yield Remote(chromium, _playwright_thread)
    _playwright_thread.call(chromium.close)
    _playwright_thread.call(playwright.stop)


@pytest.fixture(autouse=True)
def _seeded_rows_at_start(transactional_db):
    """Every journey starts on the full data of the migrations, on the connection pytest-django
    set up: the one holding the serialized copy that serialized_rollback restores after each
    transactional test's flush. A second connection (Playwright's event loop in this thread)
    or a lost restore fails here instead of being patched over in the journeys."""
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()  # no event loop in the test thread
    assert hasattr(connection, "_test_serialized_contents"), "not pytest-django's connection"
    assert Country.objects.count() == len(pycountry.countries)
    assert Language.objects.count() == sum(
        1 for language in pycountry.languages if hasattr(language, "alpha_2")
    )
    assert Region.objects.count() == len(SEED.REGIONS)
    assert list(Commodity.objects.values_list("slug", flat=True)) == [
        s for s, _ in SEED.COMMODITIES
    ]
    assert list(Theme.objects.values_list("slug", flat=True)) == [s for s, _ in SEED.THEMES]
    assert list(StakeholderType.objects.values_list("slug", flat=True)) == [
        s for s, _ in SEED.STAKEHOLDER_TYPES
    ]
    curators = Group.objects.get(name=CURATORS_GROUP)
    assert curators.permissions.filter(content_type__app_label="resources").exists()
    assert curators.permissions.filter(content_type__app_label="outlooks").exists()


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
        results = run(page, checker.run)
        violations = results.response["violations"]
        assert violations == [], results.generate_report()

    return check
