"""The blank-area page in real Chromium at 390 × 844 (a phone) and 1440 × 900, in Chinese and
English: 赣州's user sees 赣州's counties by uncovered population over the census demand, the map
draws, nothing is wider than the screen, no script fails.

Screenshots: test-artifacts/blank-areas-*.png. Skipped without Chromium, unless
FUCAI_REQUIRE_BROWSER=1 (fucai.core.testing.browser)."""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.planning.demand import build_census_layer

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_MARKS


@pytest.fixture
def ganzhou_demand(network):
    return build_census_layer(cities=["360700"])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_ganzhous_blank_areas_fit_a_phone_with_the_map_drawn(
    live_server, ganzhou_user, ganzhou_demand, browser_page, language
):
    page, base = browser_page, live_server.url
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    log_in(page, base, "ganzhou_user")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/planning/blank-areas/?as_of=2023-09-03")
    page.wait_for_selector("#blank-map[data-ready=true]", timeout=30_000)
    rows = page.locator("#county-table tbody tr")
    assert rows.count() == 18  # 赣州's 18 counties, largest uncovered population first
    assert (
        page.locator("#county-table tbody tr").first.get_attribute("data-code") == "360702"
    )  # 章贡区
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    body = page.inner_text("body")
    assert "九江" not in body
    assert ("未覆盖人口" if language == "zh-hans" else "Uncovered population") in body
    assert page.js_errors == []
    shot(page, f"blank-areas-phone-{language}")
    page.set_viewport_size({"width": 1440, "height": 900})
    shot(page, f"blank-areas-desktop-{language}")
