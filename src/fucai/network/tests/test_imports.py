from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from fucai.core.models import ObjectChange
from fucai.core.personal import equal_to
from fucai.network.imports import import_stations
from fucai.network.models import PartnerOrganisation, Station, StationOwner, StationStatusChange

FILES = Path(__file__).parent / "files"
GOOD = FILES / "stations_good.csv"
BAD = FILES / "stations_bad.csv"
GOOD_GB18030 = FILES / "stations_good_gb18030.csv"


@pytest.fixture
def partner(ganzhou):
    return PartnerOrganisation.objects.create(name="测试商业集团", city=ganzhou)


def run(path: Path, user, **kwargs):
    with path.open("rb") as fh:
        return import_stations(fh, path.name, user, **kwargs)


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def good_rows() -> list[list[str]]:
    import csv

    with GOOD.open(encoding="utf-8") as fh:
        return list(csv.reader(fh))


def edited(rows: list[list[str]], code: str, **changes: str) -> bytes:
    """The good file as CSV bytes, with the row of `code` changed (column header -> new value)."""
    header = rows[0]
    out = io.StringIO()
    for row in rows:
        row = list(row)
        if row[0] == code:
            for column, value in changes.items():
                row[header.index(column)] = value
        out.write(",".join(row) + "\n")
    return csv_bytes(out.getvalue())


def counts() -> tuple[int, int, int, int]:
    return (
        Station.objects.count(),
        StationOwner.objects.count(),
        StationStatusChange.objects.count(),
        ObjectChange.objects.count(),
    )


def test_a_good_file_creates_its_stations_with_owner_status_and_audit(partner, ganzhou_user):
    last_audit = ObjectChange.objects.latest("pk").pk

    result = run(GOOD, ganzhou_user)

    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    xingguo = Station.objects.get(code="36110301")
    assert xingguo.county.name == "兴国县"
    assert xingguo.city.name == "赣州市"
    assert (xingguo.lon, xingguo.lat) == (Decimal("115.351896"), Decimal("26.330489"))
    assert (xingguo.scene, xingguo.operation, xingguo.staff_count) == ("street", "dedicated", 3)
    assert (xingguo.status, xingguo.opened_on) == ("open", dt.date(2023, 3, 18))
    owner = xingguo.owner
    assert (owner.name, owner.phone) == ("测试业主丙", "13912345678")
    assert owner.id_number == "360732198505051236"
    assert owner.is_party_vanguard and owner.is_veteran
    assert Station.objects.get(code="36110302").partner == partner
    welfare = Station.objects.get(code="36110303")
    assert (welfare.owner, welfare.status, welfare.status_changes.count()) == (None, "planned", 0)
    created = ObjectChange.objects.get(
        object_type__model="station", object_id=str(xingguo.pk), action="create"
    )
    assert created.user_name == "ganzhou_user"
    audit = ObjectChange.objects.filter(pk__gt=last_audit)
    assert set(audit.values_list("source", "user_name")) == {("import", "ganzhou_user")}
    assert audit.filter(action="create", object_type__model="station").count() == 3
    assert audit.filter(action="create", object_type__model="stationowner").count() == 2


def test_a_file_with_bad_rows_is_rejected_as_a_whole_naming_every_bad_row(network, province_admin):
    before = counts()

    result = run(BAD, province_admin)

    assert not result.ok
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    where = {(e.file, e.row, e.column) for e in result.errors}
    assert where == {
        ("stations_bad.csv", 2, "站点编号"),  # 36110301 again in row 5
        ("stations_bad.csv", 3, "所属县区"),  # 赣南县 is no county
        ("stations_bad.csv", 4, "站点编号"),  # 7 digits
        ("stations_bad.csv", 5, "站点编号"),  # 36110301 again, first in row 2
    }
    messages = {e.row: e.message for e in result.errors}
    assert "赣南县" in messages[3]
    assert "3611030" in messages[4] and "7" in messages[4]
    assert "2, 5" in messages[2] and "2, 5" in messages[5]
    assert counts() == before


def test_an_error_reads_as_file_row_column_and_reason(db, province_admin):
    with translation.override("en"):
        result = run(BAD, province_admin)
        text = [str(e) for e in result.errors if e.row == 4]
    assert text == [
        "stations_bad.csv, row 4, 站点编号: A station code has 8 digits; 3611030 has 7."
    ]
    with translation.override("zh-hans"):
        assert str(result.errors[0]).startswith("stations_bad.csv, 第 2 行, 站点编号: ")


