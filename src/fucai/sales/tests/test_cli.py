from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from fucai.sales.choices import GameCategory
from fucai.sales.tests.test_analytics import HISTORY

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def imported(network, store, write_csv, tmp_path, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2023, 12, 31))
    call_command("sales", "import", str(write_csv("history.csv", HISTORY)), "--no-progress")
    return store


def test_the_summary_json_has_the_documented_keys_and_yuan_strings(imported, capsys):
    capsys.readouterr()
    call_command(
        "sales",
        "summary",
        "--as-of",
        "2023-09-03",
        "--by",
        "city,game_category",
        "--format",
        "json",
    )
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2023-09-03"
    assert data["window"] == {"start": "2023-01-01", "end": "2023-09-03"}
    assert data["prior_window"] == {"start": "2022-01-01", "end": "2022-09-03"}
    assert data["total"] == {
        "amount_yuan": "6500.00",
        "prior_amount_yuan": "5400.00",
        "yoy_pct": "20.4",
        "record_high": True,
        "since": 2021,
    }
    assert data["by_category"]["instant"]["yoy_pct"] == "360.0"
    assert data["groups"][0] == {
        "key": "360400/draw",
        "name": f"九江市 / {GameCategory.DRAW.label}",
        "keys": {"city": "360400", "game_category": "draw"},
        "amount_yuan": "2500.00",
        "prior_amount_yuan": "3400.00",
        "yoy_pct": "-26.5",
        "record_high": False,
        "since": 2021,
    }


def test_the_summary_for_a_ganzhou_user_excludes_jiujiang(imported, capsys, ganzhou_user):
    capsys.readouterr()
    call_command(
        "sales",
        "summary",
        "--as-of",
        "2023-09-03",
        "--by",
        "city",
        "--user",
        "ganzhou_user",
        "--format",
        "json",
    )
    data = json.loads(capsys.readouterr().out)
    assert [g["name"] for g in data["groups"]] == ["赣州市"]
    assert data["total"]["amount_yuan"] == "3000.00"


def test_the_summary_as_a_table_and_as_excel(imported, capsys, tmp_path):
    from openpyxl import load_workbook

    capsys.readouterr()
    call_command("sales", "summary", "--as-of", "2023-09-03", "--by", "station", "--top", "1")
    text = capsys.readouterr().out
    assert text.splitlines()[1].split() == [
        "Code",
        "Name",
        "Year",
        "to",
        "date",
        "(10k",
        "yuan)",
        "Same",
        "period",
        "last",
        "year",
        "(10k",
        "yuan)",
        "YoY",
        "Record",
        "high",
    ]
    # daily history from 2021 only: a high since then, not an all-time record (the cockpit's words)
    assert text.splitlines()[2].split() == [
        "Total",
        "0.65",
        "0.54",
        "20.4%",
        "Highest",
        "since",
        "2021",
    ]
    assert "36040001" in text and "36110001" not in text
    out = tmp_path / "summary.xlsx"
    call_command(
        "sales",
        "summary",
        "--as-of",
        "2023-09-03",
        "--by",
        "city",
        "--format",
        "xlsx",
        "--out",
        str(out),
    )
    wb = load_workbook(out)
    assert [c.value for c in wb["概要"][2]] == ["total", "合计", 6500, 5400, 20.4, "是"]
    assert [c.value for c in wb["分组"][2]][:3] == ["360400", "九江市", 3500]


