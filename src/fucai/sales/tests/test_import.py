from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from fucai.sales.choices import ImportStatus
from fucai.sales.ingest.importer import ImportRefused, import_files
from fucai.sales.models import SalesImport

pytestmark = pytest.mark.usefixtures("english")

GOOD_ROWS = [
    ["36110214", "2023-03-01", "ssq", "1200.00", "600"],
    ["36110214", "2023-03-01", "即开票", "350.50", "35"],
    ["36040001", "2023-03-01", "福彩3D", "88.20", "44"],
    ["36110214", "2023-03-02", "kl8", "410", "205"],
]


def facts(store) -> list[tuple]:
    table = store.read_daily()
    return list(zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True))


def test_it_imports_a_good_daily_file_into_integer_fen(network, store, write_csv):
    outcome = import_files(
        [write_csv("day.csv", GOOD_ROWS)], store=store, today=dt.date(2023, 9, 3)
    )
    assert outcome.ok
    assert facts(store) == [
        (dt.date(2023, 3, 1), "36040001", "3d", 8820, 44),
        (dt.date(2023, 3, 1), "36110214", "instant", 35050, 35),
        (dt.date(2023, 3, 1), "36110214", "ssq", 120000, 600),
        (dt.date(2023, 3, 2), "36110214", "kl8", 41000, 205),
    ]
    assert store.read_daily().schema.field("amount_fen").type == pa.int64()
    record = SalesImport.objects.get()
    assert (record.status, record.rows, record.fact_rows, record.amount_fen) == (
        ImportStatus.SUCCEEDED,
        4,
        4,
        204870,
    )
    assert (record.first_day, record.last_day) == (dt.date(2023, 3, 1), dt.date(2023, 3, 2))
    assert len(record.file_sha256) == 64


def test_a_file_with_one_bad_row_changes_nothing_and_names_the_row(network, store, write_csv):
    import_files([write_csv("good.csv", GOOD_ROWS)], store=store, today=dt.date(2023, 9, 3))
    before = store.manifest()
    bad = [*GOOD_ROWS[:2], ["36110214", "2023-03-03", "ssq", "12.345", "6"], GOOD_ROWS[3]]
    outcome = import_files([write_csv("bad.csv", bad)], store=store, today=dt.date(2023, 9, 3))
    assert not outcome.ok
    assert outcome.error_count == 1
    assert [str(e) for e in outcome.errors] == [
        "bad.csv, row 4, column amount: malformed amount '12.345': "
        "yuan with at most two decimals, e.g. 1234.50"
    ]
    assert store.manifest() == before
    record = SalesImport.objects.get(file_name="bad.csv")
    assert (record.status, record.error_count) == (ImportStatus.FAILED, 1)
    assert record.errors[0]["row"] == 4


def test_it_names_every_kind_of_bad_row(network, store, write_csv):
    rows = [
        ["", "2023-03-01", "ssq", "1.00", "1"],
        ["36999999", "2023-03-01", "ssq", "1.00", "1"],
        ["36110214", "2023-02-30", "ssq", "1.00", "1"],
        ["36110214", "2023-03-01", "大乐透", "1.00", "1"],
        ["36110214", "2023-03-01", "ssq", "-5.00", "1"],
        ["36110214", "2023-03-01", "3d", "1.00", "two"],
        ["36110214", "2023-03-01", "qlc", "1.00", "1"],
        ["36110214", "2023-03-01", "QLC", "2.00", "1"],
        ["36110214", "2024-03-01", "qlc", "2.00", "1"],
    ]
    outcome = import_files([write_csv("many.csv", rows)], store=store, today=dt.date(2023, 9, 3))
    assert [(e.row, e.column, e.code) for e in outcome.errors] == [
        (2, "station_code", "required"),
        (3, "station_code", "unknown_station"),
        (4, "date", "bad_date"),
        (5, "game", "unknown_game"),
        (6, "amount", "negative_amount"),
        (7, "tickets", "bad_tickets"),
        (9, "game", "duplicate"),
        (10, "date", "date_out_of_range"),
    ]
    assert str(outcome.errors[6]) == (
        "many.csv, row 9, column game: "
        "game '七乐彩' again: same station, day and game as row 8 of many.csv"
    )  # the game as the catalogue spells it, whatever the file wrote
    assert store.manifest().version == 0


