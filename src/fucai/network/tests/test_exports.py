from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from fucai.core.excel import (
    DATE_FORMAT,
    Column,
    StreamedSheet,
    notes_sheet,
    streamed_workbook,
    table_workbook,
    workbook_bytes,
    xlsx_response,
)
from fucai.core.models import ObjectChange
from fucai.network.exports import stations_workbook
from fucai.network.imports import import_stations
from fucai.network.imports.layout import COLUMNS
from fucai.network.models import Station, StationOwner, StationStatusChange

HEADERS = [c.header for c in COLUMNS]


def sheet_rows(wb) -> list[list]:
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def reread(wb):
    return load_workbook(io.BytesIO(workbook_bytes(wb)))


def as_dicts(wb) -> dict[str, dict]:
    header, *rows = sheet_rows(reread(wb))
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_the_export_has_the_import_layout_one_row_per_station(network):
    wb = reread(stations_workbook(Station.objects.all()))
    rows = sheet_rows(wb)
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:]] == ["36040001", "36040002", "36110001", "36110002", "36110214"]
    sheet = wb.worksheets[0]
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:U6")
    assert sheet.cell(row=2, column=1).number_format == "@"
    xingguo = as_dicts(wb)["36110214"]
    place = (xingguo["所属城市"], xingguo["所属县区"], xingguo["场景"], xingguo["经营方式"])
    assert place == ("赣州市", "兴国县", "传统街边店", "兼营")
    assert xingguo["状态"] == "营业中"
    assert xingguo["状态日期"] == dt.datetime(2022, 5, 1)
    flags = (xingguo["是否党员"], xingguo["是否退役军人"], xingguo["是否同意公开党员身份"])
    assert flags == ("是", "是", "是")


def test_an_export_masks_owner_phone_and_id_number(network):
    wb = stations_workbook(Station.objects.all())
    xingguo = as_dicts(wb)["36110214"]
    assert xingguo["业主电话"] == "138****5678"
    assert xingguo["业主身份证号"] == "3607**********1234"
    content = workbook_bytes(wb)
    sheets = reread(wb).worksheets
    values = [str(v) for ws in sheets for row in ws.iter_rows(values_only=True) for v in row]
    assert not any("13800005678" in v or "360732199001011234" in v for v in values)
    assert b"13800005678" not in content


def counts() -> tuple[int, int, int]:
    models = (ObjectChange, StationStatusChange, StationOwner)
    return tuple(m.objects.count() for m in models)


def test_an_export_imports_again_unchanged(network, province_admin):
    before = counts()
    data = workbook_bytes(stations_workbook(Station.objects.all()))

    result = import_stations(io.BytesIO(data), "export.xlsx", province_admin)

    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert counts() == before


def test_an_edited_export_keeps_the_masked_values_and_saves_the_edit(network, ganzhou_user):
    wb = stations_workbook(Station.objects.restrict(ganzhou_user))
    sheet = wb.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "36110214")
    row[HEADERS.index("从业人数")].value = 5
    row[HEADERS.index("业主姓名")].value = "测试业主甲改"

    result = import_stations(io.BytesIO(workbook_bytes(wb)), "edited.xlsx", ganzhou_user)

    assert (result.updated, result.unchanged) == (1, 2)
    owner = StationOwner.objects.get(pk=network["veteran"].pk)
    assert (owner.name, owner.phone) == ("测试业主甲改", "13800005678")
    assert owner.id_number == "360732199001011234"
    assert Station.objects.get(code="36110214").staff_count == 5
    change = ObjectChange.objects.filter(object_type__model="stationowner").latest("pk")
    assert change.changes == {"name": ["测试业主甲", "测试业主甲改"]}


def test_a_masked_id_number_that_does_not_match_the_owner_is_rejected(network, province_admin):
    wb = stations_workbook(Station.objects.filter(code="36110214"))
    column = HEADERS.index("业主身份证号") + 1
    wb.worksheets[0].cell(row=2, column=column, value="3607**********9999")

    result = import_stations(io.BytesIO(workbook_bytes(wb)), "bad-mask.xlsx", province_admin)

    assert [(e.row, e.column) for e in result.errors] == [(2, "业主身份证号")]


def test_a_masked_id_number_cannot_name_an_owner_for_another_station(network, province_admin):
    wb = stations_workbook(Station.objects.filter(code__in=["36110214", "36110001"]))
    rows = list(wb.worksheets[0].iter_rows(min_row=2))
    owner_columns = range(HEADERS.index("业主姓名"), HEADERS.index("是否同意公开党员身份") + 1)
    donor = next(r for r in rows if r[0].value == "36110214")
    target = next(r for r in rows if r[0].value == "36110001")
    for index in owner_columns:
        target[index].value = donor[index].value

    result = import_stations(io.BytesIO(workbook_bytes(wb)), "copy.xlsx", province_admin)

    assert [(e.row, e.column) for e in result.errors] == [(2, "业主身份证号")]


