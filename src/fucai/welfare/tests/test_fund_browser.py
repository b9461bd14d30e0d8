"""The fund raised's page in real Chromium at 390 × 844 (a phone), for 九江's city agency: its
total, its one city bar, the table by game, and nothing wider than the screen.

Screenshot: test-artifacts/welfare-fund-phone.png. Skipped without Chromium, unless
FUCAI_REQUIRE_BROWSER=1 (fucai.core.testing.browser)."""

from __future__ import annotations

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.welfare.tests.test_fund import context, rates  # noqa: F401

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_MARKS


def test_the_fund_raised_fits_a_phone_with_its_chart_and_games(
    live_server,
    jiujiang_user,
    context,  # noqa: F811
    rates,  # noqa: F811
    settings,
    browser_page,
):
    settings.ANALYTICS_RECHECK_SECONDS = 0
    page, base = browser_page, live_server.url
    log_in(page, base, "jiujiang_user")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/welfare/raised/?as_of=2023-09-03")
    page.wait_for_selector("#fund-chart[data-ready=true]")
    # 九江: instant 50005 fen × 0.20 = 10001, ssq 7 × 0.36 = 2.52 → 3 (tests in test_fund)
    assert page.inner_text("#fund-total").strip() == "0.01"  # 100.04 yuan in 万元
    games = page.locator("#fund-games tbody tr").all_inner_texts()
    assert len(games) == 3 and "100.01" in " ".join(games) and "0.03" in " ".join(games)
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    assert page.js_errors == []
    shot(page, "welfare-fund-phone")