def test_errors_name_the_columns_as_the_file_names_them(network, store, write_csv):
    header = ["站点编号", "日期", "游戏", "销量(元)", "票数"]
    rows = [
        ["36110214", "2023-03-01", "ssq", "12.345", "1"],
        ["36110214", "2023-01-23", "福彩3d", "1.00", "1"],  # 春节休市: draw games stop
    ]
    path = write_csv("日报.csv", rows, header=header)
    outcome = import_files([path], store=store, today=dt.date(2023, 9, 3))
    assert [(e.row, e.column, e.code, e.value) for e in outcome.errors] == [
        (2, "销量(元)", "bad_amount", "12.345"),
        (3, "游戏", "suspended", "福彩3D"),
    ]
    assert str(outcome.errors[0]).startswith("日报.csv, row 2, column 销量(元): malformed amount")


def test_a_workbook_without_the_columns_says_which_sheet_was_read(network, store, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本文件为九月销量"])
    data = wb.create_sheet("销量")
    data.append(["站点编号", "日期", "游戏", "销量(元)", "票数"])
    data.append(["36110214", "2023-03-01", "ssq", "1.00", "1"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    outcome = import_files([path], store=store, today=dt.date(2023, 9, 3))
    assert [(e.code, e.detail) for e in outcome.errors] == [("missing_column_in_sheet", "说明")]
    assert "in sheet 说明, the workbook's first sheet" in str(outcome.errors[0])


def test_importing_the_same_file_twice_changes_nothing(network, store, write_csv):
    path = write_csv("day.csv", GOOD_ROWS)
    import_files([path], store=store, today=dt.date(2023, 9, 3))
    first = store.manifest()
    outcome = import_files([path], store=store, today=dt.date(2023, 9, 3))
    assert outcome.ok
    assert outcome.commit.changed_years == ()
    assert store.manifest().partitions == first.partitions
    assert len(facts(store)) == 4


CORRECTED = [
    ["36110214", "2023-03-01", "ssq", "1300.00", "650"],  # no instant row for that station-day
    ["36040001", "2023-03-01", "3d", "90.00", "45"],
]


def test_a_one_game_file_leaves_the_other_games_of_the_day_intact(network, store, write_csv):
    import_files([write_csv("day.csv", GOOD_ROWS)], store=store, today=dt.date(2023, 9, 3))
    outcome = import_files(
        [write_csv("fix.csv", CORRECTED)], store=store, today=dt.date(2023, 9, 3)
    )
    assert outcome.ok
    assert facts(store) == [
        (dt.date(2023, 3, 1), "36040001", "3d", 9000, 45),
        (dt.date(2023, 3, 1), "36110214", "instant", 35050, 35),  # not in the file: kept
        (dt.date(2023, 3, 1), "36110214", "ssq", 130000, 650),
        (dt.date(2023, 3, 2), "36110214", "kl8", 41000, 205),
    ]
    record = outcome.imports[0]
    assert record.mode == "cells"
    assert (record.replaced_rows, record.removed_rows, record.removed_amount_fen) == (2, 0, 128820)
    assert record.day_changes == [
        {
            "day": "2023-03-01",
            "replaced_rows": 2,
            "removed_rows": 0,
            "removed_fen": 128820,
            "added_rows": 2,
            "added_fen": 139000,
        }
    ]


def test_the_replace_days_mode_removes_the_stored_rows_the_file_lacks(network, store, write_csv):
    import_files([write_csv("day.csv", GOOD_ROWS)], store=store, today=dt.date(2023, 9, 3))
    outcome = import_files(
        [write_csv("fix.csv", CORRECTED)], store=store, today=dt.date(2023, 9, 3), mode="days"
    )
    assert outcome.ok
    assert facts(store) == [
        (dt.date(2023, 3, 1), "36040001", "3d", 9000, 45),
        (dt.date(2023, 3, 1), "36110214", "ssq", 130000, 650),
        (dt.date(2023, 3, 2), "36110214", "kl8", 41000, 205),  # a day the file lacks stays
    ]
    record = outcome.imports[0]
    assert (record.replaced_rows, record.removed_rows, record.removed_amount_fen) == (2, 1, 163870)


def test_the_replace_days_dry_run_reports_the_rows_it_would_remove(network, store, write_csv):
    import_files([write_csv("day.csv", GOOD_ROWS)], store=store, today=dt.date(2023, 9, 3))
    before = store.manifest()
    outcome = import_files(
        [write_csv("fix.csv", CORRECTED)],
        store=store,
        today=dt.date(2023, 9, 3),
        mode="days",
        dry_run=True,
    )
    assert outcome.ok
    assert store.manifest() == before
    record = SalesImport.objects.get(pk=outcome.imports[0].pk)
    assert record.dry_run and record.mode == "days"
    assert record.day_changes == [
        {
            "day": "2023-03-01",
            "replaced_rows": 2,
            "removed_rows": 1,
            "removed_fen": 163870,
            "added_rows": 2,
            "added_fen": 139000,
        }
    ]


def test_a_city_replacing_days_removes_only_its_own_stations_rows(
    network, store, write_csv, jiujiang_user
):
    import_files([write_csv("day.csv", GOOD_ROWS)], store=store, today=dt.date(2023, 9, 3))
    jiujiang_day = [["36040001", "2023-03-01", "kl8", "10.00", "5"]]
    outcome = import_files(
        [write_csv("jj.csv", jiujiang_day)],
        store=store,
        today=dt.date(2023, 9, 3),
        mode="days",
        user=jiujiang_user,
    )
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert facts(store) == [
        (dt.date(2023, 3, 1), "36040001", "kl8", 1000, 5),  # its 3d row went
        (dt.date(2023, 3, 1), "36110214", "instant", 35050, 35),  # another city's: kept
        (dt.date(2023, 3, 1), "36110214", "ssq", 120000, 600),
        (dt.date(2023, 3, 2), "36110214", "kl8", 41000, 205),
    ]
    assert outcome.imports[0].removed_rows == 1


def test_an_import_that_changes_nothing_keeps_the_store_version(network, store, write_csv):
    path = write_csv("day.csv", GOOD_ROWS)
    import_files([path], store=store, today=dt.date(2023, 9, 3))
    version = store.manifest().version
    outcome = import_files([path], store=store, today=dt.date(2023, 9, 3))
    assert outcome.ok and outcome.imports[0].replaced_rows == 4
    assert store.manifest().version == version


def test_draw_games_are_rejected_in_the_spring_festival_but_instant_tickets_sell(
    network, store, write_csv
):
    rows = [
        ["36110214", "2023-01-20", "ssq", "100.00", "50"],
        ["36110214", "2023-01-20", "即开票", "60.00", "6"],
    ]
    outcome = import_files([write_csv("cny.csv", rows)], store=store, today=dt.date(2023, 9, 3))
    assert [str(e) for e in outcome.errors] == [
        "cny.csv, row 2, column game: game '双色球' does not sell on 2023-01-20 2023年春节休市"
    ]
    assert import_files(
        [write_csv("cny2.csv", rows[1:])], store=store, today=dt.date(2023, 9, 3)
    ).ok
    assert facts(store) == [(dt.date(2023, 1, 20), "36110214", "instant", 6000, 6)]


def test_a_sale_before_the_station_opened_is_rejected(network, store, write_csv):
    rows = [
        ["36110001", "2023-02-28", "ssq", "10.00", "5"],
        ["36110001", "2023-03-01", "ssq", "10.00", "5"],
    ]
    outcome = import_files([write_csv("early.csv", rows)], store=store, today=dt.date(2023, 9, 3))
    assert [str(e) for e in outcome.errors] == [
        "early.csv, row 2, column date: station 36110001 was not open on 2023-02-28"
    ]


def test_a_sale_after_the_station_closed_is_rejected(network, store, write_csv):
    network["stations"]["xunyang"].transition("closed", dt.date(2023, 8, 1))
    rows = [
        ["36040001", "2023-07-31", "ssq", "10.00", "5"],
        ["36040001", "2023-08-01", "ssq", "10.00", "5"],
    ]
    outcome = import_files([write_csv("late.csv", rows)], store=store, today=dt.date(2023, 9, 3))
    assert [(e.row, e.code) for e in outcome.errors] == [(3, "station_not_open")]


def test_a_city_user_imports_only_its_own_stations(
    network, store, write_csv, ganzhou_user, owner_user
):
    outcome = import_files(
        [write_csv("gz.csv", GOOD_ROWS)], user=ganzhou_user, store=store, today=dt.date(2023, 9, 3)
    )
    assert [str(e) for e in outcome.errors] == [
        "gz.csv, row 4, column station_code: unknown station code 36040001"
    ]
    ours = [r for r in GOOD_ROWS if r[0].startswith("3611")]
    assert import_files(
        [write_csv("gz2.csv", ours)], user=ganzhou_user, store=store, today=dt.date(2023, 9, 3)
    ).ok
    assert SalesImport.objects.get(file_name="gz2.csv").city == ganzhou_user.city
    with pytest.raises(ImportRefused):
        import_files([write_csv("own.csv", ours)], user=owner_user, store=store)


def test_ticket_level_transactions_are_aggregated_to_daily_facts(network, store, write_csv):
    header = ["station_code", "timestamp", "game", "amount", "ticket_id"]
    rows = [
        ["36110214", "2023-03-01 09:15:02", "ssq", "2.00", "T1"],
        ["36110214", "2023-03-01 20:59:59", "ssq", "10.00", "T2"],
        ["36110214", "2023-03-02T08:00:00", "刮刮乐", "20", "T3"],
        ["36040001", "2023/03/01 12:00:00", "快乐8", "4.00", "T4"],
    ]
    assert import_files(
        [write_csv("tickets.csv", rows, header)], store=store, today=dt.date(2023, 9, 3)
    ).ok
    assert facts(store) == [
        (dt.date(2023, 3, 1), "36040001", "kl8", 400, 1),
        (dt.date(2023, 3, 1), "36110214", "ssq", 1200, 2),
        (dt.date(2023, 3, 2), "36110214", "instant", 2000, 1),
    ]
    rows.append(["36110214", "2023-03-01 21:00:00", "ssq", "2.00", "T1"])
    outcome = import_files(
        [write_csv("dup.csv", rows, header)], store=store, today=dt.date(2023, 9, 3)
    )
    assert [(e.row, e.code) for e in outcome.errors] == [(6, "duplicate_ticket")]


def test_two_files_of_a_batch_may_not_cover_the_same_station_day(network, store, write_csv):
    a = write_csv("a.csv", GOOD_ROWS[:1])
    b = write_csv("b.csv", [["36110214", "2023-03-01", "kl8", "5.00", "2"]])
    outcome = import_files([a, b], store=store, today=dt.date(2023, 9, 3))
    assert [str(e) for e in outcome.errors] == [
        "b.csv, row 2, column station_code: station 36110214 on 2023-03-01 is also in a.csv; "
        "each station-day comes from one file"
    ]
    assert SalesImport.objects.get(file_name="a.csv").status == ImportStatus.FAILED


def test_excel_and_parquet_files_are_read_like_csv(network, store, tmp_path):
    import pyarrow.parquet as pq
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["站点编号", "日期", "游戏", "销量(元)", "票数"])
    ws.append(["36110214", dt.date(2023, 3, 1), "双色球", 1200.5, 600])
    ws.append(["36110214", dt.date(2023, 3, 1), "临川四梦", 30, 3])
    wb.save(tmp_path / "day.xlsx")
    pq.write_table(
        pa.table(
            {
                "station_code": ["36040001"],
                "date": pa.array([dt.date(2023, 3, 1)], pa.date32()),
                "game": ["qlc"],
                "amount": pa.array([0.1 + 0.2]),
                "tickets": [1],
            }
        ),
        tmp_path / "day.parquet",
    )
    outcome = import_files(
        [tmp_path / "day.xlsx", tmp_path / "day.parquet"], store=store, today=dt.date(2023, 9, 3)
    )
    assert [str(e) for e in outcome.errors] == [
        "day.parquet, row 1, column amount: malformed amount '0.30000000000000004': "
        "yuan with at most two decimals, e.g. 1234.50"
    ]
    pq.write_table(
        pa.table(
            {
                "station_code": ["36040001"],
                "date": pa.array([dt.date(2023, 3, 1)], pa.date32()),
                "game": ["qlc"],
                "amount": pa.array([0.3]),
                "tickets": [1],
            }
        ),
        tmp_path / "day.parquet",
    )
    assert import_files(
        [tmp_path / "day.xlsx", tmp_path / "day.parquet"], store=store, today=dt.date(2023, 9, 3)
    ).ok
    assert facts(store) == [
        (dt.date(2023, 3, 1), "36040001", "qlc", 30, 1),
        (dt.date(2023, 3, 1), "36110214", "instant", 3000, 3),
        (dt.date(2023, 3, 1), "36110214", "ssq", 120050, 600),
    ]


def test_a_missing_column_is_named(network, store, write_csv):
    path = write_csv(
        "cols.csv", [["36110214", "2023-03-01", "ssq", "1.00"]], header=DAILY_HEADER_NO_TICKETS
    )
    outcome = import_files([path], store=store)
    assert [str(e) for e in outcome.errors] == [
        "cols.csv: missing column(s) 票数 (tickets) (see docs/formats.md)"
    ]


DAILY_HEADER_NO_TICKETS = ["station_code", "date", "game", "amount"]