def test_importing_the_same_file_twice_changes_nothing(partner, province_admin):
    run(GOOD, province_admin)
    before = counts()

    again = run(GOOD, province_admin)

    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert counts() == before


def test_a_corrected_file_updates_the_station_in_place_with_before_and_after(
    partner, province_admin
):
    run(GOOD, province_admin)
    station = Station.objects.get(code="36110301")
    last_audit = ObjectChange.objects.latest("pk").pk
    data = edited(good_rows(), "36110301", 站点名称="兴国县将军大道福彩投注站", 从业人数="4")

    result = import_stations(io.BytesIO(data), "corrected.csv", province_admin)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert Station.objects.get(code="36110301").pk == station.pk
    assert Station.objects.count() == 3
    audit = list(ObjectChange.objects.filter(pk__gt=last_audit))
    assert len(audit) == 1
    assert audit[0].action == "update"
    assert audit[0].changes == {
        "name": ["兴国县潋江镇福彩投注站", "兴国县将军大道福彩投注站"],
        "staff_count": [3, 4],
    }
    assert audit[0].user_name == "province_admin"


def test_a_later_status_in_the_file_appends_a_status_change(partner, province_admin):
    run(GOOD, province_admin)
    data = edited(good_rows(), "36110301", 状态="暂停", 状态日期="2023-08-01")

    result = import_stations(io.BytesIO(data), "suspend.csv", province_admin)

    assert (result.updated, result.unchanged) == (1, 2)
    station = Station.objects.get(code="36110301")
    history = list(station.status_changes.values_list("status", "date", "recorded_by__username"))
    assert history == [
        ("open", dt.date(2023, 3, 18), "province_admin"),
        ("suspended", dt.date(2023, 8, 1), "province_admin"),
    ]
    assert station.status == "suspended"


def test_a_status_dated_before_the_last_change_is_rejected(partner, province_admin):
    run(GOOD, province_admin)
    before = counts()
    data = edited(good_rows(), "36110301", 状态="暂停", 状态日期="2023-01-01")

    result = import_stations(io.BytesIO(data), "back.csv", province_admin)

    assert [(e.row, e.column) for e in result.errors] == [(2, "状态日期")]
    assert "2023-03-18" in result.errors[0].message
    assert counts() == before


def test_a_status_that_cannot_follow_the_last_one_is_rejected(partner, province_admin):
    run(GOOD, province_admin)
    data = edited(good_rows(), "36110301", 状态="规划中", 状态日期="2023-08-01")

    result = import_stations(io.BytesIO(data), "back.csv", province_admin)

    assert [(e.row, e.column) for e in result.errors] == [(2, "状态")]
    assert "营业中" in result.errors[0].message and "规划中" in result.errors[0].message


def test_english_status_names_are_accepted(partner, province_admin):
    data = edited(good_rows(), "36110301", 状态="Open")
    result = import_stations(io.BytesIO(data), "english.csv", province_admin)
    assert result.ok
    assert Station.objects.get(code="36110301").status == "open"


def test_a_ganzhou_user_cannot_import_a_jiujiang_row(network, partner, ganzhou_user):
    text = GOOD.read_text(encoding="utf-8") + (
        "36040009,濂溪区福彩投注站,,濂溪区,濂溪区十里大道1号,115.99012,29.676175,社区,兼营,,1,1,"
        ",,,,,,,营业中,2023-06-01\n"
    )
    before = counts()

    result = import_stations(io.BytesIO(csv_bytes(text)), "mixed.csv", ganzhou_user)

    assert [(e.row, e.column) for e in result.errors] == [(5, "站点编号"), (5, "所属县区")]
    assert "九江市" in result.errors[1].message
    assert counts() == before


def test_a_ganzhou_user_cannot_change_a_jiujiang_station_by_its_code(network, ganzhou_user):
    header = GOOD.read_text(encoding="utf-8").splitlines()[0]
    row = (
        "36040001,改名,,兴国县,兴国县某路1号,115.351896,26.330489,社区,兼营,,1,1,,,,,,,,"
        "营业中,2021-07-01"
    )
    result = import_stations(io.BytesIO(csv_bytes(f"{header}\n{row}\n")), "x.csv", ganzhou_user)
    assert {(e.row, e.column) for e in result.errors} == {(2, "站点编号")}
    assert Station.objects.get(code="36040001").name != "改名"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["market_manager_user", "owner_user", "party_user"])