def test_the_summary_table_is_in_chinese_in_10k_yuan_and_lines_up(imported, capsys):
    from fucai.network.tests.test_summary import column_edges

    capsys.readouterr()
    call_command("sales", "summary", "--as-of", "2023-09-03", "--by", "city", "--lang", "zh-hans")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("销量，截至 2023-09-03（全省）：2023-01-01 至 2023-09-03")
    assert lines[0].endswith("（去年同期（同日历日））")  # the comparison as the cockpit names it
    assert lines[1].split() == [
        "代码",
        "名称",
        "本年累计（万元）",
        "去年同期（万元）",
        "同比",
        "创历史新高",
    ]
    assert lines[2].split() == ["合计", "0.65", "0.54", "20.4%", "2021年以来新高"]
    assert lines[3].split()[:2] == ["电脑票", "0.42"]
    cities = [line.split() for line in lines[5:]]
    assert [c[:3] for c in cities] == [["360400", "九江市", "0.35"], ["360700", "赣州市", "0.30"]]
    # name and figure columns line up in display columns, whatever the width of the names
    edges = [column_edges(line)[:4] for line in [lines[1], *lines[5:]]]
    assert all(e == edges[0] for e in edges[1:])


def test_xlsx_without_out_is_refused_before_anything_is_computed(monkeypatch):
    import fucai.sales.summary

    def computed(*args, **kwargs):
        raise AssertionError("the summary was computed")

    monkeypatch.setattr(fucai.sales.summary, "sales_summary", computed)
    args = ("sales", "summary", "--as-of", "2023-09-03", "--format", "xlsx")
    with pytest.raises(CommandError, match=r"name it with --out FILE\.xlsx"):
        call_command(*args)
    with pytest.raises(CommandError, match=r"请用 --out 文件名\.xlsx 指定文件"):
        call_command(*args, "--lang", "zh-hans")


def test_a_failed_import_exits_with_an_error_and_names_the_row(network, store, write_csv, capsys):
    bad = write_csv("bad.csv", [["36110214", "2023-03-01", "ssq", "abc", "1"]])
    with pytest.raises(CommandError, match="1 error"):
        call_command("sales", "import", str(bad), "--no-progress")
    assert "bad.csv, row 2, column amount" in capsys.readouterr().err


def test_a_dry_run_checks_the_file_and_imports_nothing(network, store, write_csv, capsys):
    from fucai.sales.models import SalesImport

    call_command(
        "sales", "import", str(write_csv("check.csv", HISTORY)), "--dry-run", "--no-progress"
    )
    assert "Dry run: no errors found; nothing was imported." in capsys.readouterr().out
    assert store.manifest().version == 0
    record = SalesImport.objects.get()
    assert (record.dry_run, record.status, record.rows) == (True, "succeeded", len(HISTORY))
    bad = [*HISTORY, ["36110214", "2023-03-01", "ssq", "12.345", "1"]]
    with pytest.raises(CommandError, match="1 error"):
        call_command(
            "sales", "import", str(write_csv("bad.csv", bad)), "--dry-run", "--no-progress"
        )
    assert store.manifest().version == 0


def test_replace_days_reports_the_stored_rows_it_removes(network, store, write_csv, capsys):
    rows = [
        ["36110214", "2023-03-01", "ssq", "1200.00", "600"],
        ["36110214", "2023-03-01", "kl8", "100.00", "50"],
    ]
    call_command("sales", "import", str(write_csv("day.csv", rows)), "--no-progress")
    fix = write_csv("fix.csv", rows[:1])
    call_command("sales", "import", str(fix), "--replace-days", "--dry-run", "--no-progress")
    out = capsys.readouterr().out
    assert "Stored rows replaced: 1, removed: 1 (1300.00 yuan)" in out
    assert "2023-03-01: replaced 1, removed 1, amount removed 1300.00 yuan, added 1 rows" in out
    assert store.read_daily().num_rows == 2


def test_a_refused_import_ends_in_the_users_language(network, store, write_csv, capsys):
    from django.utils import translation

    bad = write_csv("bad.csv", [["36110214", "2023-03-01", "ssq", "abc", "1"]])
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("sales", "import", str(bad), "--no-progress")
    assert str(refused.value) == "1 处错误；未导入任何数据。"
    assert "bad.csv, 第 2 行" in capsys.readouterr().err
