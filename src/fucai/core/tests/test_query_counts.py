"""Pages and exports do a bounded number of queries: the same with 5 stations (users, change
records) as with 50 — no query per row (issue 8, point 11; the times are in bench/pages.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fucai.accounts.choices import Role
from fucai.conftest import make_station, make_user

pytestmark = pytest.mark.django_db

GROWN = 50  # the network fixture has 5 stations; a page shows up to 50 rows


def more_stations(count: int) -> None:
    """`count` more 赣州 stations in 兴国县, each with its own owner and status history."""
    from fucai.geo.models import Division
    from fucai.network.models import StationOwner

    ganzhou = Division.objects.get(code="360700")
    for n in range(count):
        phone, id_number = f"1390000{n:04d}", f"36073219900101{n:04d}"
        owner = StationOwner.objects.create(
            name=f"业主{n}", phone=phone, id_number=id_number, city=ganzhou
        )
        make_station(f"3611{5000 + n}", "360732", owner=owner, opened=dt.date(2023, 1, 2 + n % 20))


def queries(client, user, url: str) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def counts_before_and_after(client, user, urls: list[str], grow) -> tuple[list[int], list[int]]:
    queries(client, user, urls[0])  # the session and the user's grant are loaded once
    before = _fresh_counts(client, user, urls)
    grow()
    return before, _fresh_counts(client, user, urls)


def _fresh_counts(client, user, urls: list[str]) -> list[int]:
    """Each page's queries when the process has just found the network as it is: the analytics
    context (the overview's sales alerts) is made anew in both measurements, from a dimension
    snapshot just confirmed, however long the measurement took (FUCAI_ANALYTICS_RECHECK_SECONDS)."""
    from fucai.analytics.backends import forget_contexts, result_cache
    from fucai.sales.dimensions import current_dimensions

    counts = []
    for url in urls:
        forget_contexts()
        result_cache().clear()
        current_dimensions(full=True)
        counts.append(queries(client, user, url))
    return counts


NETWORK_PAGES = [
    reverse("network:overview"),
    reverse("network:overview") + "?by=county",
    reverse("network:station_list"),
    reverse("network:station_list") + "?format=xlsx",
]


def test_the_network_pages_and_the_export_query_the_same_for_5_and_50_stations(
    client, network, province_admin
):
    before, after = counts_before_and_after(
        client, province_admin, NETWORK_PAGES, lambda: more_stations(GROWN - 5)
    )
    assert after == before
    assert max(after) <= 30  # the overview making its analytics context anew included


def test_a_city_users_pages_query_the_same_for_3_and_48_stations(client, network, ganzhou_user):
    before, after = counts_before_and_after(
        client, ganzhou_user, NETWORK_PAGES, lambda: more_stations(GROWN - 5)
    )
    assert after == before


def test_the_audit_list_does_not_query_per_record(client, network, province_admin):
    """50 records on the page, before and after: the page holds other records after the
    stations are added (other models mentioned), so the count may differ, but never grows."""
    before, after = counts_before_and_after(
        client, province_admin, [reverse("core:audit")], lambda: more_stations(GROWN)
    )
    assert after <= before <= [15]


def test_the_user_list_queries_the_same_for_5_and_50_users(client, network, ganzhou_admin):
    from fucai.geo.models import Division

    ganzhou = Division.objects.get(code="360700")

    def grow() -> None:
        for n in range(GROWN - 5):
            make_user(f"user{n}", Role.CITY, city=ganzhou)

    for n in range(4):
        make_user(f"first{n}", Role.CITY, city=ganzhou)
    urls = [reverse("accounts:user_list"), reverse("accounts:user_list") + "?format=xlsx"]
    before, after = counts_before_and_after(client, ganzhou_admin, urls, grow)
    assert after == before
    assert max(after) <= 30  # the overview making its analytics context anew included