def test_managers_owners_and_party_users_may_not_import(who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        run(GOOD, user)


def test_a_gb18030_csv_imports_like_the_utf8_one(partner, province_admin):
    result = run(GOOD_GB18030, province_admin)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 3
    assert Station.objects.get(code="36110301").name == "兴国县潋江镇福彩投注站"


def test_a_utf8_csv_with_bom_imports(partner, province_admin):
    data = b"\xef\xbb\xbf" + GOOD.read_bytes()
    result = import_stations(io.BytesIO(data), "bom.csv", province_admin)
    assert (result.ok, result.created) == (True, 3)


def test_an_xlsx_file_with_typed_cells_and_a_title_row_imports(partner, province_admin):
    rows = good_rows()
    wb = Workbook()
    ws = wb.active
    ws.append(["赣州市投注站台账"])
    ws.append(rows[0])
    for row in rows[1:]:
        cells: list = list(row)
        cells[0] = int(cells[0])  # codes typed as numbers
        cells[5], cells[6] = float(cells[5]), float(cells[6])
        cells[10] = int(cells[10])
        if cells[20]:
            cells[20] = dt.datetime.fromisoformat(cells[20])
        ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)

    result = import_stations(io.BytesIO(buffer.getvalue()), "台账.xlsx", province_admin)

    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 3
    station = Station.objects.get(code="36110302")
    assert (station.lon, station.opened_on) == (Decimal("114.938720"), dt.date(2023, 5, 20))


def test_an_id_number_typed_as_a_number_in_excel_is_rejected(partner, province_admin):
    rows = good_rows()
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    ws.cell(row=2, column=15, value=360732198505051236)
    buffer = io.BytesIO()
    wb.save(buffer)

    with translation.override("en"):
        result = import_stations(io.BytesIO(buffer.getvalue()), "ids.xlsx", province_admin)

    assert [(e.row, e.column) for e in result.errors] == [(2, "业主身份证号")]
    assert "format the column as text" in result.errors[0].message


def test_bad_numbers_and_unknown_words_are_each_reported(partner, province_admin):
    data = edited(
        good_rows(), "36110302", 经度="东经114", 从业人数="三", 场景="菜市场", 是否党员="也许"
    )
    result = import_stations(io.BytesIO(data), "words.csv", province_admin)
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "经度"),
        (3, "从业人数"),
        (3, "场景"),
        (3, "是否党员"),
    }
    scene_error = next(e for e in result.errors if e.column == "场景")
    assert "菜市场" in scene_error.message and "商业综合体" in scene_error.message


def test_a_point_outside_its_county_is_rejected(partner, province_admin):
    data = edited(good_rows(), "36110301", 经度="114.93872", 纬度="25.851367")  # 章贡区
    result = import_stations(io.BytesIO(data), "far.csv", province_admin)
    assert [(e.row, e.column) for e in result.errors] == [(2, "经度")]
    assert "兴国县" in result.errors[0].message


def test_a_point_outside_jiangxi_is_rejected(partner, province_admin):
    data = edited(good_rows(), "36110301", 经度="121.47", 纬度="31.23")  # Shanghai
    result = import_stations(io.BytesIO(data), "far.csv", province_admin)
    assert {(e.row, e.column) for e in result.errors} == {(2, "经度"), (2, "纬度")}


def test_a_code_of_another_city_and_an_unknown_partner_are_rejected(db, province_admin):
    data = edited(good_rows(), "36110301", 站点编号="36040301")
    result = import_stations(io.BytesIO(data), "prefix.csv", province_admin)
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert set(errors) == {(2, "站点编号"), (3, "合作单位")}
    assert "3611" in errors[(2, "站点编号")]
    assert "测试商业集团" in errors[(3, "合作单位")]


def test_a_missing_required_column_is_reported_on_the_header_row(db, province_admin):
    text = "站点编号,站点名称\n36110301,某站\n"
    result = import_stations(io.BytesIO(csv_bytes(text)), "short.csv", province_admin)
    assert {e.column for e in result.errors} == {
        "所属县区",
        "详细地址",
        "经度",
        "纬度",
        "场景",
        "经营方式",
        "状态",
        "状态日期",
    }
    assert {e.row for e in result.errors} == {1}


def test_an_old_xls_file_is_refused_with_a_reason(db, province_admin):
    result = import_stations(io.BytesIO(b"\xd0\xcf\x11\xe0"), "台账.xls", province_admin)
    assert len(result.errors) == 1
    assert ".xlsx" in result.errors[0].message


