"""The station page in real Chromium: the owner logs in and lands on their station, whose sales
cards and charts (drawn from the station's JSON) show, at desktop width and on a 390 px phone.

Screenshots: test-artifacts/station-page-desktop.png and station-page-390px.png. Skipped when
/usr/bin/chromium is missing, unless FUCAI_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fucai.conftest import make_station
from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.network.choices import StationStatus
from fucai.sales.ingest.importer import import_files
from fucai.sales.tests.test_station_page import FACTS, OWN

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_MARKS


@pytest.fixture
def facts(network, store, write_csv):
    make_station("36110215", "360732")
    make_station("36110216", "360732").transition(StationStatus.SUSPENDED, dt.date(2023, 8, 1))
    assert import_files(
        [write_csv("facts.csv", FACTS)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    return store


def _wait_for_charts(page) -> None:
    for chart in ("#monthly-chart", "#games-chart"):
        page.wait_for_selector(f"{chart}[data-ready=true]", timeout=30_000)
    page.wait_for_timeout(600)  # let ECharts finish its entry animation before a screenshot


def test_the_owner_lands_on_their_station_with_its_sales_on_desktop_and_phone(
    live_server, facts, owner_user, browser_page
):
    page, base = browser_page, live_server.url
    log_in(page, base, "owner_user")
    page.wait_for_url(f"{base}/network/stations/{OWN}/")
    assert page.input_value("#id_as_of") == "2023-09-03"  # the last day with sales
    _wait_for_charts(page)
    assert page.inner_text("[data-figure=total] .fc-amount") == "35.00"
    assert page.inner_text("[data-figure=rank-1] .fc-amount") == "2"
    assert page.inner_text("[data-figure=idle] .fc-amount") == "4"
    shot(page, "station-page-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    _wait_for_charts(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing sticks out sideways on a phone
    shot(page, "station-page-390px")
    assert page.js_errors == []
