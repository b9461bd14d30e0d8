"""Pairing and effect pages in real Chromium at 390 × 844 (a phone): 赣州's Party affairs see
their city's coverage and pairings, a finished effect study draws its event-study chart, and
nothing is wider than the screen.

Screenshots: test-artifacts/party-pairing-*.png, party-effect-*.png. Skipped without Chromium,
unless FUCAI_REQUIRE_BROWSER=1 (fucai.core.testing.browser)."""

from __future__ import annotations

import datetime as dt

import pytest

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.party.models import EffectStudy
from fucai.party.tests.test_pairing import visit

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_MARKS


@pytest.fixture
def gz_party(ganzhou):
    return make_user("gz_party", Role.PARTY, city=ganzhou)


def _fits(page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    assert page.js_errors == []


def test_a_city_s_pairing_coverage_fits_a_phone(
    live_server, paired, network, gz_party, browser_page
):
    visit(network["stations"]["xingguo"], dt.date(2023, 8, 20))
    page, base = browser_page, live_server.url
    log_in(page, base, "gz_party")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/party/pairings/?as_of=2023-09-03")
    assert "赣州市" in page.inner_text("#pairing-cities")
    rows = page.locator("#pairings tbody tr").all_inner_texts()
    assert len(rows) == 2 and "36110214" in rows[1] and "结对干部甲" in rows[1]
    _fits(page)
    shot(page, "party-pairing-phone")


def test_an_effect_study_draws_its_event_study_on_a_phone(
    live_server, paired, gz_party, browser_page
):
    rows = [
        {"k": k, "coef_pct": 0.1 if k < 0 else 8.0, "ci_low_pct": -1.0, "ci_high_pct": 9.5}
        for k in (-3, -2, 0, 1, 2)
    ]
    study = EffectStudy.objects.create(
        branch=paired["gz"],
        city=paired["gz"].city,
        treatment="pairing",
        first=dt.date(2021, 1, 1),
        last=dt.date(2023, 9, 3),
        control_group="matched_never_treated",
        status="done",
        result={
            "estimate_pct": 8.1,
            "ci_low_pct": 6.9,
            "ci_high_pct": 9.3,
            "placebo_estimate_pct": 0.2,
            "placebo_ci_low_pct": -1.4,
            "placebo_ci_high_pct": 1.8,
            "n_treated": 40,
            "n_control": 12,
            "twfe_pct": 7.9,
            "twfe_ci_low_pct": 6.8,
            "twfe_ci_high_pct": 9.0,
            "estimator": "did2s",
            "verdict": "有可测量的效果：销量约提高 8.1%（95% 区间 6.9% 至 9.3%）",
            "event_study": rows,
            "warnings": [],
            "settings": {"base_period": -1},
        },
    )
    page, base = browser_page, live_server.url
    log_in(page, base, "gz_party")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/party/effect/{study.pk}/")
    assert "8.1%" in page.inner_text("#verdict")
    page.wait_for_selector("#event-study-chart canvas")
    _fits(page)
    shot(page, "party-effect-phone")
