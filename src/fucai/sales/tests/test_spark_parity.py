"""The same runners on DuckDB and on PySpark (local mode) give identical results.

One Spark session serves the whole module (starting it costs several seconds)."""

from __future__ import annotations

import datetime as dt

import pytest

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import MarketShareRunner, RankingRunner, SeriesRunner, YearToDateRunner
from fucai.analytics.scope import Scope
from fucai.sales.ingest.archive import import_archive
from fucai.sales.ingest.importer import import_files
from fucai.sales.tests.mof_workbook import write_mof_workbook
from fucai.sales.tests.test_analytics import AS_OF, HISTORY
from fucai.sales.tests.test_archive import ARCHIVE
from fucai.sales.tests.test_archive import workbook as archive_workbook

pyspark = pytest.importorskip("pyspark")
pytestmark = [pytest.mark.spark, pytest.mark.usefixtures("english")]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("fucai-parity")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "Asia/Shanghai")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def run_everything(context: AnalyticsContext, ganzhou_user) -> dict:
    """Every runner, every kind of join (station and game dimensions, the manager's validity
    range, a city scope's semi-join), the rollup-plus-days windows and the selling-day mode."""
    province = Scope.province()
    ytd = YearToDateRunner(context, province)
    series = SeriesRunner(context, province)
    ganzhou = Scope.for_user(ganzhou_user)
    return {
        "ytd_city_category": ytd.run(AS_OF, by="city,game_category").to_dict(),
        "ytd_ganzhou_with_archive": YearToDateRunner(context, ganzhou).run(AS_OF).to_dict(),
        "ytd_manager_selling_days": ytd.run(
            dt.date(2023, 2, 1), by="market_manager,party_member", compare="selling_days"
        ).to_dict(),
        "ranking_ganzhou": RankingRunner(context, ganzhou)
        .run(AS_OF, by="station", order="growth")
        .to_dict(),
        "monthly": series.monthly(AS_OF, by="game_category").to_dict(),
        "daily": series.daily(dt.date(2023, 1, 15), dt.date(2023, 3, 5), by="scene").to_dict(),
        "share": MarketShareRunner(context, province).run(AS_OF).to_dict(),
    }


def test_duckdb_and_spark_give_identical_results(
    network, store, write_csv, tmp_path, spark, ganzhou_user
):
    import ibis

    assert import_files(
        [write_csv("history.csv", HISTORY), write_mof_workbook(tmp_path / "mof.xlsx")],
        store=store,
        today=dt.date(2023, 12, 31),
    ).ok
    assert import_archive(archive_workbook(tmp_path / "archive.xlsx", ARCHIVE), store=store).ok
    on_duckdb = run_everything(AnalyticsContext("duckdb", store), ganzhou_user)
    on_spark = run_everything(
        AnalyticsContext("pyspark", store, con=ibis.pyspark.connect(spark)), ganzhou_user
    )
    assert on_duckdb["ytd_city_category"]["total"]["amount_yuan"] == "6500.00"
    assert on_duckdb["ranking_ganzhou"]["entries"][0]["key"] == "36110214"
    assert on_duckdb["share"]["national_rank"] == 3
    assert on_duckdb["ytd_city_category"]["history"]["2019"] == "7776.00"  # the archive's
    for name, result in on_duckdb.items():
        assert on_spark[name] == result, name
