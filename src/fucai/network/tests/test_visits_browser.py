"""The field-visit phone page in real Chromium at 390 × 844 (issue 9, "How it is checked"): a visit
saved with the network off is kept on the phone (IndexedDB), the page still opens offline (its
service worker), and once the network is back the visit reaches the server exactly once.

Screenshots: test-artifacts/visit-phone-*.png. Skipped without Chromium, unless
FUCAI_REQUIRE_BROWSER=1 (fucai.core.testing.browser)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from fucai.accounts.models import User
from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.network.models import FieldVisit
from fucai.network.visits import record_visit

PHONE = {"width": 390, "height": 844}
QUEUED = "已保存在手机上，联网后自动上传"

pytestmark = BROWSER_MARKS


@pytest.fixture
def phone(live_server, market_manager_user, network, browser_page):
    """The market manager's phone, standing 0.01° north of their station (≈1.1 km: far)."""
    from coordTransform import gcj02_to_wgs84

    page, base = browser_page, live_server.url
    station = network["stations"]["xingguo"]
    lon, lat = gcj02_to_wgs84(float(station.lon), float(station.lat))
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"longitude": lon, "latitude": lat + 0.01, "accuracy": 15})
    log_in(page, base, "manager_user")
    page.set_viewport_size(PHONE)
    return page, base


def _fits(page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_visit_saved_offline_is_kept_on_the_phone_and_reaches_the_server_once(phone):
    page, base = phone
    page.goto(f"{base}/network/visits/new/")
    # the service worker takes the page (its shell and assets are kept for a poor connection)
    # (functions, not expressions: Playwright eval()s expressions, which the CSP forbids)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        "() => document.getElementById('visit-distance').textContent.includes('米')"
    )
    assert "36110214" in page.inner_text("#visit-station-chosen")  # their one station
    # shown live by the page (a sphere's haversine: 1112 m; the server's ellipsoid says 1108)
    distance = page.inner_text("#visit-distance")
    assert distance.startswith("距站点 1112 米"), distance
    assert "500" in distance  # far: more than FUCAI_VISIT_FAR_METRES
    assert page.get_attribute("#id_photos", "capture") == "environment"
    _fits(page)
    shot(page, "visit-phone-new")

    page.context.set_offline(True)
    page.fill("#id_findings", "离线记录：即开票陈列不足")
    page.fill("#id_advice", "增加即开票展示")
    page.click("#visit-save")
    page.wait_for_selector("#visit-queue:not([hidden])")
    assert QUEUED in page.inner_text("#visit-queue")
    assert "1" in page.inner_text("#visit-queue-count")
    assert FieldVisit.objects.count() == 0
    shot(page, "visit-phone-queued")

    # offline, the page opens again from the service worker, the visit still waiting on the phone
    page.reload()
    page.wait_for_selector("#visit-queue:not([hidden])")
    assert QUEUED in page.inner_text("#visit-queue")
    assert FieldVisit.objects.count() == 0

    page.context.set_offline(False)  # `online`: the queue is sent
    page.wait_for_selector("#visit-queue", state="hidden", timeout=30_000)
    page.wait_for_selector("#visit-result.alert-warning")  # saved, and flagged far
    assert FieldVisit.objects.count() == 1
    visit = FieldVisit.objects.get()
    assert visit.findings == "离线记录：即开票陈列不足" and visit.is_far
    assert 1100 <= visit.distance_m <= 1115 and visit.accuracy_m == 15
    shot(page, "visit-phone-sent")

    # loading the page again (and its queue) sends nothing more
    page.goto(f"{base}/network/visits/new/")
    page.wait_for_timeout(1500)
    assert page.locator("#visit-queue").is_hidden()
    assert FieldVisit.objects.count() == 1
    assert page.js_errors == []


def test_the_visit_list_is_cards_on_a_phone(phone, network):
    page, base = phone
    user = User.objects.get(username="manager_user")
    for day in (1, 8, 15):
        data = {"visited_on": dt.date(2023, 8, day), "findings": f"第{day}日走访", "lon": None}
        record_visit(user, network["stations"]["xingguo"], data, uuid.uuid4())
    page.goto(f"{base}/network/visits/")
    assert "3" in page.inner_text("#visit-count")
    _fits(page)
    shot(page, "visit-phone-list")
    page.goto(f"{base}/network/visits/indicators/?as_of=2023-08-31")
    assert "测试管理员乙" in page.inner_text("#indicators")
    _fits(page)
    shot(page, "visit-phone-indicators")