def test_an_export_as_of_a_day_gives_the_status_then(network):
    wb = stations_workbook(Station.objects.all(), as_of=dt.date(2023, 5, 15))
    data = as_dicts(wb)
    assert set(data) == {"36040001", "36040002", "36110001", "36110002", "36110214"}
    lushan = data["36040002"]
    assert (lushan["状态"], lushan["状态日期"]) == ("规划中", dt.datetime(2023, 5, 2))
    assert data["36110001"]["状态"] == "营业中"
    early = as_dicts(stations_workbook(Station.objects.all(), as_of=dt.date(2021, 6, 15)))
    assert set(early) == {"36040001"}


def test_a_city_users_export_has_only_their_city(network, jiujiang_user):
    data = as_dicts(stations_workbook(Station.objects.restrict(jiujiang_user)))
    assert set(data) == {"36040001", "36040002"}


def test_the_cli_exports_one_city_to_a_workbook(network, tmp_path, capsys):
    out = tmp_path / "赣州.xlsx"
    call_command("network", "export", str(out), "--city", "赣州")
    assert "Wrote 3 stations" in capsys.readouterr().out
    rows = sheet_rows(load_workbook(out))
    assert [r[0] for r in rows[1:]] == ["36110001", "36110002", "36110214"]


def test_the_cli_export_applies_the_users_scope(network, jiujiang_user, tmp_path):
    out = tmp_path / "all.xlsx"
    call_command("network", "export", str(out), "--user", "jiujiang_user")
    assert [r[0] for r in sheet_rows(load_workbook(out))[1:]] == ["36040001", "36040002"]


def test_text_that_looks_like_a_formula_is_exported_as_text(db):
    wb = reread(table_workbook([Column("名称")], [['=HYPERLINK("http://x")']]))
    cell = wb.worksheets[0]["A2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_column_widths_fit_chinese_text(db):
    wb = table_workbook(["编号", Column("名称", width=30)], [["1", "兴国县潋江镇福彩投注站"]])
    ws = wb.worksheets[0]
    assert ws.column_dimensions["A"].width == 6
    assert ws.column_dimensions["B"].width == 30
    wide = table_workbook(["名称"], [["兴国县潋江镇福彩投注站"]]).worksheets[0]
    assert wide.column_dimensions["A"].width == 24


def test_xlsx_response_sends_a_download_with_a_chinese_file_name(db):
    response = xlsx_response(table_workbook(["a"], [[1]]), "赣州站点")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="export.xlsx"')
    assert "filename*=UTF-8''%E8%B5%A3%E5%B7%9E%E7%AB%99%E7%82%B9.xlsx" in disposition
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A2"].value == 1


@pytest.mark.parametrize("filename", ["stations.xlsx", "站点 2023.xlsx"])
def test_xlsx_response_keeps_an_ascii_fallback_name(db, filename):
    response = xlsx_response(table_workbook(["a"], []), filename)
    assert 'filename="' in response["Content-Disposition"]


def streamed(columns, rows):
    content = streamed_workbook([StreamedSheet("表", columns, rows), notes_sheet("说明", [])])
    return load_workbook(io.BytesIO(content))


def test_a_streamed_sheet_keeps_each_value_in_its_column_and_type(db):
    rows = [
        ['=HYPERLINK("http://x")', " 前后空格 ", None, dt.date(2022, 5, 1), Decimal("115.363189")],
        ["a\x07b<&>", "", 3, None, True],
    ]
    columns = ["名称", "地址", "人数", Column("日期", number_format=DATE_FORMAT), "经度"]
    ws = streamed(columns, rows).worksheets[0]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[1] == [
        '=HYPERLINK("http://x")',
        " 前后空格 ",
        None,
        dt.datetime(2022, 5, 1),
        115.363189,
    ]
    assert values[2] == ["ab<&>", None, 3, None, True]
    assert (ws["A2"].data_type, ws["D2"].number_format) == ("s", "yyyy-mm-dd")
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FFE8ECF1"
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A2", "A1:E3")


def test_a_streamed_sheet_fits_widths_like_the_openpyxl_tables(db):
    columns = ["编号", Column("名称", width=30), "名称"]
    name = "兴国县潋江镇福彩投注站"
    ws = streamed(columns, [["1", name, name]]).worksheets[0]
    widths = [ws.column_dimensions[c].width for c in "ABC"]
    assert widths == [6, 30, 24]
