"""The sales cockpit in real Chromium: cards, charts drawn from the JSON endpoints, the map's
drill-down from the province to a city's counties and stations, and a city user's cockpit.

Screenshots go to test-artifacts/sales-cockpit*.png. Skipped when /usr/bin/chromium is missing,
unless FUCAI_REQUIRE_BROWSER=1 (as in fucai.core.tests.test_browser).
"""

from __future__ import annotations

import datetime as dt

import pytest

from fucai.core.testing.browser import ARTIFACTS, BROWSER_MARKS, log_in, shot
from fucai.sales.ingest.importer import import_files
from fucai.sales.tests.test_cockpit import FACTS

GANZHOU_INSIDE = [115.0, 25.8]  # a point inside 赣州市, to click on the map

pytestmark = BROWSER_MARKS


@pytest.fixture
def facts(network, store, write_csv):
    assert import_files(
        [write_csv("facts.csv", FACTS)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    return store


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
    page.locator("#sales-map").scroll_into_view_if_needed()  # a longer menu pushes it down
    box = page.locator("#sales-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_the_province_cockpit_shows_cards_charts_and_drills_down_the_map(
    live_server, facts, province_admin, browser_page
):
    page, base = browser_page, live_server.url
    log_in(page, base, "province_admin")
    page.click("nav >> text=销售驾驶舱")
    page.wait_for_url(f"{base}/sales/")
    assert page.input_value("#id_as_of") == "2023-09-04"  # the last day with sales
    page.click("[data-preset='2023-09-03']")
    page.wait_for_url(f"{base}/sales/?as_of=2023-09-03&compare=calendar")
    _wait_for_charts(page)
    assert page.inner_text("[data-figure=total] .fc-amount") == "7.00"
    assert page.inner_text("[data-figure=total] .fc-yoy") == "+40.0%"
    assert page.inner_text("[data-figure=instant] .fc-yoy") == "+360.0%"
    assert "2021年以来新高" in page.inner_text("[data-figure=instant]")
    assert page.locator("#ranking-table tbody tr").count() == 2
    assert page.get_attribute("#sales-map", "data-level") == "city"
    assert page.get_attribute("#sales-map", "data-regions") == "2"
    assert page.locator("#monthly-chart canvas").count() >= 1
    shot(page, "sales-cockpit-province")

    # a click on 赣州 drills the whole cockpit down to it, a click on a county to its stations
    with page.expect_navigation():
        _click_map_at(page, GANZHOU_INSIDE)
    assert page.url == f"{base}/sales/?as_of=2023-09-03&compare=calendar&city=360700"
    _wait_for_charts(page)
    assert page.get_attribute("#sales-map", "data-level") == "county"
    assert page.get_attribute("#sales-map", "data-city") == "360700"
    assert page.get_attribute("#sales-map", "data-regions") == "2"
    assert page.get_attribute("#sales-map", "data-stations") == "2"
    assert page.inner_text("[data-figure=total] .fc-amount") == "3.00"
    assert page.inner_text("#cockpit-breadcrumb").split() == ["全省", "赣州市"]
    names = [
        row.split("\t")[1] for row in page.locator("#ranking-table tbody tr").all_inner_texts()
    ]
    assert names == ["兴国县", "章贡区"]
    shot(page, "sales-cockpit-province-ganzhou-drill")
    page.locator("#sales-map").screenshot(path=str(ARTIFACTS / "sales-cockpit-map-drill.png"))
    with page.expect_navigation():
        page.click("#ranking-table >> text=兴国县")
    _wait_for_charts(page)
    assert "county=360732" in page.url
    assert page.locator("#ranking-table tbody tr").all_inner_texts()[0].split("\t")[1] == (
        "兴国县0214投注站"
    )
    assert page.get_attribute("#sales-map", "data-stations") == "1"
    shot(page, "sales-cockpit-province-xingguo-drill")
    with page.expect_navigation():
        page.click("#map-back")  # one level up: 赣州
    assert page.url.endswith("&city=360700")
    with page.expect_navigation():
        page.click("#cockpit-breadcrumb >> text=全省")
    _wait_for_charts(page)
    assert page.get_attribute("#sales-map", "data-level") == "city"

    with page.expect_download() as download:
        page.click("#ranking [data-export=ranking]")
    assert download.value.suggested_filename.endswith("2023-09-03.xlsx")
    assert page.js_errors == []


def test_a_city_user_sees_their_citys_cockpit_with_counties_and_stations(
    live_server, facts, ganzhou_user, browser_page
):
    page, base = browser_page, live_server.url
    log_in(page, base, "ganzhou_user")
    page.goto(f"{base}/sales/?as_of=2023-09-03")
    _wait_for_charts(page)
    assert page.inner_text("[data-figure=total] .fc-amount") == "3.00"
    assert page.locator("#ranking-table tbody tr").all_inner_texts()[0].split("\t")[1] == "兴国县"
    assert page.get_attribute("#sales-map", "data-level") == "county"
    assert page.get_attribute("#sales-map", "data-city") == "360700"
    assert page.get_attribute("#sales-map", "data-stations") == "2"
    assert not page.is_visible("#map-back")
    shot(page, "sales-cockpit-ganzhou")
    assert page.js_errors == []
