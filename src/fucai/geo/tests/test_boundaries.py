"""The maps' boundaries, cut to the caller's scope: the GeoJSON page (geo/urls.py) and the geo API
(geo/api), which must agree for every role."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from fucai.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def _page(user, level: str, **params) -> dict:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("geo:boundaries", args=[level]), params)
    assert response.status_code == 200, response.content
    return response.json()


def _api(user, path: str, **params):
    _token, key = ApiToken.issue(user, f"geo-tests-{next(_serial)}")
    return Client().get(f"/api/geo/{path}", params, headers={"Authorization": f"Bearer {key}"})


def _adcodes(collection: dict) -> set[str]:
    return {str(f["properties"]["adcode"]) for f in collection["features"]}


def _parents(collection: dict) -> set[str]:
    return {str(f["properties"]["parent"]["adcode"]) for f in collection["features"]}


def test_a_jiujiang_user_sees_jiujiang_and_its_13_counties_only(network, jiujiang_user):
    assert _adcodes(_page(jiujiang_user, "city")) == {"360400"}
    counties = _page(jiujiang_user, "county")
    assert len(counties["features"]) == 13 and _parents(counties) == {"360400"}
    assert "360483" in _adcodes(counties)  # 庐山市
    assert _page(jiujiang_user, "county", city="360700")["features"] == []


def test_a_province_user_drills_down_to_ganzhous_18_counties(network, province_admin):
    drill = _page(province_admin, "county", city="360700")
    assert len(drill["features"]) == 18 and _parents(drill) == {"360700"}
    assert "360732" in _adcodes(drill)  # 兴国县
    assert len(_page(province_admin, "county")["features"]) == 100


def test_the_boundaries_page_keeps_the_attribution_and_is_cached_privately(network, ganzhou_user):
    client = Client()
    client.force_login(ganzhou_user)
    response = client.get(reverse("geo:boundaries", args=["city"]))
    assert response.json()["attribution"] == "DataV.GeoAtlas (via zhChuXiao/ChinaGeoJson)"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert client.post(reverse("geo:boundaries", args=["city"])).status_code == 405


def test_an_anonymous_visitor_gets_no_boundaries(db):
    response = Client().get(reverse("geo:boundaries", args=["city"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


JIANGXI_CITIES = {f"36{n:02}00" for n in range(1, 12)}  # 南昌市 360100 … 上饶市 361100


@pytest.mark.parametrize(
    ("user_fixture", "cities"),
    [
        ("province_admin", JIANGXI_CITIES),
        ("party_user", JIANGXI_CITIES),  # a Party user without a city: the province
        ("ganzhou_user", {"360700"}),
        ("jiujiang_user", {"360400"}),
        ("market_manager_user", {"360700"}),
        ("owner_user", {"360700"}),
    ],
)
def test_the_map_api_and_the_boundaries_page_show_the_same_cities_for_every_role(
    request, network, user_fixture, cities
):
    user = request.getfixturevalue(user_fixture)
    assert _adcodes(_page(user, "city")) == cities
    for level in ("city", "county"):
        api = _api(user, f"boundaries/{level}")
        assert api.status_code == 200
        assert _adcodes(api.json()) == _adcodes(_page(user, level))


def test_the_divisions_api_gives_xingguos_census_figures_to_a_station_owner(network, owner_user):
    response = _api(owner_user, "divisions", level="county")
    xingguo = next(d for d in response.json() if d["code"] == "360732")
    assert xingguo == {
        "code": "360732",
        "name": "兴国县",
        "level": "county",
        "parent": "360700",
        "lon": 115.439495,
        "lat": 26.419303,
        "population": 715149,
        "lottery_code": "",
    }
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "兴国县".encode() in response.content  # Chinese as is, not \\u escapes
