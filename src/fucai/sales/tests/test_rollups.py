"""The store's rollups are exact sums of its daily facts, and the runners give the same answers
from the ytd rollup, from the monthly rollup and daily facts, and from slices narrowed in
memory."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fucai.analytics.backends import AnalyticsContext, result_cache
from fucai.analytics.runners import RankingRunner, SeriesRunner, YearToDateRunner
from fucai.analytics.scope import Scope
from fucai.sales.ingest.importer import import_files
from fucai.sales.store import (
    DAILY_SCHEMA,
    MANIFEST,
    MONTHLY,
    YTD,
    YTD_COLUMNS,
    SalesStore,
    ytd_column,
)
from fucai.sales.tests.test_analytics import AS_OF, HISTORY

pytestmark = pytest.mark.usefixtures("english")


def daily(rows: list[tuple]) -> pa.Table:
    cols = list(zip(*rows, strict=True))
    return pa.table(
        [pa.array(c, f.type) for c, f in zip(cols, DAILY_SCHEMA, strict=True)], schema=DAILY_SCHEMA
    )


def ytd_rows(store: SalesStore, year: int) -> dict[tuple[str, str], dict[str, int]]:
    path = store.root / store.manifest().partitions[YTD][year]
    return {(r["station_code"], r["game"]): r for r in pq.read_table(path).to_pylist()}


def test_the_ytd_rollup_holds_the_year_to_date_at_the_end_of_every_day(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(
        daily(
            [
                (dt.date(2023, 1, 1), "36110214", "ssq", 100, 1),
                (dt.date(2023, 2, 28), "36110214", "ssq", 20, 1),
                (dt.date(2023, 3, 1), "36110214", "ssq", 3, 1),
                (dt.date(2023, 12, 31), "36040001", "instant", 7, 1),
                (dt.date(2024, 2, 28), "36110214", "ssq", 5, 1),
                (dt.date(2024, 2, 29), "36110214", "ssq", 40, 1),
            ]
        )
    )
    rows = ytd_rows(store, 2023)
    assert list(rows) == [("36040001", "instant"), ("36110214", "ssq")]  # sorted pairs
    ssq = rows[("36110214", "ssq")]
    assert (ssq["d0101"], ssq["d0227"], ssq["d0228"], ssq["d0229"], ssq["d0301"]) == (
        100,
        100,
        120,
        120,  # no 29 February in 2023: the day before repeats
        123,
    )
    assert ssq["d1231"] == 123 and ssq["year"] == 2023
    instant = rows[("36040001", "instant")]
    assert (instant["d1230"], instant["d1231"]) == (0, 7)
    leap = ytd_rows(store, 2024)[("36110214", "ssq")]
    assert (leap["d0228"], leap["d0229"], leap["d0301"], leap["d1231"]) == (5, 45, 45, 45)
    assert store.manifest().rows[YTD] == {2023: 2, 2024: 1}


def test_the_rollups_are_exact_sums_of_random_facts(tmp_path):
    rng = np.random.default_rng(7)
    rows = []
    for day in (dt.date(2022, 1, 1) + dt.timedelta(days=i) for i in range(0, 730, 3)):
        for station in ("36110214", "36110001", "36040001", "36040002"):
            for game in ("3d", "instant", "ssq"):
                if rng.random() < 0.7:
                    rows.append((day, station, game, int(rng.integers(1, 10**9)), 1))
    store = SalesStore(tmp_path)
    store.write_facts(daily(rows))
    for year in (2022, 2023):
        expected: dict[tuple[str, str], np.ndarray] = {}
        for day, station, game, fen, _tickets in rows:
            if day.year == year:
                cum = expected.setdefault((station, game), np.zeros(366, np.int64))
                cum[YTD_COLUMNS.index(ytd_column(day)) :] += fen
        got = ytd_rows(store, year)
        assert set(got) == set(expected)
        for pair, cum in expected.items():
            assert [got[pair][c] for c in YTD_COLUMNS] == cum.tolist()
    monthly = pq.read_table(store.paths(MONTHLY)[0]).to_pylist()
    for row in monthly[:50]:
        assert row["amount_fen"] == sum(
            fen
            for day, station, game, fen, _ in rows
            if (day.replace(day=1), station, game)
            == (row["month"], row["station_code"], row["game"])
        )


def test_a_corrected_station_day_rewrites_its_years_ytd_rollup_only(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(
        daily(
            [
                (dt.date(2022, 3, 1), "36110214", "ssq", 100, 1),
                (dt.date(2023, 3, 1), "36110214", "ssq", 200, 1),
                (dt.date(2023, 3, 1), "36110214", "instant", 50, 1),
            ]
        )
    )
    before = store.manifest().partitions[YTD][2022]
    store.write_facts(daily([(dt.date(2023, 3, 1), "36110214", "ssq", 999, 1)]))
    assert store.manifest().partitions[YTD][2022] == before
    rows = ytd_rows(store, 2023)
    assert list(rows) == [("36110214", "ssq")]  # the replaced station-day's instant row went
    assert (rows[("36110214", "ssq")]["d0228"], rows[("36110214", "ssq")]["d0301"]) == (0, 999)


def without_ytd(store: SalesStore) -> None:
    """Make the store look as one written before the ytd rollup existed."""
    data = json.loads((store.root / MANIFEST).read_text())
    data["partitions"].pop(YTD, None)
    data["rows"].pop(YTD, None)
    (store.root / MANIFEST).write_text(json.dumps(data))


def test_rebuilding_the_rollups_writes_the_ytd_rollup_a_store_lacked(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(daily([(dt.date(2023, 3, 1), "36110214", "ssq", 200, 1)]))
    expected = ytd_rows(store, 2023)
    without_ytd(store)
    assert store.manifest().years(YTD) == []
    store.rebuild_rollups()
    assert ytd_rows(store, 2023) == expected


@pytest.fixture
def imported(network, store, write_csv) -> SalesStore:
    assert import_files(
        [write_csv("history.csv", HISTORY)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    return store


def answers(context: AnalyticsContext, scope: Scope) -> dict:
    result_cache().clear()
    ytd, ranking = YearToDateRunner(context, scope), RankingRunner(context, scope)
    return {
        "city": ytd.run(AS_OF, by="city").to_dict(),
        "station_category": ytd.run(AS_OF, by="station,game_category").to_dict(),
        "province_game": ytd.run(AS_OF, by="province,game", history=False).to_dict(),
        "selling_days": ytd.run(dt.date(2023, 2, 1), by="scene", compare="selling_days").to_dict(),
        "leap_day": ytd.run(dt.date(2024, 2, 29), by="party_member").to_dict(),
        "ranking": ranking.run(AS_OF, by="station", top=2).to_dict(),
        "growth": ranking.run(AS_OF, by="county", order="growth", bottom=True).to_dict(),
        "monthly": SeriesRunner(context, scope).monthly(AS_OF, by="game_category").to_dict(),
        "monthly_start": SeriesRunner(context, scope).monthly(dt.date(2023, 1, 20)).to_dict(),
    }


@pytest.mark.parametrize("scope", [Scope.province(), Scope.city("360700")], ids=["all", "city"])
def test_runners_answer_the_same_from_the_ytd_rollup_and_from_the_facts(imported, scope):
    context = AnalyticsContext(backend="duckdb", store=imported)
    assert context.has_ytd
    from_rollup = answers(context, scope)
    without_ytd(imported)
    facts_context = AnalyticsContext(backend="duckdb", store=imported)
    assert not facts_context.has_ytd
    assert answers(facts_context, scope) == from_rollup
    assert from_rollup["city"]["total"]["amount_yuan"] == (
        "6500.00" if scope.everything else "3000.00"
    )


def test_a_city_served_from_the_provinces_slice_equals_a_city_fetched_alone(imported):
    ganzhou = Scope.city("360700")
    alone = answers(AnalyticsContext(backend="duckdb", store=imported), ganzhou)
    context = AnalyticsContext(backend="duckdb", store=imported)
    answers(context, Scope.province())
    fetched = []
    original = context.slices.covering

    def covering(scope, columns, fetch, lookup):
        return original(scope, columns, lambda c: fetched.append(c) or fetch(c), lookup)

    context.slices.covering = covering
    assert answers(context, ganzhou) == alone
    assert fetched == []  # everything came from the province's slices, narrowed in memory


@pytest.mark.parametrize(
    "scope",
    [Scope.province(), Scope.city("360700"), Scope.stations({"36110214", "36040002"})],
    ids=["all", "city", "stations"],
)
def test_a_slice_read_with_arrow_holds_the_rows_the_ibis_expression_gives(imported, scope):
    from fucai.analytics.runners import Runner

    runner = Runner(AnalyticsContext(backend="duckdb", store=imported), scope)
    columns = ("d0228", "d0903")
    by_arrow = runner._fetch_slice(columns)
    by_ibis = runner.tables.projected("ytd", ("year", "station_code", "game", *columns))

    def rows(table):
        return sorted(tuple(r.values()) for r in table.to_pylist())

    assert rows(by_arrow) == rows(by_ibis.to_pyarrow())
    assert (
        len(by_arrow)
        == {"all": 10, "city": 4, "stations": 3}[
            "all" if scope.everything else "city" if scope.city_code else "stations"
        ]
    )


def rollups(store: SalesStore, year: int) -> tuple[list, list]:
    return tuple(store.read_year(ds, year).to_pylist() for ds in (MONTHLY, YTD))


@pytest.mark.parametrize("mode", ["cells", "days", "station_days"])
def test_a_patched_year_has_the_rollups_a_rebuild_gives(tmp_path, mode):
    import duckdb

    store = SalesStore(tmp_path)
    store.write_facts(
        daily(
            [
                (dt.date(2023, 1, 5), "36110214", "ssq", 100, 1),
                (dt.date(2023, 3, 1), "36040001", "kl8", 70, 1),  # its pair only sells this day
                (dt.date(2023, 3, 1), "36110214", "instant", 50, 5),
                (dt.date(2023, 3, 1), "36110214", "ssq", 200, 1),
                (dt.date(2023, 3, 2), "36110214", "ssq", 30, 1),
                (dt.date(2023, 9, 3), "36110214", "3d", 9, 1),
            ]
        )
    )
    con = duckdb.connect()
    con.register(
        "fix",
        daily(
            [
                (dt.date(2023, 3, 1), "36110001", "qlc", 11, 1),  # a new pair
                (dt.date(2023, 3, 1), "36110214", "ssq", 250, 2),
                (dt.date(2023, 9, 3), "36110214", "3d", 19, 1),
            ]
        ),
    )
    result = store.commit_facts(con, "fix", mode=mode)
    assert result.changed_years == (2023,)
    patched = rollups(store, 2023)
    store.rebuild_rollups()
    assert patched == rollups(store, 2023)
    kept = {(r["station_code"], r["game"]) for r in patched[1]}
    assert (("36040001", "kl8") in kept) == (mode != "days")  # gone when its day is replaced
