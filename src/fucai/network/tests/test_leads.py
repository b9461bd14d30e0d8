"""Leads and spacing rules (issue 9, item 2): the one check, check_site, and saving a lead."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fucai.conftest import make_station
from fucai.network.choices import (
    LeadSource,
    LeadStatus,
    SpacingTarget,
    StationOperation,
    StationScene,
)

DEDICATED = StationOperation.DEDICATED
METRES_PER_DEG_LAT = 110_800  # near 26°N, only to place a point roughly; distances are measured


def _north(lat, metres) -> Decimal:
    return Decimal(f"{float(lat) + metres / METRES_PER_DEG_LAT:.6f}")


@pytest.fixture
def dedicated_station(db):
    return make_station("36110301", "360732", operation=DEDICATED)


@pytest.fixture
def rule(db):
    from fucai.network.models import SpacingRule

    return SpacingRule.objects.create(
        name="专营站间距",
        applies_to=DEDICATED,
        target=SpacingTarget.STATIONS,
        target_operation=DEDICATED,
        min_m=200,
    )


def _lead(county_code: str, lon, lat, **extra):
    from fucai.geo.models import Division
    from fucai.network.models import Lead

    return Lead(
        contact_name="测试联系人丁",
        contact_phone="13700001111",
        county=Division.objects.get(code=county_code),
        address="测试路8号",
        lon=lon,
        lat=lat,
        scene=StationScene.SUPERMARKET,
        operation=DEDICATED,
        source=LeadSource.POSTER,
        received_on=dt.date(2023, 3, 1),
        **extra,
    )


def test_a_site_150_m_from_a_dedicated_station_breaks_the_rule_naming_it_and_the_station(
    dedicated_station, rule
):
    from fucai.network.spacing import check_site

    lat = _north(dedicated_station.lat, 150)
    violations = check_site(dedicated_station.lon, lat, DEDICATED, "supermarket", rule.city)
    assert len(violations) == 1
    v = violations[0]
    assert (v.rule, v.offender, v.min_m) == ("专营站间距", "36110301", 200)
    assert 147 <= v.distance_m <= 153
    assert "36110301" in v.message and "专营站间距" in v.message and "200" in v.message


def test_a_site_250_m_away_passes(dedicated_station, rule):
    from fucai.network.spacing import check_site

    lat = _north(dedicated_station.lat, 250)
    assert check_site(dedicated_station.lon, lat, DEDICATED, "supermarket", None) == []


def test_a_shared_site_is_not_held_to_the_dedicated_rule(dedicated_station, rule):
    from fucai.network.spacing import check_site

    lat = _north(dedicated_station.lat, 50)
    assert check_site(dedicated_station.lon, lat, StationOperation.SHARED, "", None) == []


def test_distances_are_geodesic_metres_on_gcj02_coordinates():
    """A thousandth of a degree along the meridian at 26°N, measured on GCJ-02 points, is the
    meridian arc M(φ)·Δφ of the WGS84 ellipsoid."""
    from coordTransform import wgs84_to_gcj02

    from fucai.network.spacing import distance_m

    a, e2, phi = 6378137.0, 0.00669437999014, math.radians(26.0005)
    arc = a * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5 * math.radians(0.001)
    p, q = wgs84_to_gcj02(115.0, 26.0), wgs84_to_gcj02(115.0, 26.001)
    assert arc == pytest.approx(110.79, abs=0.01)
    assert distance_m(p[0], p[1], q[0], q[1]) == pytest.approx(arc, abs=0.5)


def test_the_city_override_of_a_rule_wins(dedicated_station, rule, ganzhou, jiujiang):
    from fucai.network.models import SpacingRule
    from fucai.network.spacing import check_site, rules_for

    SpacingRule.objects.create(
        name="专营站间距",
        applies_to=DEDICATED,
        target=SpacingTarget.STATIONS,
        target_operation=DEDICATED,
        min_m=100,
        city=ganzhou,
    )
    lat = _north(dedicated_station.lat, 150)
    assert [r.min_m for r in rules_for(DEDICATED, ganzhou)] == [100]
    assert [r.min_m for r in rules_for(DEDICATED, jiujiang)] == [200]
    assert check_site(dedicated_station.lon, lat, DEDICATED, "", ganzhou) == []
    assert len(check_site(dedicated_station.lon, lat, DEDICATED, "", jiujiang)) == 1


def test_a_school_layer_rule_names_the_nearest_school(dedicated_station, db):
    from fucai.network.leads import import_layer
    from fucai.network.models import SpacingRule
    from fucai.network.spacing import check_site

    lon, lat = dedicated_station.lon, dedicated_station.lat
    csv = f"lon,lat,name\n{lon},{_north(lat, 120)},近校\n{lon},{_north(lat, 180)},远校\n"
    layer = import_layer(csv.encode(), "schools.csv", "学校", synthetic=True)
    assert layer.points.count() == 2
    SpacingRule.objects.create(
        name="专营站距学校",
        applies_to=DEDICATED,
        target=SpacingTarget.LAYER,
        layer=layer,
        min_m=200,
    )
    found = {v.rule: v for v in check_site(lon, _north(lat, 300), DEDICATED, "", None)}
    assert found["专营站距学校"].offender == "远校"
    assert 115 <= found["专营站距学校"].distance_m <= 125


def test_a_lead_150_m_from_a_dedicated_station_is_refused_and_at_250_m_recorded(
    dedicated_station, rule, ganzhou_user
):
    from fucai.network.leads import save_lead

    near = _lead("360732", dedicated_station.lon, _north(dedicated_station.lat, 150))
    with pytest.raises(ValidationError) as refused:
        save_lead(near, ganzhou_user)
    assert "36110301" in str(refused.value) and "专营站间距" in str(refused.value)
    far = _lead("360732", dedicated_station.lon, _north(dedicated_station.lat, 250))
    assert save_lead(far, ganzhou_user) == []
    assert far.pk and far.status == LeadStatus.NEW
    assert list(far.status_changes.values_list("status", flat=True)) == [LeadStatus.NEW]


def test_a_lead_despite_a_rule_needs_a_reason_and_the_right_to_override(
    dedicated_station, rule, ganzhou_user, party_user
):
    from django.core.exceptions import PermissionDenied

    from fucai.network.leads import save_lead

    near = _lead("360732", dedicated_station.lon, _north(dedicated_station.lat, 150))
    with pytest.raises(PermissionDenied):
        save_lead(near, party_user, "临街商铺唯一可用")
    assert len(save_lead(near, ganzhou_user, "临街商铺唯一可用")) == 1
    assert near.spacing_override == "临街商铺唯一可用"


def test_a_jiujiang_user_sees_no_ganzhou_lead(dedicated_station, ganzhou_user, jiujiang_user):
    from fucai.network.leads import save_lead
    from fucai.network.models import Lead

    lead = _lead("360732", dedicated_station.lon, _north(dedicated_station.lat, 500))
    save_lead(lead, ganzhou_user)
    assert not Lead.objects.restrict(jiujiang_user).filter(pk=lead.pk).exists()
    assert Lead.objects.restrict(ganzhou_user).filter(pk=lead.pk).exists()


def test_a_lead_moves_step_by_step_is_rejected_only_with_a_reason_and_converts_to_a_station(
    dedicated_station, ganzhou_user
):
    from fucai.network.leads import convert_lead, save_lead, transition_lead

    lead = _lead("360732", dedicated_station.lon, _north(dedicated_station.lat, 900))
    save_lead(lead, ganzhou_user)
    with pytest.raises(ValidationError):
        transition_lead(lead, LeadStatus.REJECTED, dt.date(2023, 3, 2), ganzhou_user)
    for day, status in enumerate((LeadStatus.CONTACTED, LeadStatus.SURVEYED, LeadStatus.APPROVED)):
        transition_lead(lead, status, dt.date(2023, 3, 2 + day), ganzhou_user)
    station = convert_lead(lead, "36110302", "测试新站", dt.date(2023, 3, 10), ganzhou_user)
    transition_lead(lead, LeadStatus.OPENED, dt.date(2023, 4, 1), ganzhou_user)
    lead.refresh_from_db()
    assert lead.station == station and station.lead == lead
    assert (station.operation, station.scene, station.lon) == (DEDICATED, "supermarket", lead.lon)
    assert list(lead.status_changes.values_list("status", flat=True)) == [
        "new",
        "contacted",
        "surveyed",
        "approved",
        "opened",
    ]


def test_moving_a_station_next_to_a_dedicated_one_is_refused(dedicated_station, rule):
    other = make_station("36110303", "360732", operation=DEDICATED, opened=None)
    other.lat = _north(dedicated_station.lat, 150)
    with pytest.raises(ValidationError) as refused:
        other.full_clean()
    assert "36110301" in str(refused.value)
    other.lat = _north(dedicated_station.lat, 260)
    other.full_clean()


# -- the command ----------------------------------------------------------------------------------
def _check_site_json(lon, lat, *extra) -> dict:
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "network",
        "check-site",
        "--lon",
        str(lon),
        "--lat",
        str(lat),
        "--scene",
        "商超",
        "--operation",
        "专营",
        "--format",
        "json",
        *extra,
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_check_site_on_the_command_line_refuses_150_m_naming_the_rule_and_offender(
    dedicated_station, rule
):
    data = _check_site_json(dedicated_station.lon, _north(dedicated_station.lat, 150))
    assert data["ok"] is False
    [v] = data["violations"]
    assert (v["rule"], v["offender"], v["min_m"]) == ("专营站间距", "36110301", 200)
    assert 147 <= v["distance_m"] <= 153
    assert set(v) == {"rule", "offender", "distance_m", "min_m"}


def test_check_site_on_the_command_line_passes_250_m(dedicated_station, rule):
    data = _check_site_json(
        dedicated_station.lon, _north(dedicated_station.lat, 250), "--city", "赣州"
    )
    assert data == {"ok": True, "violations": []}


def test_the_leads_command_lists_a_users_leads_and_writes_excel(
    dedicated_station, ganzhou_user, jiujiang_user, tmp_path
):
    import io
    import json

    from django.core.management import call_command
    from openpyxl import load_workbook

    from fucai.network.leads import save_lead

    lead = _lead("360732", dedicated_station.lon, _north(dedicated_station.lat, 500))
    save_lead(lead, ganzhou_user)
    for user, count in ((ganzhou_user, 1), (jiujiang_user, 0)):
        out = io.StringIO()
        call_command("network", "leads", "--user", user.username, "--format", "json", stdout=out)
        assert len(json.loads(out.getvalue())["leads"]) == count
    path = tmp_path / "leads.xlsx"
    call_command("network", "leads", "--format", "xlsx", "--out", str(path), stdout=io.StringIO())
    sheet = load_workbook(path).worksheets[0]
    assert sheet.max_row == 2 and sheet.cell(2, 13).value != "13700001111"


def test_import_layer_on_the_command_line_labels_a_synthetic_layer(db, tmp_path):
    import io

    from django.core.management import call_command

    from fucai.network.models import PointLayer

    path = tmp_path / "schools.csv"
    path.write_text("lon,lat,name\n115.0,26.0,甲校\n115.01,26.01,乙校\n", encoding="utf-8")
    out = io.StringIO()
    call_command("network", "import-layer", "学校", str(path), "--synthetic", stdout=out)
    layer = PointLayer.objects.get(name="学校")
    assert layer.synthetic and layer.points.count() == 2
    assert "2 points" in out.getvalue()


# -- the API --------------------------------------------------------------------------------------
def _api_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _lead_body(station, metres: int) -> dict:
    return {
        "contact_name": "接口联系人",
        "contact_phone": "13700006666",
        "county": "360732",
        "address": "接口路2号",
        "lon": float(station.lon),
        "lat": float(_north(station.lat, metres)),
        "scene": "supermarket",
        "operation": "dedicated",
        "source": "walk_in",
        "received_on": "2023-03-01",
    }


def test_the_api_refuses_a_lead_150_m_away_with_the_violations_and_records_it_at_250_m(
    dedicated_station, rule, ganzhou_user
):
    import json

    from fucai.network.models import Lead

    client = _api_client(ganzhou_user)
    post = lambda body: client.post(  # noqa: E731
        "/api/network/leads", json.dumps(body), content_type="application/json"
    )
    refused = post(_lead_body(dedicated_station, 150))
    assert refused.status_code == 400
    [v] = refused.json()["violations"]
    assert (v["rule"], v["offender"], v["min_m"]) == ("专营站间距", "36110301", 200)
    assert 147 <= v["distance_m"] <= 153 and "36110301" in v["message"]
    assert not Lead.objects.exists()
    made = post(_lead_body(dedicated_station, 250))
    assert made.status_code == 201
    assert made.json()["contact_phone"] != "13700006666"
    assert [h["status"] for h in made.json()["history"]] == ["new"]
    listed = client.get("/api/network/leads").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == made.json()["id"]


def test_the_api_check_site_names_a_station_the_caller_cannot_see_only_as_another_station(
    dedicated_station, rule, ganzhou_user, jiujiang_user
):
    query = {
        "lon": float(dedicated_station.lon),
        "lat": float(_north(dedicated_station.lat, 150)),
        "operation": "dedicated",
        "scene": "supermarket",
    }
    [seen] = _api_client(ganzhou_user).get("/api/network/check-site", query).json()["violations"]
    assert seen["offender"] == "36110301"
    answer = _api_client(jiujiang_user).get("/api/network/check-site", query)
    assert answer.status_code == 200 and answer.json()["ok"] is False
    [hidden] = answer.json()["violations"]
    assert hidden["offender"] == "另一站点" and hidden["rule"] == "专营站间距"
    assert "36110301" not in answer.content.decode()
    query["lat"] = float(_north(dedicated_station.lat, 250))
    far = _api_client(jiujiang_user).get("/api/network/check-site", query).json()
    assert far == {"ok": True, "violations": []}


# -- the pages ------------------------------------------------------------------------------------
def _form_data(station, metres: int, **extra) -> dict:
    from fucai.geo.models import Division

    return {
        "contact_name": "网页联系人",
        "contact_phone": "13700007777",
        "county": Division.objects.get(code="360732").pk,
        "address": "网页路3号",
        "lon": str(station.lon),
        "lat": str(_north(station.lat, metres)),
        "scene": "supermarket",
        "operation": "dedicated",
        "source": "poster",
        "received_on": "2023-03-01",
        "notes": "",
        **extra,
    }


def test_the_web_form_refuses_a_lead_150_m_away_with_the_message_and_creates_it_at_250_m(
    dedicated_station, rule, ganzhou_user
):
    from django.urls import reverse

    from fucai.network.models import Lead

    client = _api_client(ganzhou_user)
    url = reverse("network:lead_new")
    refused = client.post(url, _form_data(dedicated_station, 150))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "距专营站 36110301 仅 " in page and "规则：专营站间距 ≥ 200 米" in page
    assert 'name="override_reason"' in page  # a city agency may override, with a reason
    assert not Lead.objects.exists()
    made = client.post(url, _form_data(dedicated_station, 250))
    lead = Lead.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "network:lead_detail", args=[lead.pk]
    )
    detail = client.get(made["Location"]).content.decode()
    assert "网页路3号" in detail and "13700007777" not in detail


def test_the_lead_pages_move_a_lead_on_reject_it_only_with_a_reason_and_export_it(
    dedicated_station, ganzhou_user
):
    from django.urls import reverse

    from fucai.network.leads import save_lead

    lead = _lead("360732", dedicated_station.lon, _north(dedicated_station.lat, 900))
    save_lead(lead, ganzhou_user)
    client = _api_client(ganzhou_user)
    url = reverse("network:lead_transition", args=[lead.pk])
    assert client.post(url, {"status": "rejected", "date": "2023-03-05"}).status_code == 400
    moved = client.post(url, {"status": "rejected", "date": "2023-03-05", "note": "租金过高"})
    assert moved.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.rejection_reason) == ("rejected", "租金过高")
    listed = client.get(reverse("network:lead_list"), {"status": "rejected"})
    assert "租金过高" in listed.content.decode()
    export = client.get(reverse("network:lead_list"), {"format": "xlsx"})
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]


def test_in_chinese_the_violation_reads_as_the_centre_writes_it(dedicated_station, rule):
    from django.utils import translation

    from fucai.network.spacing import check_site

    with translation.override("zh-hans"):
        [v] = check_site(dedicated_station.lon, _north(dedicated_station.lat, 150), DEDICATED)
        assert v.message == f"距专营站 36110301 仅 {v.distance_m} 米，规则：专营站间距 ≥ 200 米"


# -- the demo step --------------------------------------------------------------------------------
def test_the_demo_gives_fuzhou_one_converted_poster_lead_per_2023_station_and_rejected_ones(db):
    from types import SimpleNamespace

    from fucai.geo.models import Division
    from fucai.network.demo.leads import RULES, SCHOOLS_PER_COUNTY, LeadDemoBuilder
    from fucai.network.models import Lead, PointLayer, SpacingRule

    opened = [
        make_station(f"361001{n:02d}", "361002", opened=dt.date(2023, 3, n)) for n in (1, 2, 3)
    ]
    make_station("36100199", "361002", opened=dt.date(2022, 6, 1))  # before 2023: no lead
    ctx = SimpleNamespace(seed=7, progress=lambda *args: None)
    builder = LeadDemoBuilder()
    assert not builder.is_current(ctx)
    builder.build(ctx)
    assert builder.is_current(ctx)
    assert SpacingRule.objects.count() == len(RULES) == 3
    schools = PointLayer.objects.get(name="学校")
    assert schools.synthetic
    assert schools.points.count() == SCHOOLS_PER_COUNTY * Division.objects.counties().count()
    converted = Lead.objects.filter(station__isnull=False)
    assert sorted(converted.values_list("station__code", flat=True)) == [s.code for s in opened]
    lead = converted.get(station=opened[0])
    assert lead.status == "opened" and lead.source == "poster"
    assert list(lead.status_changes.values_list("status", "date")) == [
        ("new", dt.date(2022, 12, 16)),
        ("contacted", dt.date(2022, 12, 23)),
        ("surveyed", dt.date(2023, 1, 8)),
        ("approved", dt.date(2023, 1, 20)),
        ("opened", dt.date(2023, 3, 1)),
    ]
    [rejected] = Lead.objects.filter(status="rejected")  # 30 % of 3, at least one
    assert rejected.rejection_reason
    assert rejected.status_changes.last().note == rejected.rejection_reason
    builder.wipe(ctx)
    assert not Lead.objects.exists() and not SpacingRule.objects.exists()


def test_moving_a_lead_150_m_from_a_dedicated_station_is_refused_and_250_m_accepted(
    dedicated_station, rule, ganzhou_user
):
    from django.urls import reverse

    from fucai.network.leads import save_lead

    lead = _lead("360732", dedicated_station.lon, _north(dedicated_station.lat, 900))
    save_lead(lead, ganzhou_user)
    client = _api_client(ganzhou_user)
    url = reverse("network:lead_edit", args=[lead.pk])
    page = client.get(url).content.decode()
    assert "13700001111" not in page and 'name="contact_phone"' not in page
    data = _form_data(dedicated_station, 150)
    del data["contact_name"], data["contact_phone"], data["received_on"]
    refused = client.post(url, data)
    assert refused.status_code == 400 and "距专营站 36110301 仅 " in refused.content.decode()
    lead.refresh_from_db()
    assert lead.lat == _north(dedicated_station.lat, 900)
    data["lat"] = str(_north(dedicated_station.lat, 250))
    assert client.post(url, data).status_code == 302
    lead.refresh_from_db()
    assert (lead.lat, lead.address, lead.contact_phone) == (
        _north(dedicated_station.lat, 250),
        "网页路3号",
        "13700001111",
    )


def test_the_province_edits_a_rule_on_the_web_and_the_next_check_follows_it(
    dedicated_station, rule, province_admin, ganzhou_user
):
    from django.urls import reverse

    from fucai.network.spacing import check_site

    client = _api_client(province_admin)
    page = client.get(reverse("network:spacing_rules")).content.decode()
    assert "专营站间距" in page and "200" in page
    edit = reverse("network:spacing_rule_edit", args=[rule.pk])
    data = {
        "name": "专营站间距",
        "applies_to": DEDICATED,
        "target": SpacingTarget.STATIONS,
        "target_operation": DEDICATED,
        "min_m": "300",
        "active": "on",
    }
    assert client.post(edit, data).status_code == 302
    lat = _north(dedicated_station.lat, 250)  # passed at 200 m, refused at 300 m
    [violation] = check_site(dedicated_station.lon, lat, DEDICATED, "supermarket", None)
    assert violation.min_m == 300
    assert client.post(edit, {**data, "min_m": "0"}).status_code == 400
    city_agency = _api_client(ganzhou_user)
    assert city_agency.get(reverse("network:spacing_rules")).status_code == 403


def test_a_layer_file_on_the_web_replaces_the_layers_points_and_says_how_many(db, province_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from fucai.network.models import PointLayer

    client = _api_client(province_admin)
    url = reverse("network:spacing_layer_import")

    def send(text: str):
        upload = SimpleUploadedFile("学校.csv", text.encode(), content_type="text/csv")
        return client.post(url, {"name": "学校", "file": upload}, follow=True)

    send("lon,lat,name\n115.0,25.9,一中\n115.01,25.91,二中\n")
    page = send("lon,lat,name\n115.02,25.92,三中\n").content.decode()
    layer = PointLayer.objects.get(name="学校")
    assert [p.name for p in layer.points.all()] == ["三中"]
    assert "图层“学校”：导入 1 个点，替换原有 2 个。" in page
    bad = send("lon,lat,name\nabc,25.9,四中\n")
    assert bad.status_code == 400
    assert [p.name for p in layer.points.all()] == ["三中"]  # a refused file changes nothing


# -- the lead's map ------------------------------------------------------------------------------
def _english_client(user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def test_the_lead_page_maps_the_lead_with_its_offender_and_the_stations_nearby(
    dedicated_station, rule, province_admin, jiujiang_user
):
    from django.urls import reverse

    from fucai.network.leads import hide_unseen, lead_violations, map_points, save_lead

    make_station("36110302", "360732")  # 兼营, where 36110301 is: nearby, breaks no 专营 rule
    closed = make_station("36110303", "360732")  # closed: not drawn
    closed.transition("closed", dt.date(2023, 1, 5))
    make_station("36110304", "360781")  # 瑞金: far away
    lead = _lead("360732", dedicated_station.lon, _north(dedicated_station.lat, 150))
    save_lead(lead, province_admin, "测试：先记录再议")
    page = _english_client(province_admin).get(reverse("network:lead_detail", args=[lead.pk]))
    points = page.context["map_points"]
    assert [(p["kind"], p["name"].rsplit(",", 1)[0]) for p in points] == [
        ("offender", "36110301 · 专营站间距"),
        ("station", "36110302 兴国县0302投注站"),
    ]
    assert all(147 <= p["distance_m"] <= 153 for p in points)
    assert (points[0]["lon"], points[0]["lat"]) == (
        float(dedicated_station.lon),
        float(dedicated_station.lat),
    )
    html = page.content.decode()
    assert 'id="lead-minimap"' in html and 'id="lead-around-points"' in html
    assert page.context["county_feature"]["properties"]["adcode"] == 360732
    assert page.context["map_point"]["lon"] == float(lead.lon)
    assert "/static/vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    # someone who does not see the offender gets neither its name nor its place
    hidden = hide_unseen(lead_violations(lead), jiujiang_user)
    assert [v.offender for v in hidden] == ["another station"]
    assert map_points(lead, jiujiang_user, hidden) == []


def test_the_lead_form_knows_each_countys_boundary_to_pick_the_point_on(ganzhou_user):
    from django.urls import reverse

    from fucai.geo.models import Division

    page = _english_client(ganzhou_user).get(reverse("network:lead_new"))
    picker = page.context["picker"]
    xingguo = Division.objects.get(code="360732")
    assert picker["counties"][str(xingguo.pk)] == {"adcode": "360732", "city": "360700"}
    assert len(picker["counties"]) == Division.objects.filter(parent__code="360700").count()
    assert picker["boundaries"] == "/geo/boundaries/county.geojson"
    assert 'id="lead-picker"' in page.content.decode()


def test_the_demo_refuses_some_rejected_leads_by_the_spacing_check_naming_rule_and_offender(db):
    from types import SimpleNamespace

    from django.utils import translation

    from fucai.network.demo.leads import LeadDemoBuilder
    from fucai.network.leads import lead_violations
    from fucai.network.models import Lead

    for n in range(1, 11):  # 兼营 stations (make_station's default), all at 临川区's centre
        make_station(f"361002{n:02d}", "361002", opened=dt.date(2023, 4, n))
    LeadDemoBuilder().build(SimpleNamespace(seed=7, progress=lambda *args: None))
    rejected = Lead.objects.filter(status="rejected").order_by("pk")
    assert rejected.count() == 3  # 30 % of 10
    refused = [lead for lead in rejected if "规则：" in lead.rejection_reason]
    assert len(refused) == 1  # the second of every four
    [lead] = refused
    with translation.override("zh-hans"):  # as the check gives it in Chinese
        [violation] = lead_violations(lead)
        assert lead.rejection_reason == violation.message
    assert violation.rule == "兼营站间距" and violation.offender.startswith("361002")
    assert 40 <= violation.distance_m <= 90 and violation.min_m == 100
    assert lead.operation == "shared"
    assert list(lead.status_changes.values_list("status", flat=True)) == [
        "new",
        "contacted",
        "rejected",
    ]
