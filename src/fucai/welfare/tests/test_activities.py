"""Welfare activities and placements, 福彩公益驿站 and their services, and the map: each seen
where its city (or station) is, recorded by the welfare officers and the editors there."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fucai.conftest import make_station
from fucai.core.tests.test_attachments import jpeg
from fucai.network.choices import StationScene
from fucai.welfare.models import WelfareActivity, WelfarePost

GZ_TITLE, JJ_TITLE = "赣州商超宣传栏测试", "九江社区公益行测试"


@pytest.fixture
def world(network, ganzhou, jiujiang, ganzhou_welfare):
    from fucai.geo.models import Division

    def activity(city, title, lon, lat, **extra):
        return WelfareActivity.objects.create(
            kind="notice_board",
            title=title,
            city=city,
            address=f"{title}地址",
            lon=Decimal(lon),
            lat=Decimal(lat),
            held_on=dt.date(2023, 4, 1),
            people_reached=1200,
            recorded_by=ganzhou_welfare,
            **extra,
        )

    gz = activity(ganzhou, GZ_TITLE, "114.93", "25.83")
    jj = activity(jiujiang, JJ_TITLE, "116.00", "29.70")
    WelfareActivity.objects.create(  # no place on the map
        kind="event", title="赣州未定位活动", city=ganzhou, address="某地",
        held_on=dt.date(2023, 5, 1), people_reached=80,
    )  # fmt: skip
    county = Division.objects.get(code="360403")
    post = make_station("36049901", county.code, scene=StationScene.WELFARE_POST)
    WelfarePost.objects.create(station=post, services=["water"], opening_note="全天")
    return {"gz": gz, "jj": jj, "jj_post": post}


def _get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


def test_a_jiujiang_user_sees_no_ganzhou_activity_and_a_ganzhou_one_is_a_404(
    client, world, jiujiang_user
):
    page = _get(client, jiujiang_user, "welfare:activity_list", year=2023)
    text = page.content.decode()
    assert JJ_TITLE in text and GZ_TITLE not in text
    assert _get(client, jiujiang_user, "welfare:activity_detail", world["gz"].pk).status_code == 404
    assert _get(client, jiujiang_user, "welfare:activity_detail", world["jj"].pk).status_code == 200


def test_the_map_json_holds_only_the_points_in_scope(client, world, jiujiang_user, province_admin):
    data = _get(client, jiujiang_user, "welfare:map_data", year=2023).json()
    assert [a[3] for a in data["activities"]] == [JJ_TITLE]
    assert [p[2] for p in data["posts"]] == ["36049901"]
    whole = _get(client, province_admin, "welfare:map_data", year=2023).json()
    # every activity with a place (the one without lon/lat is not a point), both cities' posts
    assert sorted(a[3] for a in whole["activities"]) == sorted([GZ_TITLE, JJ_TITLE])
    assert whole["activities"][0][6] == 1200 and "36049901" in [p[2] for p in whole["posts"]]


def test_a_welfare_officer_records_an_activity_with_a_photo_in_their_city_only(
    client, world, ganzhou_welfare, ganzhou, jiujiang
):
    client.force_login(ganzhou_welfare)
    data = {
        "kind": "banner",
        "title": "社区条幅",
        "held_on": "2023-06-01",
        "city": ganzhou.pk,
        "address": "章贡区某社区",
        "people_reached": "450",
        "photos": SimpleUploadedFile("条幅.jpg", jpeg(800, 600), content_type="image/jpeg"),
    }
    response = client.post(reverse("welfare:activity_new"), data)
    assert response.status_code == 302
    saved = WelfareActivity.objects.get(title="社区条幅")
    assert (saved.people_reached, saved.recorded_by, saved.attachments.count()) == (
        450,
        ganzhou_welfare,
        1,
    )
    refused = client.post(reverse("welfare:activity_new"), {**data, "city": jiujiang.pk})
    assert refused.status_code == 400  # 九江 is not among the cities offered
    assert "city" in refused.context["form"].errors


def test_a_market_manager_may_not_record_activities(client, world, market_manager_user):
    assert _get(client, market_manager_user, "welfare:activity_new").status_code == 403


def test_a_welfare_posts_services_are_changed_by_whoever_changes_its_station(
    client, world, jiujiang_user, ganzhou_user, jiujiang_welfare
):
    url = reverse("welfare:post_edit", args=["36049901"])
    client.force_login(jiujiang_user)
    response = client.post(
        url, {"services": ["water", "books", "charging"], "opening_note": "9-18"}
    )
    assert response.status_code == 302
    post = WelfarePost.objects.get(station__code="36049901")
    assert post.services == ["water", "books", "charging"]
    assert post.service_labels == ["饮水", "图书", "充电"]
    client.force_login(ganzhou_user)  # another city's editor: as absent
    assert client.get(url).status_code == 404
    client.force_login(jiujiang_welfare)  # sees 九江, does not change its stations
    assert client.get(url).status_code == 404
    listed = client.get(reverse("welfare:post_list")).content.decode()
    assert "36049901" in listed and "饮水、图书、充电" in listed


def test_the_activity_export_is_the_years_activities_in_scope(client, world, jiujiang_user):
    from openpyxl import load_workbook

    response = _get(client, jiujiang_user, "welfare:activity_list", year=2023, format="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == [JJ_TITLE] and rows[1][8] == 1200


def test_the_api_and_the_command_give_the_activities_and_posts_in_scope(
    client, world, jiujiang_user
):
    import json

    from django.core.management import call_command

    client.force_login(jiujiang_user)
    data = client.get("/api/welfare/activities", {"year": 2023}).json()
    assert [r["title"] for r in data["rows"]] == [JJ_TITLE]
    assert (data["activities"], data["people_reached"]) == (1, 1200)
    posts = client.get("/api/welfare/posts").json()
    assert [(p["station"], p["services"]) for p in posts] == [("36049901", ["water"])]
    out = io.StringIO()
    call_command(
        "welfare", "activities", "--year", "2023", "--user", jiujiang_user.username,
        "--format", "json", stdout=out,
    )  # fmt: skip
    assert [r["title"] for r in json.loads(out.getvalue())["rows"]] == [JJ_TITLE]
    out = io.StringIO()
    call_command("welfare", "activities", "--year", "2023", "--format", "json", stdout=out)
    whole = json.loads(out.getvalue())
    assert whole["activities"] == 3 and whole["people_reached"] == 1200 * 2 + 80


def test_the_posts_are_the_stations_open_on_the_day_and_the_map_keeps_a_year_before_them_empty(
    client, world, jiujiang_user
):
    from fucai.network.choices import StationStatus

    late = make_station(
        "36049902", "360403", opened=dt.date(2023, 6, 1), scene=StationScene.WELFARE_POST
    )
    closed = make_station("36049903", "360403", scene=StationScene.WELFARE_POST)
    closed.transition(StationStatus.CLOSED, dt.date(2023, 1, 10))
    client.force_login(jiujiang_user)
    spring = client.get(reverse("welfare:post_list"), {"as_of": "2023-03-01"}).content.decode()
    assert "36049901" in spring and late.code not in spring and closed.code not in spring
    assert '<span class="fc-amount" id="post-count">1</span>' in spring
    summer = client.get(reverse("welfare:post_list"), {"as_of": "2023-07-01"}).content.decode()
    assert '<span class="fc-amount" id="post-count">2</span>' in summer
    codes = lambda year: [p[2] for p in client.get(  # noqa: E731
        reverse("welfare:map_data"), {"year": year}).json()["posts"]]  # fmt: skip
    # opened 2022-05-01 (two of them, one closed on 2023-01-10) and 2023-06-01
    assert codes(2021) == [] and codes(2022) == ["36049901", closed.code]
    assert sorted(codes(2023)) == ["36049901", late.code]
    api = client.get("/api/welfare/posts", {"as_of": "2023-03-01"}).json()
    assert [p["station"] for p in api] == ["36049901"]


def test_a_year_before_2000_is_moved_to_2000_and_the_page_says_so(client, world, jiujiang_user):
    client.force_login(jiujiang_user)
    page = client.get(reverse("welfare:map"), {"year": 1900}).content.decode()
    assert 'value="2000"' in page and "没有 1900 年的记录，显示 2000 年。" in page
    listed = client.get(reverse("welfare:activity_list"), {"year": 1900}).content.decode()
    assert "没有 1900 年的记录，显示 2000 年。" in listed
