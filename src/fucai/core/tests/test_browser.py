"""The UI in real Chromium: log in, overview figures, station list with htmx filters, detail, map.

Screenshots go to test-artifacts/ (gitignored). Skipped when /usr/bin/chromium is missing, unless
FUCAI_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("FUCAI_CHROMIUM", "/usr/bin/chromium"))
# CI sets FUCAI_REQUIRE_BROWSER=1: there a missing Chromium is a failure, not a skip.
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not REQUIRED,
        reason=f"no Chromium at {CHROMIUM} (set FUCAI_CHROMIUM to its path) for the browser tests",
    ),
    # live_server needs committed data; restore the migrated data (divisions) for this test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_data(django_db_setup, django_db_blocker):
    """A live_server test ends by emptying the database; put the migrated data (divisions, content
    types) back once this module is done, so later tests find it as they expect."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread, where Django's ORM would refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-US")
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        yield page
        browser.close()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    assert "登录" in page.inner_text("h2")  # Chinese even for an English browser
    _shot(page, "01-login")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("form button.btn-primary")
    page.wait_for_url(f"{base}/")


def test_a_province_user_walks_through_overview_list_detail_and_map(
    live_server, network, province_admin, browser_page
):
    page, base = browser_page, live_server.url
    _log_in(page, base, "province_admin")

    page.goto(f"{base}/?as_of=2023-09-03")
    page.wait_for_selector("#overview-chart canvas")
    assert page.inner_text("[data-figure=open_stations] .fc-card-value") == "5"
    assert page.inner_text("[data-figure=net_new_this_year] .fc-card-value") == "+3"
    assert page.inner_text("[data-figure=jobs_created_this_year] .fc-card-value") == "6"
    assert "在营站点" in page.inner_text("main")
    _shot(page, "02-overview")

    page.click("nav >> text=站点")
    page.wait_for_url(f"{base}/network/stations/")
    assert page.locator("table.table tbody tr").count() == 5
    page.select_option("#id_city", label="九江市")  # htmx swaps the list in place
    page.wait_for_function("document.querySelectorAll('table.table tbody tr').length === 2")
    assert "city=" in page.url
    assert sorted(page.locator("table.table tbody tr td:first-child").all_inner_texts()) == [
        "36040001",
        "36040002",
    ]
    assert "庐山市" in page.inner_text("#id_county")  # the county choices follow the city
    _shot(page, "03-station-list-filtered")

    page.click("text=36040002")
    page.wait_for_url(f"{base}/network/stations/36040002/")
    page.wait_for_selector("#station-minimap canvas")
    assert "36040002" in page.inner_text("h1")
    assert "2023-06-01" in page.inner_text("#history")
    _shot(page, "04-station-detail")

    page.goto(f"{base}/network/map/?as_of=2023-09-03")
    page.wait_for_selector("#station-map[data-ready=true]", timeout=20_000)
    assert page.locator("#station-map canvas").count() >= 1
    assert "5" in page.inner_text("#map-status")
    assert "DataV.GeoAtlas" in page.inner_text(".fc-attribution")
    _shot(page, "05-map")

    with page.expect_navigation():
        page.select_option("#fc-language", "en")  # the switcher posts to /i18n/setlang/
    assert "Station map" in page.inner_text("h1")
    assert page.js_errors == []


def test_a_city_user_sees_their_own_citys_counties_on_the_map(
    live_server, network, ganzhou_user, browser_page
):
    page, base = browser_page, live_server.url
    _log_in(page, base, "ganzhou_user")
    page.goto(f"{base}/network/map/?as_of=2023-09-03")
    page.wait_for_selector("#station-map[data-ready=true]", timeout=20_000)
    assert "3" in page.inner_text("#map-status")
    assert "赣州市" in page.inner_text(".fc-role")
    _shot(page, "06-map-ganzhou")
    assert page.js_errors == []
