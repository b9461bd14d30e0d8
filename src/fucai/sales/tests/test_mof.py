from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import MarketShareRunner
from fucai.analytics.scope import Scope
from fucai.sales.choices import ImportKind, ImportStatus
from fucai.sales.ingest.importer import import_files
from fucai.sales.models import MofReport, SalesImport
from fucai.sales.tests.mof_workbook import ROWS, write_mof_workbook

pytestmark = pytest.mark.usefixtures("english")


def test_the_ministry_table_is_imported_in_fen_per_region_and_lottery(db, store, tmp_path):
    outcome = import_files([write_mof_workbook(tmp_path / "mof-2023-08.xlsx")], store=store)
    assert outcome.ok, [str(e) for e in outcome.errors]
    jiangxi = MofReport.objects.get(year=2023, month=8, region="江西", lottery="welfare")
    assert jiangxi.ytd_amount_fen == 2_965_001_200_00  # 296,500.12 万元 = 2,965,001,200.00 yuan
    assert (jiangxi.month_yoy_pct, jiangxi.ytd_yoy_pct) == (Decimal("20.50"), Decimal("26.60"))
    assert (
        MofReport.objects.get(year=2023, month=8, region="西藏", lottery="welfare").ytd_yoy_pct
        is None
    )
    assert MofReport.objects.filter(year=2023, month=8).count() == len(ROWS) * 3
    record = SalesImport.objects.get()
    assert (record.kind, record.status, record.rows) == (ImportKind.MOF, ImportStatus.SUCCEEDED, 5)


def test_reimporting_a_month_replaces_it(db, store, tmp_path):
    import_files([write_mof_workbook(tmp_path / "a.xlsx")], store=store)
    rows = [r[:] for r in ROWS[:3]]
    rows[2][3] = 300000
    import_files([write_mof_workbook(tmp_path / "b.xlsx", rows=rows)], store=store)
    assert MofReport.objects.filter(year=2023, month=8).count() == 9
    assert (
        MofReport.objects.get(region="江西", lottery="welfare").ytd_amount_fen
        == 300_000 * 10_000 * 100
    )


def test_a_bad_number_names_the_row_and_column(db, store, tmp_path):
    rows = [r[:] for r in ROWS]
    rows[2][3] = "29万"
    outcome = import_files([write_mof_workbook(tmp_path / "bad.xlsx", rows=rows)], store=store)
    assert [str(e) for e in outcome.errors] == [
        "bad.xlsx, row 7, column 本年累计: '29万' is not a number"
    ]
    assert not MofReport.objects.exists()


def test_a_city_user_may_not_import_the_ministry_table(db, store, tmp_path, ganzhou_user):
    outcome = import_files(
        [write_mof_workbook(tmp_path / "m.xlsx")], store=store, user=ganzhou_user
    )
    assert [e.code for e in outcome.errors] == ["mof_not_allowed"]


def test_market_share_and_national_rank(db, store, tmp_path):
    import_files([write_mof_workbook(tmp_path / "m.xlsx")], store=store)
    share = MarketShareRunner(AnalyticsContext("duckdb", store), Scope.province()).run(
        dt.date(2023, 9, 3)
    )
    assert (share.year, share.month, share.region) == (2023, 8, "江西")
    assert share.welfare_share_pct == Decimal("41.4")  # 296,500.12 / (296,500.12 + 420,000)
    assert (share.national_rank, share.regions_ranked) == (3, 4)  # after 广东 and 湖南
    assert share.national_share_pct == Decimal("2.8")
    assert (
        MarketShareRunner(AnalyticsContext("duckdb", store), Scope.province()).run(
            dt.date(2023, 7, 31)
        )
        is None
    )
