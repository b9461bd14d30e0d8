"""The pages at phone width (issue 8, item 8), in real Chromium at 390 × 844, in Chinese and in
English: the overview, the station list and the sales cockpit (whole scope and drilled down to
a city) fit the screen — nothing wider than the viewport
(`document.scrollingElement.scrollWidth <= innerWidth`) — and stay a reasonable height (a
station is a short card, not a column of two-character lines).

Screenshots: test-artifacts/phone-<language>-<page>.png. Skipped without Chromium, unless
FUCAI_REQUIRE_BROWSER=1 (fucai.core.testing.browser).
"""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import ARTIFACTS, BROWSER_MARKS, log_in, shot
from fucai.sales.tests.test_cockpit_browser import _wait_for_charts, facts  # noqa: F401

PHONE = {"width": 390, "height": 844}
MAX_STATION_CARD_PX = 90  # a 50-station page then stays under 4,500 px of cards (9,417 before)
LANGUAGES = {"zh-hans": "在营站点", "en": "Open stations"}

pytestmark = [*BROWSER_MARKS, pytest.mark.usefixtures("facts")]


@pytest.fixture(params=sorted(LANGUAGES))
def phone(request, live_server, province_admin, browser_page):
    """The province administrator's browser at phone size, in one language."""
    page, base = browser_page, live_server.url
    log_in(page, base, "province_admin")
    page.context.add_cookies([{"name": "django_language", "value": request.param, "url": base}])
    page.set_viewport_size(PHONE)
    page.language = request.param
    return page, base


def _fits_the_screen(page) -> dict:
    sizes = page.evaluate(
        """() => ({ width: document.scrollingElement.scrollWidth, inner: window.innerWidth,
                    height: document.scrollingElement.scrollHeight })"""
    )
    assert sizes["width"] <= sizes["inner"], f"{page.url} is {sizes['width']} px wide"
    return sizes


def _shot(page, name: str, *parts: str) -> None:
    """The whole page, and each of `parts` (selectors) on its own, at readable size."""
    shot(page, f"phone-{page.language}-{name}")
    for index, selector in enumerate(parts, start=1):
        path = ARTIFACTS / f"phone-{page.language}-{name}-{index}.png"
        page.locator(selector).screenshot(path=str(path))


def test_the_overview_fits_a_phone(phone):
    page, base = phone
    page.goto(f"{base}/network/?as_of=2023-09-03")
    page.wait_for_selector("#overview-chart canvas")
    assert LANGUAGES[page.language] in page.inner_text("main")
    sizes = _fits_the_screen(page)
    assert sizes["height"] < 4_000
    # the table is a list of cards: every figure of a city in the screen's width
    first = page.locator("#overview-table tbody tr").first.bounding_box()
    assert first["width"] <= PHONE["width"]
    _shot(page, "overview")
    assert page.js_errors == []


def test_the_station_list_is_a_list_of_short_cards_on_a_phone(phone):
    page, base = phone
    page.goto(f"{base}/network/stations/")
    rows = page.locator("table.table tbody tr")
    assert rows.count() == 5
    _shot(page, "station-list")
    _fits_the_screen(page)
    for index in range(rows.count()):
        box = rows.nth(index).bounding_box()
        assert box["height"] <= MAX_STATION_CARD_PX, f"station card {index}: {box['height']} px"
        assert box["x"] + box["width"] <= PHONE["width"]
    status = page.locator("table.table tbody tr").first.locator(".fc-status")
    status_box = status.bounding_box()
    assert status.is_visible() and status_box["x"] + status_box["width"] <= PHONE["width"]
    assert page.js_errors == []


def test_the_station_map_fits_a_phone(phone):
    page, base = phone
    page.goto(f"{base}/network/map/?as_of=2023-09-03")
    page.wait_for_selector("#station-map[data-ready=true]", timeout=20_000)
    _fits_the_screen(page)
    _shot(page, "station-map")
    assert page.js_errors == []


def test_the_cockpit_fits_a_phone_and_its_legends_sit_apart_from_the_map(phone):
    page, base = phone
    page.goto(f"{base}/sales/?as_of=2023-09-03")
    _wait_for_charts(page)
    _shot(page, "cockpit", ".fc-page-head", ".fc-sales-cards", "#sales-map", "#ranking", "#games")
    sizes = _fits_the_screen(page)
    assert sizes["height"] < 6_000
    ranking = page.locator("#ranking-table tbody tr").first.bounding_box()
    assert ranking["x"] + ranking["width"] <= PHONE["width"]
    # the YoY legend is drawn under the map's regions, not over them
    legend_top, map_bottom = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById("sales-map"));
            const model = chart.getModel();
            const geo = model.getComponent("geo").coordinateSystem.getViewRect();
            const legend = chart.getViewOfComponentModel(model.getComponent("visualMap")).group;
            return [legend.getBoundingRect().y + legend.y, geo.y + geo.height];
        }"""
    )
    assert map_bottom <= legend_top
    _shows_whole(page, "#id_compare")
    # the menu scrolls sideways in its bar, the current page's entry in view
    entry = page.locator(".fc-nav a[aria-current=page]").bounding_box()
    assert entry["x"] >= 0 and entry["x"] + entry["width"] <= PHONE["width"]
    page.goto(f"{base}/sales/?as_of=2023-09-03&city=360700")
    _wait_for_charts(page)
    _shot(page, "cockpit-ganzhou")
    _fits_the_screen(page)
    assert page.locator("#cockpit-breadcrumb li").count() == 2
    assert page.js_errors == []


def _shows_whole(page, selector: str) -> None:
    """A select shows its chosen option's whole label (not "Same dates last")."""
    needed, has = page.evaluate(
        """(selector) => {
            const select = document.querySelector(selector);
            const probe = document.createElement("span");
            probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap;font:"
                + getComputedStyle(select).font;
            probe.textContent = select.options[select.selectedIndex].text;
            document.body.appendChild(probe);
            const width = probe.getBoundingClientRect().width;
            probe.remove();
            const style = getComputedStyle(select);
            return [width, select.clientWidth - parseFloat(style.paddingLeft)
                           - parseFloat(style.paddingRight)];
        }""",
        selector,
    )
    assert needed <= has, f"{selector}'s label needs {needed:.0f} px, has {has:.0f} px"


def _fits_its_panel(page, selector: str) -> None:
    widths = page.evaluate(
        """(selector) => { const box = document.querySelector(selector).parentElement;
                           return [box.scrollWidth, box.clientWidth]; }""",
        selector,
    )
    assert widths[0] <= widths[1], f"{selector} is {widths[0]} px in a {widths[1]} px panel"


def test_the_ranking_and_the_overview_show_their_last_column_on_a_desktop_too(phone):
    page, base = phone
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{base}/sales/?as_of=2023-09-03")
    _wait_for_charts(page)
    _fits_its_panel(page, "#ranking-table")
    _fits_its_panel(page, "#games-table")
    for selector, name in (("#ranking", "ranking"), ("#games", "games"), ("#sales-map", "map")):
        path = ARTIFACTS / f"desktop-{page.language}-{name}.png"
        page.locator(selector).screenshot(path=str(path))
    page.goto(f"{base}/network/?as_of=2023-09-03")
    page.wait_for_selector("#overview-chart canvas")
    _fits_its_panel(page, "#overview-table")
