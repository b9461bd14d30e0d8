"""Input bounds on every path (fucai.core.bounds): dates from 2000-01-01 to today, whole numbers
within their column, text stripped and free of control characters; pages past the end; damaged
workbooks; and the same answer for an existing and a new station code of another city."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from fucai.core.models import ObjectChange
from fucai.core.testing.files import damaged_xlsx
from fucai.network.imports import import_stations
from fucai.network.models import Station, StationStatusChange
from fucai.network.tests.test_api import ApiCaller, new_station_body
from fucai.network.tests.test_imports import GOOD

HEADER = GOOD.read_text(encoding="utf-8").splitlines()[0]


def login(client, user, language: str = "en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# -- as-of and since dates of queries: clamped, never a server error ------------------------------
def test_an_overview_as_of_year_1_shows_2000_01_01_and_says_so(client, network, province_admin):
    login(client, province_admin)
    response = client.get(reverse("network:overview"), {"as_of": "0001-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="as-of-notice"' in html
    assert "showing 2000-01-01 instead of 0001-01-01" in html
    assert response.context["summary"].open_stations == 0
    assert 'value="2000-01-01"' in html


def test_an_overview_as_of_a_future_day_shows_today(client, network, province_admin):
    login(client, province_admin)
    response = client.get(reverse("network:overview"), {"as_of": "9999-12-31"})
    assert response.status_code == 200
    assert response.context["as_of"] == timezone.localdate()
    assert response.context["summary"].open_stations == 5


def test_the_overview_export_as_of_year_1_is_a_workbook_of_2000_01_01(
    client, network, province_admin
):
    from openpyxl import load_workbook

    login(client, province_admin)
    response = client.get(reverse("network:overview"), {"as_of": "0001-01-01", "format": "xlsx"})
    assert response.status_code == 200
    notes = load_workbook(io.BytesIO(response.content))["Notes"]
    assert [row for row in notes.iter_rows(values_only=True) if row[0] == "As of"] == [
        ("As of", "2000-01-01")
    ]


@pytest.mark.parametrize(("as_of", "used"), [("0001-01-01", "2000-01-01"), ("9999-12-31", None)])
def test_the_summary_api_clamps_the_as_of_day_and_says_which_it_used(
    network, province_admin, as_of, used
):
    response = ApiCaller(province_admin).get("network/summary", as_of=as_of)
    assert response.status_code == 200, response.content
    assert response.json()["as_of"] == (used or timezone.localdate().isoformat())


@pytest.mark.parametrize(
    "since", ["0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]
)
def test_the_audit_api_takes_any_since_without_a_server_error(network, province_admin, since):
    response = ApiCaller(province_admin).get("audit/changes", since=since)
    assert response.status_code == 200, response.content
    count = response.json()["count"]
    # a provincial user who is no user administrator does not read the accounts' changes
    network_changes = ObjectChange.objects.exclude(object_type__app_label="accounts")
    assert count == (0 if since.startswith("9999") else network_changes.count())
    assert count != 0 or since.startswith("9999")


# -- pages past the end ---------------------------------------------------------------------------
PAGED = [
    "network/stations",
    "network/managers",
    "network/territories",
    "network/partners",
    "audit/changes",
]


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize("page", [10**30, 3])
def test_a_page_past_the_end_of_a_list_is_empty(network, province_admin, path, page):
    response = ApiCaller(province_admin).get(path, page=page)
    assert response.status_code == 200, response.content
    assert response.json()["items"] == []


def test_no_list_of_the_api_paginates_but_through_the_bounded_pages():
    from pathlib import Path

    import fucai

    root = Path(fucai.__file__).parent
    users = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "PageNumberPagination" in path.read_text(encoding="utf-8") and "tests" not in path.parts
    ]
    assert users == ["core/api/paging.py"]
    assert settings.NINJA_PAGINATION_CLASS == "fucai.core.api.paging.Paged"


# -- API writes -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"staff_count": 1_099_511_627_776}, "staff_count"),
        ({"terminal_count": 32768}, "terminal_count"),
        ({"name": "   "}, "name"),
        ({"name": "兴国\x00新站"}, "name"),
        ({"address": "兴国县\x07将军大道"}, "address"),
        ({"status_date": "0001-01-01"}, "status_date"),
        ({"status_date": "1999-12-31"}, "status_date"),
        ({"status_date": "9999-12-31"}, "status_date"),
    ],
)
def test_the_api_refuses_a_station_with_an_out_of_bounds_value(network, ganzhou_user, extra, field):
    response = ApiCaller(ganzhou_user).post("network/stations", new_station_body(**extra))
    assert response.status_code == 422, response.content
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert not Station.objects.filter(code="36110300").exists()


def test_bound_errors_are_in_chinese_by_default(network, ganzhou_user):
    caller = ApiCaller(ganzhou_user)
    caller.client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    body = new_station_body(name="\x00", status_date="0001-01-01")
    messages = [e["msg"] for e in caller.post("network/stations", body).json()["detail"]]
    assert messages == [
        "其中含有控制字符（如 NUL），请删除。",
        "0001-01-01 早于 2000-01-01，系统不保存这么早的记录。",
    ]


def test_a_name_is_stored_stripped(network, ganzhou_user):
    response = ApiCaller(ganzhou_user).post(
        "network/stations", new_station_body(name="  兴国新站 ", status_date="2023-09-10")
    )
    assert response.status_code == 201, response.content
    assert Station.objects.get(code="36110300").name == "兴国新站"


def test_a_change_to_an_out_of_bounds_staff_count_is_refused(network, ganzhou_user):
    caller = ApiCaller(ganzhou_user)
    response = caller.patch("network/stations/36110214", {"staff_count": 1_099_511_627_776})
    assert response.status_code == 422
    assert Station.objects.get(code="36110214").staff_count == 3


@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31"])
def test_a_transition_dated_outside_the_bounds_is_refused_and_blocks_nothing(
    network, ganzhou_user, day
):
    caller = ApiCaller(ganzhou_user)
    path = "network/stations/36110214/transitions"
    refused = caller.post(path, {"status": "suspended", "date": day})
    assert refused.status_code == 422, refused.content
    assert refused.json()["detail"][0]["loc"][-1] == "date"
    today = timezone.localdate().isoformat()
    assert caller.post(path, {"status": "suspended", "date": today}).status_code == 201
    assert not StationStatusChange.objects.filter(date__year__in=[1999, 9999]).exists()


def test_the_model_refuses_a_transition_dated_in_the_future_whatever_the_path(network):
    from django.core.exceptions import ValidationError

    station = network["stations"]["xingguo"]
    with pytest.raises(ValidationError, match="in the future"), translation.override("en"):
        station.transition("suspended", timezone.localdate() + dt.timedelta(days=1))


# -- web forms ------------------------------------------------------------------------------------
def test_the_transition_form_refuses_a_day_in_year_9999(client, network, ganzhou_user):
    login(client, ganzhou_user)
    url = reverse("network:station_transition", args=["36110214"])
    response = client.post(url, {"status": "suspended", "date": "9999-12-31"})
    assert response.status_code in (200, 400)
    assert "9999-12-31 is in the future" in response.content.decode()
    assert Station.objects.get(code="36110214").status == "open"


def test_the_edit_form_refuses_a_name_with_a_control_character(client, network, ganzhou_user):
    login(client, ganzhou_user)
    station = Station.objects.get(code="36110214")
    data = {
        "name": "兴国\x07投注站",
        "address": station.address,
        "lon": station.lon,
        "lat": station.lat,
        "scene": station.scene,
        "operation": station.operation,
        "staff_count": 40000,
        "terminal_count": 1,
    }
    response = client.post(reverse("network:station_edit", args=["36110214"]), data)
    html = response.content.decode()
    assert "control characters" in html
    assert "32767" in html
    station.refresh_from_db()
    assert (station.name, station.staff_count) == ("兴国县0214投注站", 3)


# -- the station importer -------------------------------------------------------------------------
def _row(code: str, county: str = "兴国县", lon="115.351896", lat="26.330489", day="2023-06-01"):
    return f"{code},新站,,{county},某路1号,{lon},{lat},社区,兼营,,1,1,,,,,,,,营业中,{day}"


def _errors(user, *rows: str) -> list[tuple[int | None, str, str]]:
    data = "\n".join([HEADER, *rows]).encode()
    result = import_stations(io.BytesIO(data), "s.csv", user)
    return [(e.row, e.column, e.message) for e in result.errors]


@pytest.mark.parametrize(
    ("day", "reason"),
    [("1999-12-31", "before 2000-01-01"), ("0001-01-01", "before 2000-01-01")],
)
def test_the_station_importer_refuses_a_status_date_before_2000(
    network, province_admin, english, day, reason
):
    errors = _errors(province_admin, _row("36110399", day=day))
    assert [(row, column) for row, column, _m in errors] == [(2, "状态日期")]
    assert reason in errors[0][2]


def test_the_station_importer_refuses_a_name_with_a_nul(network, province_admin, english):
    errors = _errors(province_admin, _row("36110399").replace("新站", "新\x00站"))
    assert [(row, column) for row, column, _m in errors] == [(2, "站点名称")]


@pytest.mark.parametrize("county", ["兴国县", "浔阳区"])
def test_a_city_user_importing_another_citys_code_gets_the_same_errors_whether_it_exists(
    network, ganzhou_user, english, county
):
    place = {"兴国县": ("115.351896", "26.330489"), "浔阳区": ("115.99012", "29.676175")}[county]
    existing = _errors(ganzhou_user, _row("36040001", county, *place, day="2021-07-01"))
    new = _errors(ganzhou_user, _row("36040999", county, *place, day="2021-07-01"))
    assert existing == [(r, c, m.replace("36040999", "36040001")) for r, c, m in new]
    assert (2, "站点编号", "The station code does not belong to your city.") in existing


def test_a_damaged_xlsx_is_a_clear_error_naming_the_file_in_chinese(client, db, ganzhou_user):
    login(client, ganzhou_user, language="zh-hans")
    upload = SimpleUploadedFile("站点.xlsx", damaged_xlsx([HEADER.split(",")]))
    response = client.post(reverse("network:import"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "站点.xlsx" in html
    assert "不是可读取的 Excel（.xlsx）工作簿" in html


def test_the_cli_reports_a_damaged_xlsx_without_a_traceback(db, tmp_path, capsys):
    path = tmp_path / "坏表.xlsx"
    path.write_bytes(damaged_xlsx([HEADER.split(",")]))
    with translation.override("zh-hans"), pytest.raises(CommandError):
        call_command("network", "import", str(path))
    err = capsys.readouterr().err
    assert "坏表.xlsx" in err and "Excel" in err


# -- station create over the API: no existence oracle ---------------------------------------------
@pytest.mark.parametrize("county", ["360403", "360732"])
def test_a_city_user_gets_the_same_answer_for_an_existing_and_a_new_code_of_another_city(
    network, ganzhou_user, county
):
    caller = ApiCaller(ganzhou_user)
    existing = caller.post("network/stations", new_station_body("36040001", county))
    new = caller.post("network/stations", new_station_body("36040999", county))
    assert (existing.status_code, existing.content.replace(b"36040001", b"36040999")) == (
        new.status_code,
        new.content,
    )
    assert existing.status_code in (403, 422)
    assert not Station.objects.filter(code="36040999").exists()


def test_another_citys_code_is_refused_as_not_belonging_to_the_city(network, ganzhou_user):
    response = ApiCaller(ganzhou_user).post(
        "network/stations", new_station_body("36040001", "360403")
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "The station code does not belong to your city."


@pytest.fixture
def english():
    with translation.override("en"):
        yield
