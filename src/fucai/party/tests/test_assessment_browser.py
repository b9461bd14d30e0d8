"""The 四强 assessment and member pages in real Chromium on a phone (as the compliance page's
test, whose viewport and demo context it shares): the provincial branch's 2023 assessment
(93 / 100, items 2 and 8 missing), its form and the member pages fit the screen; screenshots
test-artifacts/party-assessment-*.png and party-member-form-phone.png."""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.party.assessment_demo import AssessmentDemoBuilder
from fucai.party.demo import PROVINCE_CODE, PartyDemoBuilder
from fucai.party.tests.test_compliance_browser import PHONE, _Ctx

pytestmark = BROWSER_MARKS


@pytest.fixture
def demo(db):
    PartyDemoBuilder().build(_Ctx())
    AssessmentDemoBuilder().build(_Ctx())


def _fits(page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    assert page.js_errors == []


def test_the_provincial_branch_s_assessment_and_its_form_fit_a_phone(
    live_server, party_user, demo, browser_page
):
    page, base = browser_page, live_server.url
    log_in(page, base, "party_user")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/party/assessments/{PROVINCE_CODE}/2023/")
    assert "93" in page.inner_text("#score") and "/ 100" in page.inner_text("#score")
    missing = page.inner_text("#missing")
    assert "2. 主题党日每月开展" in missing and "8. 支部按期换届" in missing
    _fits(page)
    shot(page, "party-assessment-phone")
    page.goto(f"{base}/party/assessments/{PROVINCE_CODE}/2023/edit/")
    _fits(page)
    shot(page, "party-assessment-form-phone")
    page.goto(f"{base}/party/members/?branch={PROVINCE_CODE}")
    _fits(page)
    page.goto(f"{base}/party/members/new/")
    _fits(page)
    shot(page, "party-member-form-phone")
