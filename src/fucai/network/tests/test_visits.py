"""Field visits (issue 9, point 4): recorded once per idempotency key, the distance computed on the
server from GCJ-02 station coordinates, far visits flagged, seen only in scope, and the
indicators per person and month."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fucai.network.models import FieldVisit

NEW = reverse("network:visit_new")
JSON = {"HTTP_ACCEPT": "application/json"}


def _wgs(station) -> tuple[float, float]:
    from coordTransform import gcj02_to_wgs84

    return tuple(gcj02_to_wgs84(float(station.lon), float(station.lat)))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, station, key=None, **extra):
    data = {
        "idempotency_key": str(key or uuid.uuid4()),
        "station": station.code,
        "visited_on": "2023-08-05",
        "purpose": "sales_advice",
        "findings": "门店整洁，即开票陈列不足",
        "advice": "增加即开票展示",
        "next_step": "两周后复访",
        **extra,
    }
    return client.post(NEW, data, **JSON)


@pytest.mark.django_db
def test_a_visit_posted_twice_with_the_same_key_is_stored_once(network, market_manager_user):
    station = network["stations"]["xingguo"]
    client = _client(market_manager_user)
    key = uuid.uuid4()
    first = _post(client, station, key)
    again = _post(client, station, key)
    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["id"] == first.json()["id"]
    visits = FieldVisit.objects.filter(idempotency_key=key)
    assert visits.count() == 1 == FieldVisit.objects.count()
    visit = visits.get()
    assert visit.manager == network["manager"] and visit.visitor == market_manager_user
    assert visit.visitor_name == "manager_user" and visit.purpose == "sales_advice"


@pytest.mark.django_db
def test_the_api_records_a_visit_once_per_key(network, market_manager_user):
    station = network["stations"]["xingguo"]
    client = _client(market_manager_user)
    body = {
        "idempotency_key": str(uuid.uuid4()),
        "station": station.code,
        "visited_on": "2023-08-05",
        "findings": "API",
    }
    url = "/api/network/visits"
    first = client.post(url, json.dumps(body), content_type="application/json")
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert FieldVisit.objects.count() == 1
    listed = client.get(url, {"station": station.code}).json()
    assert [v["id"] for v in listed["items"]] == [first.json()["id"]]


@pytest.mark.django_db
def test_the_distance_is_taken_from_the_stations_gcj02_position_and_a_far_visit_is_flagged(
    network, market_manager_user
):
    station = network["stations"]["xingguo"]
    lon, lat = _wgs(station)
    client = _client(market_manager_user)
    at_the_door = _post(client, station, lon=f"{lon:.6f}", lat=f"{lat:.6f}", accuracy_m="12")
    assert at_the_door.status_code == 201
    assert at_the_door.json()["distance_m"] == 0 and at_the_door.json()["is_far"] is False
    # 0.01° of latitude north: 1,108 m at 26° N on the WGS-84 ellipsoid
    far = _post(client, station, lon=f"{lon:.6f}", lat=f"{lat + 0.01:.6f}")
    assert far.status_code == 201, far.content
    assert far.json()["distance_m"] == 1108 and far.json()["is_far"] is True
    # the phone reading the GCJ-02 numbers as WGS-84 would be this far off: several hundred m
    raw = _post(client, station, lon=str(station.lon), lat=str(station.lat))
    assert 300 < raw.json()["distance_m"] < 800
    visit = FieldVisit.objects.get(pk=far.json()["id"])
    assert visit.is_far and visit.distance_m == 1108
    page = client.get(reverse("network:visit_detail", args=[visit.pk]))
    assert "1108 m" in page.content.decode() and "500" in page.content.decode()


@pytest.mark.django_db
def test_the_far_distance_is_a_setting(network, market_manager_user, settings):
    settings.VISIT_FAR_METRES = 2000
    station = network["stations"]["xingguo"]
    lon, lat = _wgs(station)
    response = _post(_client(market_manager_user), station, lon=lon, lat=lat + 0.01)
    assert response.json()["distance_m"] == 1108 and response.json()["is_far"] is False


@pytest.mark.django_db
def test_roles_without_record_visits_cannot_record_and_a_manager_only_at_their_stations(
    network, market_manager_user, owner_user
):
    from fucai.conftest import named_user

    admin = named_user("ganzhou_admin")
    assert _client(owner_user).get(NEW).status_code == 403
    assert _client(admin).get(NEW).status_code == 403
    manager = _client(market_manager_user)
    assert _post(manager, network["stations"]["zhanggong"]).status_code == 404  # not theirs
    assert _post(manager, network["stations"]["xunyang"]).status_code == 404  # 九江
    page = manager.get(NEW)
    config = page.context["visit_config"]
    assert [row[0] for row in config["stations"]] == ["36110214"]
    assert 'capture="environment"' in page.content.decode()
    assert FieldVisit.objects.count() == 0


@pytest.mark.django_db
def test_a_jiujiang_user_cannot_see_a_ganzhou_visit_by_any_path(
    network, ganzhou_user, jiujiang_user
):
    station = network["stations"]["xingguo"]
    created = _post(_client(ganzhou_user), station, findings="赣州的走访记录")
    assert created.status_code == 201
    pk = created.json()["id"]
    jj = _client(jiujiang_user)
    assert jj.get(reverse("network:visit_detail", args=[pk])).status_code == 404
    listing = jj.get(reverse("network:visit_list"))
    assert listing.status_code == 200 and "赣州的走访记录" not in listing.content.decode()
    assert listing.context["page"].paginator.count == 0
    by_station = jj.get(reverse("network:visit_list"), {"station": station.code})
    assert by_station.context["page"].paginator.count == 0
    export = jj.get(reverse("network:visit_list"), {"format": "xlsx"})
    from fucai.core.testing.matrix import workbook_text

    assert "赣州的走访记录" not in workbook_text(export.content)
    api = jj.get("/api/network/visits").json()
    assert api["count"] == 0
    assert _post(jj, station).status_code == 404
    assert jj.get(reverse("network:station_detail", args=[station.code])).status_code == 404
    # and 赣州 itself sees it, on the station page too
    gz = _client(ganzhou_user)
    assert gz.get(reverse("network:visit_detail", args=[pk])).status_code == 200
    page = gz.get(reverse("network:station_detail", args=[station.code]))
    assert page.context["visits"]["count"] == 1 and "station-visits" in page.content.decode()


def _visit(station, day, *, manager=None, user=None, name="", far=False):
    return FieldVisit.objects.create(
        station=station,
        manager=manager,
        visitor=user,
        visitor_name=name,
        visited_on=day,
        is_far=far,
        distance_m=900 if far else 20,
    )


@pytest.mark.django_db
def test_the_indicators_count_visits_stations_and_stations_not_visited_in_n_days(
    network, ganzhou_user
):
    from fucai.network.models import StationAssignment
    from fucai.network.visits import visit_indicators

    s = network["stations"]
    manager, territory = network["manager"], network["territory"]
    # the manager looks after 兴国 (since 2021) and 章贡 (from 2023-08-01)
    StationAssignment.objects.create(
        station=s["zhanggong"], territory=territory, manager=manager, valid_from=dt.date(2023, 8, 1)
    )
    _visit(s["xingguo"], dt.date(2023, 7, 30), manager=manager, name="乙")
    _visit(s["xingguo"], dt.date(2023, 8, 5), manager=manager, name="乙")
    _visit(s["xingguo"], dt.date(2023, 8, 20), manager=manager, name="乙", far=True)
    _visit(s["ruijin"], dt.date(2023, 8, 21), manager=manager, name="乙")  # not in their care
    _visit(s["zhanggong"], dt.date(2023, 8, 9), user=ganzhou_user, name="党建干部丁")
    _visit(s["xunyang"], dt.date(2023, 8, 9), name="九江的人")  # 九江: outside 赣州's scope

    august = visit_indicators(ganzhou_user, dt.date(2023, 8, 31), n_days=30)
    rows = {r.person: r for r in august.rows}
    assert set(rows) == {"测试管理员乙", "党建干部丁"}
    m = rows["测试管理员乙"]
    assert (m.month, m.visits, m.stations_visited, m.far_visits) == ("2023-08", 3, 2, 1)
    # in care: 兴国 and 章贡; 章贡 not visited by them since 2023-08-02
    assert (m.stations_in_care, m.not_visited, m.not_visited_codes) == (2, 1, ["36110001"])
    cadre = rows["党建干部丁"]
    assert (cadre.visits, cadre.stations_visited, cadre.stations_in_care) == (1, 1, None)

    september = visit_indicators(ganzhou_user, dt.date(2023, 9, 15), n_days=30)
    m = next(r for r in september.rows if r.person == "测试管理员乙")
    assert (m.visits, m.stations_visited, m.not_visited) == (0, 0, 1)  # 兴国 on 08-20 counts
    m = next(r for r in visit_indicators(ganzhou_user, dt.date(2023, 9, 25), 30).rows)
    assert m.not_visited == 2  # 08-20 is 36 days before 09-25
    assert [r.person for r in september.rows] == ["测试管理员乙"]  # the cadre: nothing in Sept

    everything = visit_indicators(None, dt.date(2023, 8, 31), 30)
    assert {r.person for r in everything.rows} == {"测试管理员乙", "党建干部丁", "九江的人"}


@pytest.mark.django_db
def test_the_command_and_the_api_give_the_same_indicators(network, province_admin, tmp_path):
    manager = network["manager"]
    _visit(network["stations"]["xingguo"], dt.date(2023, 8, 5), manager=manager, name="乙")
    out = io.StringIO()
    call_command(
        "network",
        "visits",
        "--as-of",
        "2023-08-31",
        "--by",
        "person",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["month"] == "2023-08" and data["n_days"] == 30
    row = data["people"][0]
    assert (row["employee_code"], row["visits"], row["stations_visited"]) == ("GZ001", 1, 1)
    assert (row["stations_in_care"], row["not_visited"]) == (1, 0)
    api = _client(province_admin).get("/api/network/visits/indicators", {"as_of": "2023-08-31"})
    assert api.json()["people"] == data["people"]
    path = tmp_path / "v.xlsx"
    call_command(
        "network",
        "visits",
        "--as-of",
        "2023-08-31",
        "--format",
        "xlsx",
        "--out",
        str(path),
        stdout=io.StringIO(),
    )
    from openpyxl import load_workbook

    sheet = load_workbook(path).worksheets[0]
    values = [c.value for c in sheet[2]]
    assert values[:2] == ["测试管理员乙", "GZ001"] and values[4:9] == [1, 1, 0, 1, 0]


@pytest.mark.django_db
def test_the_visit_lists_filter_by_station_person_and_territory_and_export(network, province_admin):
    s, manager = network["stations"], network["manager"]
    _visit(s["xingguo"], dt.date(2023, 8, 5), manager=manager, name="乙")
    _visit(s["ruijin"], dt.date(2023, 8, 6), manager=manager, name="乙")
    _visit(s["xunyang"], dt.date(2023, 8, 7), name="九江的人")
    client = _client(province_admin)
    url = reverse("network:visit_list")

    def count(**query):
        return client.get(url, query).context["page"].paginator.count

    assert count() == 3
    assert count(station="36110214") == 1
    assert count(manager=str(manager.pk)) == 2
    assert count(territory=str(network["territory"].pk)) == 1  # 兴国 only is in the territory
    assert count(since="2023-08-06", until="2023-08-06") == 1
    export = client.get(url, {"format": "xlsx", "manager": str(manager.pk)})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "36110002",
        "36110214",
    ]
