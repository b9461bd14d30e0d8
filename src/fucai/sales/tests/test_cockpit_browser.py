"""The sales cockpit in real Chromium: cards, charts drawn from the JSON endpoints, the map's
drill-down from the province to a city's counties and stations, and a city user's cockpit.

Screenshots go to test-artifacts/sales-cockpit*.png. Skipped when /usr/bin/chromium is missing,
unless FUCAI_REQUIRE_BROWSER=1 (as in fucai.core.tests.test_browser).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from fucai.sales.ingest.importer import import_files
from fucai.sales.tests.test_cockpit import FACTS

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
GANZHOU_INSIDE = [115.0, 25.8]  # a point inside 赣州市, to click on the map

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not REQUIRED,
        reason=f"no Chromium at {CHROMIUM} (set FUCAI_CHROMIUM to its path) for the browser tests",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_data(django_db_setup, django_db_blocker):
    """A live_server test ends by emptying the database; put the migrated data (divisions, games,
    the sales calendar) back once this module is done."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def facts(network, store, write_csv):
    assert import_files(
        [write_csv("facts.csv", FACTS)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    return store


@pytest.fixture
def browser_page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        yield page
        browser.close()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("form button.btn-primary")
    page.wait_for_url(f"{base}/")


def _wait_for_charts(page) -> None:
    for chart in ("#sales-map", "#monthly-chart", "#games-chart"):
        page.wait_for_selector(f"{chart}[data-ready=true]", timeout=30_000)
    page.wait_for_timeout(600)  # let ECharts finish its entry animation before a screenshot


def _click_map_at(page, lon_lat: list[float]) -> None:
    x, y = page.evaluate(
        """(point) => echarts.getInstanceByDom(document.getElementById("sales-map"))
                          .convertToPixel({geoIndex: 0}, point)""",
        lon_lat,
    )
    box = page.locator("#sales-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_the_province_cockpit_shows_cards_charts_and_drills_down_the_map(
    live_server, facts, province_admin, browser_page
):
    page, base = browser_page, live_server.url
    _log_in(page, base, "province_admin")
    page.click("nav >> text=销售驾驶舱")
    page.wait_for_url(f"{base}/sales/")
    assert page.input_value("#id_as_of") == "2023-09-04"  # the last day with sales
    page.click("[data-preset='2023-09-03']")
    page.wait_for_url(f"{base}/sales/?as_of=2023-09-03&compare=calendar")
    _wait_for_charts(page)
    assert page.inner_text("[data-figure=total] .fc-amount") == "7.00"
    assert page.inner_text("[data-figure=total] .fc-yoy") == "+40.0%"
    assert page.inner_text("[data-figure=instant] .fc-yoy") == "+360.0%"
    assert "创历史新高" in page.inner_text("[data-figure=instant]")
    assert page.locator("#ranking-table tbody tr").count() == 2
    assert page.get_attribute("#sales-map", "data-level") == "city"
    assert page.get_attribute("#sales-map", "data-regions") == "2"
    assert page.locator("#monthly-chart canvas").count() >= 1
    _shot(page, "sales-cockpit-province")

    _click_map_at(page, GANZHOU_INSIDE)
    page.wait_for_selector("#sales-map[data-level=county][data-ready=true]", timeout=20_000)
    assert page.get_attribute("#sales-map", "data-city") == "360700"
    assert page.get_attribute("#sales-map", "data-regions") == "2"
    assert page.get_attribute("#sales-map", "data-stations") == "2"
    assert page.is_visible("#map-back")
    page.locator("#sales-map").scroll_into_view_if_needed()
    _shot(page, "sales-cockpit-province-ganzhou-drill")
    page.locator("#sales-map").screenshot(path=str(ARTIFACTS / "sales-cockpit-map-drill.png"))
    page.click("#map-back")
    page.wait_for_selector("#sales-map[data-level=city][data-ready=true]", timeout=20_000)

    with page.expect_download() as download:
        page.click("#ranking [data-export=ranking]")
    assert download.value.suggested_filename.endswith("2023-09-03.xlsx")
    assert page.js_errors == []


def test_a_city_user_sees_their_citys_cockpit_with_counties_and_stations(
    live_server, facts, ganzhou_user, browser_page
):
    page, base = browser_page, live_server.url
    _log_in(page, base, "ganzhou_user")
    page.goto(f"{base}/sales/?as_of=2023-09-03")
    _wait_for_charts(page)
    assert page.inner_text("[data-figure=total] .fc-amount") == "3.00"
    assert page.locator("#ranking-table tbody tr").all_inner_texts()[0].split("\t")[1] == "兴国县"
    assert page.get_attribute("#sales-map", "data-level") == "county"
    assert page.get_attribute("#sales-map", "data-city") == "360700"
    assert page.get_attribute("#sales-map", "data-stations") == "2"
    assert not page.is_visible("#map-back")
    _shot(page, "sales-cockpit-ganzhou")
    assert page.js_errors == []
