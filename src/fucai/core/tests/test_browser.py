"""The UI in real Chromium: log in, overview figures, station list with htmx filters, detail, map.

Screenshots go to test-artifacts/ (gitignored). Skipped when /usr/bin/chromium is missing, unless
FUCAI_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot

pytestmark = BROWSER_MARKS


@pytest.fixture
def browser_locale() -> str:
    return "en-US"  # the UI must still open in Chinese


def _log_in(page, base: str, username: str) -> None:
    def login_page_in_chinese(page) -> None:
        assert "登录" in page.inner_text("h2")  # Chinese even for an English browser
        shot(page, "01-login")

    log_in(page, base, username, before_submit=login_page_in_chinese)


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
    shot(page, "02-overview")

    page.click("nav >> text=站点")
    page.wait_for_url(f"{base}/network/stations/")
    assert page.locator("table.table tbody tr").count() == 5
    page.select_option("#id_city", label="九江市")  # htmx swaps the list in place
    page.wait_for_function("() => document.querySelectorAll('table.table tbody tr').length === 2")
    assert "city=" in page.url
    assert sorted(page.locator("table.table tbody tr td:first-child").all_inner_texts()) == [
        "36040001",
        "36040002",
    ]
    assert "庐山市" in page.inner_text("#id_county")  # the county choices follow the city
    shot(page, "03-station-list-filtered")

    page.click("text=36040002")
    page.wait_for_url(f"{base}/network/stations/36040002/")
    page.wait_for_selector("#station-minimap canvas")
    assert "36040002" in page.inner_text("h1")
    assert "2023-06-01" in page.inner_text("#history")
    shot(page, "04-station-detail")

    page.goto(f"{base}/network/map/?as_of=2023-09-03")
    page.wait_for_selector("#station-map[data-ready=true]", timeout=20_000)
    assert page.locator("#station-map canvas").count() >= 1
    assert "5" in page.inner_text("#map-status")
    assert "DataV.GeoAtlas" in page.inner_text(".fc-attribution")
    shot(page, "05-map")

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
    shot(page, "06-map-ganzhou")
    assert page.js_errors == []


def _click_station_map_at(page, lon_lat: list[float]) -> None:
    x, y = page.evaluate(
        """(point) => echarts.getInstanceByDom(document.getElementById("station-map"))
                          .convertToPixel({geoIndex: 0}, point)""",
        lon_lat,
    )
    box = page.locator("#station-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_a_click_on_a_city_of_the_station_map_drills_in_even_on_a_station_dot(
    live_server, network, province_admin, browser_page
):
    page, base = browser_page, live_server.url
    _log_in(page, base, "province_admin")
    page.goto(f"{base}/network/map/?as_of=2023-09-03")
    page.wait_for_selector("#station-map[data-ready=true]", timeout=20_000)
    assert page.get_attribute("#station-map", "data-level") == "city"
    xingguo = network["stations"]["xingguo"]
    point = [float(xingguo.lon), float(xingguo.lat)]
    _click_station_map_at(page, point)  # right on 36110214's dot: the city is the target
    page.wait_for_selector("#station-map[data-city='360700'][data-ready=true]", timeout=20_000)
    assert page.url == f"{base}/network/map/?as_of=2023-09-03"  # no station page
    assert page.is_visible("#map-back")
    shot(page, "05b-map-ganzhou-drill")
    with page.expect_navigation():
        _click_station_map_at(page, point)  # in the city, the dots are the targets
    assert page.url == f"{base}/network/stations/36110214/"
    assert page.js_errors == []
