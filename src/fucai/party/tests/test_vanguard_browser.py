"""The vanguard posts' page in real Chromium at 390 × 844 (a phone): the post of 36110214 with
its sales, its map drawn, and nothing wider than the screen.

Screenshot: test-artifacts/party-vanguard-phone.png. Skipped without Chromium, unless
FUCAI_REQUIRE_BROWSER=1 (fucai.core.testing.browser)."""

from __future__ import annotations

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.party.tests.test_vanguard import posts  # noqa: F401

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_MARKS


def test_the_vanguard_posts_fit_a_phone_with_their_map(
    live_server,
    party_user,
    posts,  # noqa: F811
    browser_page,
):
    page, base = browser_page, live_server.url
    log_in(page, base, "party_user")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/party/vanguard/?as_of=2023-09-03")
    page.wait_for_selector("#vanguard-map[data-ready=true]")
    rows = page.locator("#vanguard-posts tbody tr").all_inner_texts()
    assert len(rows) == 1 and "36110214" in rows[0] and "15.00" in rows[0]
    assert page.inner_text("#vanguard-map-status").strip().endswith("1")
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    assert page.js_errors == []
    shot(page, "party-vanguard-phone")
