"""What every browser test module shares: real Chromium through Playwright, a page fixture,
screenshots under test-artifacts/ (gitignored), logging in, and putting the migrated data back
after live-server tests.

A module opts in with::

    from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot

    pytestmark = BROWSER_MARKS

and the fixtures `browser_page` and `browser_locale` (override it to change the page's locale;
default Chinese), registered for every test by the root conftest. Without /usr/bin/chromium the
tests are skipped, unless FUCAI_REQUIRE_BROWSER=1 (as in CI), where a missing Chromium fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("FUCAI_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("FUCAI_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pw-for-tests-1"  # the named fixture users' (fucai/conftest.py)

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not REQUIRED,
        reason=f"no Chromium at {CHROMIUM} (set FUCAI_CHROMIUM to its path) for the browser tests",
    ),
    # live_server needs committed data; the migrated data (divisions, games, the sales
    # calendar) is restored after each test and, by restore_migrated_data, after the module
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("restore_migrated_data"),
]


@pytest.fixture(scope="module")
def restore_migrated_data(django_db_setup, django_db_blocker):
    """A live_server test ends by emptying the database; put the migrated data back once the
    module is done, so later tests find it as they expect."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def browser_locale() -> str:
    return "zh-CN"


@pytest.fixture
def browser_page(monkeypatch, browser_locale):
    """A Chromium page (1440 × 900); `page.js_errors` collects the page's script errors."""
    # Playwright's sync API runs an event loop in this thread, where Django's ORM would refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale=browser_locale)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        yield page
        browser.close()
        # Inside Playwright's event loop Django keeps this thread's connections apart (asgiref's
        # Local is per context): close them here, or PostgreSQL cannot drop the test database.
        from django.db import connections

        connections.close_all()


def shot(page, name: str) -> None:
    """A full-page screenshot, test-artifacts/<name>.png."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str, before_submit=None) -> None:
    """Log in through the login page as one of the named fixture users."""
    page.goto(f"{base}/login/")
    if before_submit is not None:
        before_submit(page)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button.btn-primary")
    page.wait_for_url(lambda url: url.startswith(base) and "/login/" not in url)
