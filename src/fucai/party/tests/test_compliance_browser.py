"""The compliance page in real Chromium at 390 × 844 (a phone) and 1440 × 900: the province's
Party affairs see the provincial branch's 2023 to 2023-09-03 — held 6 / 20 / 15 / 5, May's theme
Party day missing — and nothing is wider than the screen.

Screenshots: test-artifacts/party-compliance-*.png. Skipped without Chromium, unless
FUCAI_REQUIRE_BROWSER=1 (fucai.core.testing.browser)."""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.party.demo import PROVINCE_CODE, PartyDemoBuilder

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_MARKS


class _Ctx:
    seed = 1

    def progress(self, label, count) -> None:
        pass


@pytest.fixture
def demo_branches(db):
    PartyDemoBuilder().build(_Ctx())


def test_the_provincial_branch_s_compliance_fits_a_phone_and_flags_may(
    live_server, party_user, demo_branches, browser_page
):
    page, base = browser_page, live_server.url
    log_in(page, base, "party_user")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/party/compliance/?branch={PROVINCE_CODE}&year=2023&as_of=2023-09-03")
    cells = page.locator("#compliance tbody tr td:nth-child(4)").all_inner_texts()
    assert [c.strip() for c in cells] == ["6", "20", "15", "5", "7"]
    assert "2023-05" in page.inner_text("#compliance")
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    assert page.js_errors == []
    shot(page, "party-compliance-phone")
    page.set_viewport_size({"width": 1440, "height": 900})
    shot(page, "party-compliance-desktop")
