"""The network pages through the Django test client: list, detail, edits, map, import; scoped."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fucai.core.models import ObjectChange
from fucai.network.exports import stations_workbook
from fucai.network.models import Station

pytestmark = pytest.mark.django_db

GANZHOU_CODES = ["36110001", "36110002", "36110214"]
ALL_CODES = ["36040001", "36040002", *GANZHOU_CODES]


def _client(client, user):
    client.force_login(user)
    return client


def _listed_codes(response) -> list[str]:
    return sorted(row.record.code for row in response.context["table"].paginated_rows)


def _xlsx_codes(response) -> list[str]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("站点编号")
    return sorted(row[column] for row in sheet.iter_rows(min_row=2, values_only=True))


# --- list ---------------------------------------------------------------------------------------


def test_the_province_lists_every_station(client, network, province_admin):
    response = _client(client, province_admin).get(reverse("network:station_list"))
    assert response.status_code == 200
    assert _listed_codes(response) == ALL_CODES
    assert "36110214" in response.content.decode()


def test_the_list_filters_by_city_scene_and_free_text(client, network, province_admin, jiujiang):
    c = _client(client, province_admin)
    url = reverse("network:station_list")
    assert _listed_codes(c.get(url, {"city": jiujiang.pk})) == ["36040001", "36040002"]
    assert _listed_codes(c.get(url, {"scene": "shopping_complex"})) == ["36110001"]
    assert _listed_codes(c.get(url, {"q": "兴国"})) == ["36110214"]
    assert _listed_codes(c.get(url, {"party_owner": "true"})) == ["36110214"]


def test_the_county_choices_follow_the_chosen_city(client, network, province_admin, ganzhou):
    response = _client(client, province_admin).get(
        reverse("network:station_list"), {"city": ganzhou.pk}
    )
    counties = response.context["filter"].form.fields["county"].queryset
    assert {c.parent_id for c in counties} == {ganzhou.pk}
    assert counties.count() == 18


def test_a_county_of_another_city_is_ignored(client, network, province_admin, ganzhou):
    from fucai.geo.models import Division

    lushan = Division.objects.get(code="360483")
    response = _client(client, province_admin).get(
        reverse("network:station_list"), {"city": ganzhou.pk, "county": lushan.pk}
    )
    assert _listed_codes(response) == GANZHOU_CODES


def test_a_ganzhou_user_lists_only_ganzhou_even_when_asking_for_jiujiang(
    client, network, ganzhou_user, jiujiang
):
    c = _client(client, ganzhou_user)
    assert _listed_codes(c.get(reverse("network:station_list"))) == GANZHOU_CODES
    assert (
        _listed_codes(c.get(reverse("network:station_list"), {"city": jiujiang.pk}))
        == GANZHOU_CODES
    )
    assert _listed_codes(c.get(reverse("network:station_list"), {"q": "3604"})) == []


def test_the_export_holds_the_filtered_stations_of_the_users_scope(client, network, ganzhou_user):
    c = _client(client, ganzhou_user)
    assert _xlsx_codes(c.get(reverse("network:station_list"), {"format": "xlsx"})) == GANZHOU_CODES
    response = c.get(reverse("network:station_list"), {"format": "xlsx", "q": "兴国"})
    assert _xlsx_codes(response) == ["36110214"]


def test_a_market_manager_sees_only_their_territory(client, network, market_manager_user):
    c = _client(client, market_manager_user)
    assert _listed_codes(c.get(reverse("network:station_list"))) == ["36110214"]
    assert c.get(reverse("network:station_detail", args=["36110001"])).status_code == 404
    assert _xlsx_codes(c.get(reverse("network:station_list"), {"format": "xlsx"})) == ["36110214"]


def test_an_owner_sees_only_their_station(client, network, owner_user):
    c = _client(client, owner_user)
    assert _listed_codes(c.get(reverse("network:station_list"))) == ["36110214"]
    assert c.get(reverse("network:station_detail", args=["36040001"])).status_code == 404


# --- detail -------------------------------------------------------------------------------------


def test_the_detail_shows_history_masked_owner_vanguard_badge_and_manager(
    client, network, province_admin
):
    response = _client(client, province_admin).get(
        reverse("network:station_detail", args=["36110214"])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "138****5678" in html and "13800005678" not in html
    assert "3607**********1234" in html and "360732199001011234" not in html
    assert 'id="vanguard-badge"' in html
    assert "2022-04-01" in html and "2022-05-01" in html  # planned, then opened
    assert "测试管理员乙" in html and "兴国片区" in html
    assert response.context["county_feature"]["properties"]["name"] == "兴国县"
    assert response.context["can_change"] is True


def test_no_vanguard_badge_without_consent(client, network, province_admin):
    owner = network["veteran"]
    owner.party_consent = False
    owner.save()
    response = _client(client, province_admin).get(
        reverse("network:station_detail", args=["36110214"])
    )
    assert 'id="vanguard-badge"' not in response.content.decode()


def test_the_detail_lists_the_stations_audit_records(client, network, province_admin):
    station = network["stations"]["xingguo"]
    response = _client(client, province_admin).get(
        reverse("network:station_detail", args=["36110214"])
    )
    records = list(response.context["changes"])
    assert records, "the station's creation and status changes are audited"
    assert all(r.station_id == station.pk or r.object_id == str(station.pk) for r in records)
    assert {r.object_type.model for r in records} >= {"station", "stationstatuschange"}


def test_a_ganzhou_user_gets_404_on_a_jiujiang_station(client, network, ganzhou_user):
    response = _client(client, ganzhou_user).get(
        reverse("network:station_detail", args=["36040001"])
    )
    assert response.status_code == 404


def test_a_ganzhou_user_cannot_post_edits_or_transitions_to_a_jiujiang_station(
    client, network, ganzhou_user
):
    c = _client(client, ganzhou_user)
    edit = c.post(reverse("network:station_edit", args=["36040001"]), {"name": "被改了"})
    move = c.post(
        reverse("network:station_transition", args=["36040001"]),
        {"status": "closed", "date": "2023-08-01"},
    )
    assert (edit.status_code, move.status_code) == (404, 404)
    station = Station.objects.get(code="36040001")
    assert station.name != "被改了" and station.status == "open"


def test_a_market_manager_may_look_but_not_edit(client, network, market_manager_user):
    c = _client(client, market_manager_user)
    response = c.get(reverse("network:station_detail", args=["36110214"]))
    assert response.status_code == 200
    assert response.context["can_change"] is False
    assert 'id="edit"' not in response.content.decode()
    post = c.post(reverse("network:station_edit", args=["36110214"]), {"name": "被改了"})
    assert post.status_code == 403


def _edit_data(station: Station, **changes) -> dict:
    data = {
        "name": station.name,
        "address": station.address,
        "lon": station.lon,
        "lat": station.lat,
        "scene": station.scene,
        "operation": station.operation,
        "brand": station.brand,
        "staff_count": station.staff_count,
        "terminal_count": station.terminal_count,
        "partner": "",
    }
    return {**data, **changes}


def test_an_editor_renames_a_station_and_the_change_is_audited(client, network, ganzhou_user):
    station = network["stations"]["xingguo"]
    response = _client(client, ganzhou_user).post(
        reverse("network:station_edit", args=["36110214"]),
        _edit_data(station, name="兴国县党员先锋投注站"),
    )
    assert response.status_code == 302
    assert Station.objects.get(code="36110214").name == "兴国县党员先锋投注站"
    record = ObjectChange.objects.filter(object_id=str(station.pk), action="update").latest("pk")
    assert record.user == ganzhou_user
    assert record.changes["name"] == [station.name, "兴国县党员先锋投注站"]


def test_an_edit_placing_the_station_outside_its_county_is_refused(client, network, ganzhou_user):
    station = network["stations"]["xingguo"]
    response = _client(client, ganzhou_user).post(
        reverse("network:station_edit", args=["36110214"]),
        _edit_data(station, lon="116.000000", lat="29.700000"),
    )
    assert response.status_code == 400
    assert "兴国县" in response.context["edit_form"].non_field_errors()[0]
    assert Station.objects.get(code="36110214").lon == station.lon


def test_an_editor_suspends_a_station_on_a_date(client, network, ganzhou_user):
    response = _client(client, ganzhou_user).post(
        reverse("network:station_transition", args=["36110214"]),
        {"status": "suspended", "date": "2023-08-01", "note": "装修"},
    )
    assert response.status_code == 302
    station = Station.objects.get(code="36110214")
    assert station.status == "suspended"
    last = station.status_changes.latest("date")
    assert (last.date, last.note, last.recorded_by) == (dt.date(2023, 8, 1), "装修", ganzhou_user)


def test_a_transition_dated_before_the_previous_one_is_refused_with_its_reason(
    client, network, ganzhou_user
):
    response = _client(client, ganzhou_user).post(
        reverse("network:station_transition", args=["36110214"]),
        {"status": "suspended", "date": "2020-01-01"},
    )
    assert response.status_code == 400
    assert "2022-05-01" in str(response.context["transition_form"].non_field_errors())
    assert Station.objects.get(code="36110214").status == "open"


def test_a_transition_not_allowed_from_the_current_status_is_refused(client, network, ganzhou_user):
    response = _client(client, ganzhou_user).post(
        reverse("network:station_transition", args=["36110214"]),
        {"status": "planned", "date": "2023-08-01"},
    )
    assert response.status_code == 400
    assert response.context["transition_form"].errors["status"]


# --- map ----------------------------------------------------------------------------------------


def test_the_map_page_renders_with_the_users_scope(client, network, province_admin, ganzhou_user):
    province = _client(client, province_admin).get(reverse("network:map"))
    assert province.status_code == 200
    assert province.context["map_config"]["level"] == "city"
    assert len(province.context["map_config"]["cities"]) == 11
    assert "DataV.GeoAtlas" in province.content.decode()
    city = _client(client, ganzhou_user).get(reverse("network:map"))
    assert city.context["map_config"]["level"] == "county"
    assert city.context["map_config"]["cities"] == [{"code": "360700", "name": "赣州市"}]


def test_the_map_stations_are_those_open_on_the_day_in_scope(
    client, network, province_admin, ganzhou_user
):
    url = reverse("network:map_stations")
    rows = _client(client, province_admin).get(url, {"as_of": "2023-02-01"}).json()["stations"]
    assert sorted(r[2] for r in rows) == ["36040001", "36110214"]
    rows = _client(client, ganzhou_user).get(url, {"as_of": "2023-09-03"}).json()["stations"]
    assert sorted(r[2] for r in rows) == GANZHOU_CODES
    assert {r[5] for r in rows} == {"360700"}


def test_the_boundaries_are_cut_to_the_users_scope(client, network, province_admin, ganzhou_user):
    c = _client(client, province_admin)
    assert len(c.get(reverse("geo:boundaries", args=["city"])).json()["features"]) == 11
    drill = c.get(reverse("geo:boundaries", args=["county"]), {"city": "360400"}).json()["features"]
    assert len(drill) == 13 and all(f["properties"]["parent"]["adcode"] == 360400 for f in drill)
    g = _client(client, ganzhou_user)
    cities = g.get(reverse("geo:boundaries", args=["city"])).json()["features"]
    assert [f["properties"]["name"] for f in cities] == ["赣州市"]
    counties = g.get(reverse("geo:boundaries", args=["county"])).json()["features"]
    assert len(counties) == 18 and {f["properties"]["parent"]["adcode"] for f in counties} == {
        360700
    }
    assert (
        g.get(reverse("geo:boundaries", args=["county"]), {"city": "360400"}).json()["features"]
        == []
    )
    assert g.get("/geo/boundaries/town.geojson").status_code == 404


# --- import -------------------------------------------------------------------------------------


def test_only_editors_open_the_import_page(client, network, market_manager_user, ganzhou_user):
    assert _client(client, market_manager_user).get(reverse("network:import")).status_code == 403
    assert _client(client, ganzhou_user).get(reverse("network:import")).status_code == 200


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_reimporting_an_export_as_a_dry_run_changes_nothing(client, network, ganzhou_user):
    buffer = io.BytesIO()
    stations_workbook(Station.objects.restrict(ganzhou_user)).save(buffer)
    response = _client(client, ganzhou_user).post(
        reverse("network:import"),
        {"file": _upload("赣州.xlsx", buffer.getvalue()), "dry_run": "on"},
    )
    result = response.context["result"]
    assert result.ok and result.dry_run
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert 'data-count="unchanged">3<' in response.content.decode()


def test_a_bad_file_shows_each_error_with_its_row_and_column(client, network, ganzhou_user):
    buffer = io.BytesIO()
    wb = stations_workbook(Station.objects.restrict(ganzhou_user))
    wb.worksheets[0]["A2"] = "3611021"  # 7 digits
    wb.save(buffer)
    before = Station.objects.count()
    response = _client(client, ganzhou_user).post(
        reverse("network:import"), {"file": _upload("bad.xlsx", buffer.getvalue())}
    )
    html = response.content.decode()
    assert not response.context["result"].ok
    assert 'id="import-errors"' in html and "bad.xlsx" in html and "站点编号" in html
    assert Station.objects.count() == before


def test_an_upload_that_is_not_csv_or_excel_is_refused(client, network, ganzhou_user):
    response = _client(client, ganzhou_user).post(
        reverse("network:import"), {"file": _upload("stations.pdf", b"%PDF")}
    )
    assert response.context["result"] is None
    assert response.context["form"].errors["file"]