def test_an_owner_is_matched_by_id_number_and_updated_not_duplicated(partner, province_admin):
    run(GOOD, province_admin)
    owners = StationOwner.objects.count()
    data = edited(good_rows(), "36110301", 业主电话="13600001111")

    result = import_stations(io.BytesIO(data), "phone.csv", province_admin)

    assert (result.updated, result.unchanged) == (1, 2)
    assert StationOwner.objects.count() == owners
    assert Station.objects.get(code="36110301").owner.phone == "13600001111"
    change = ObjectChange.objects.filter(object_type__model="stationowner").latest("pk")
    assert change.changes == {"phone": ["139****5678", "136****1111"]}


def test_the_same_new_owner_of_two_stations_is_created_once(partner, province_admin):
    rows = good_rows()
    data = edited(
        rows,
        "36110303",
        业主姓名="测试业主丙",
        业主电话="13912345678",
        业主身份证号="360732198505051236",
        是否党员="是",
        是否退役军人="是",
        是否同意公开党员身份="是",
    )
    result = import_stations(io.BytesIO(data), "shared.csv", province_admin)
    assert result.ok, [str(e) for e in result.errors]
    [owner] = StationOwner.objects.filter(equal_to(StationOwner, "id_number", "360732198505051236"))
    assert Station.objects.filter(owner=owner).count() == 2


def test_consent_without_party_membership_is_rejected(partner, province_admin):
    data = edited(good_rows(), "36110301", 是否党员="否")
    result = import_stations(io.BytesIO(data), "consent.csv", province_admin)
    assert [(e.row, e.column) for e in result.errors] == [(2, "是否同意公开党员身份")]


def test_a_dry_run_counts_but_saves_nothing(partner, province_admin):
    before = counts()
    result = run(GOOD, province_admin, dry_run=True)
    assert (result.ok, result.dry_run, result.created) == (True, True, 3)
    assert counts() == before


def test_the_cli_imports_a_file_and_prints_a_summary(partner, province_admin, capsys):
    with translation.override("en"):
        call_command("network", "import", str(GOOD), "--user", "province_admin")
    out = capsys.readouterr().out
    assert "3 created, 0 updated, 0 unchanged" in out
    assert Station.objects.filter(code__startswith="361103").count() == 3


def test_the_cli_lists_every_error_and_fails(db, province_admin, capsys):
    with translation.override("en"), pytest.raises(CommandError, match="4 error"):
        call_command("network", "import", str(BAD), "--user", "province_admin")
    err = capsys.readouterr().err
    assert "stations_bad.csv, row 3, 所属县区" in err
    assert "stations_bad.csv, row 4, 站点编号" in err
    assert Station.objects.count() == 0


def test_the_cli_refuses_a_user_who_may_not_import(party_user):
    with translation.override("en"), pytest.raises(CommandError, match="may import"):
        call_command("network", "import", str(GOOD), "--user", "party_user")


def test_headers_with_notes_and_unknown_columns_are_understood(partner, province_admin):
    rows = good_rows()
    header = [f" {h}* " if h == "站点编号" else h for h in rows[0]]
    header[header.index("经度")] = "经度（GCJ-02）"
    lines = [",".join([*header, "备注"])] + [",".join([*row, "自己的备注"]) for row in rows[1:]]
    data = csv_bytes("\n".join(lines) + "\n")
    result = import_stations(io.BytesIO(data), "notes.csv", province_admin)
    assert (result.ok, result.created) == (True, 3)


def test_a_city_in_the_county_column_is_refused(partner, province_admin):
    data = edited(good_rows(), "36110301", 所属县区="赣州市")
    result = import_stations(io.BytesIO(data), "city.csv", province_admin)
    assert [(e.row, e.column) for e in result.errors] == [(2, "所属县区")]
    assert "赣州市" in result.errors[0].message


def test_the_documented_sample_imports_and_documents_every_column(db, ganzhou_user):
    from fucai.network.imports.layout import COLUMNS

    docs = Path(__file__).resolve().parents[4] / "docs"
    result = run(docs / "station-import-sample.csv", ganzhou_user)
    assert (result.ok, result.created) == (True, 3)
    text = (docs / "station-import.md").read_text(encoding="utf-8")
    documented = {line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")}
    assert {c.header for c in COLUMNS} <= documented


def test_a_failure_while_writing_rolls_back_every_row(partner, province_admin, monkeypatch):
    from django.core.exceptions import ValidationError

    real = Station.transition

    def refuse_the_second_station(self, status, date, user=None, note=""):
        if self.code == "36110302":
            raise ValidationError("refused")
        return real(self, status, date, user=user, note=note)

    monkeypatch.setattr(Station, "transition", refuse_the_second_station)
    before = counts()

    result = run(GOOD, province_admin)

    assert [(e.row, e.message) for e in result.errors] == [(3, "refused")]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert counts() == before
