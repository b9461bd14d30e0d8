"""A year's daily facts are one file per month: a correction of some days rewrites their months'
files only, and a store written before (one daily file a year, manifest format 1) is read as it
is and split into month files the first time a commit patches its year."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fucai.sales.store import (
    DAILY,
    DAILY_SCHEMA,
    MANIFEST,
    MONTHLY,
    WHOLE_YEAR,
    YTD,
    SalesStore,
    write_json_atomic,
)

ROWS = [
    (dt.date(2022, 12, 30), "36110214", "ssq", 70, 1),
    (dt.date(2023, 1, 5), "36110214", "ssq", 100, 1),
    (dt.date(2023, 1, 31), "36040001", "kl8", 40, 2),
    (dt.date(2023, 3, 1), "36040001", "kl8", 70, 1),
    (dt.date(2023, 3, 1), "36110214", "instant", 50, 5),
    (dt.date(2023, 3, 2), "36110214", "ssq", 30, 1),
    (dt.date(2023, 9, 3), "36110214", "3d", 9, 1),
]
FIX = [
    (dt.date(2023, 3, 1), "36110001", "qlc", 11, 1),  # a new pair
    (dt.date(2023, 3, 1), "36110214", "instant", 55, 6),
]


def daily(rows: list[tuple]) -> pa.Table:
    cols = list(zip(*rows, strict=True))
    return pa.table(
        [pa.array(c, f.type) for c, f in zip(cols, DAILY_SCHEMA, strict=True)], schema=DAILY_SCHEMA
    )


def commit(store: SalesStore, rows: list[tuple], mode: str = "cells", progress=None):
    con = duckdb.connect()
    con.register("fix", daily(rows))
    try:
        return store.commit_facts(con, "fix", mode=mode, progress=progress)
    finally:
        con.close()


def stored(store: SalesStore) -> list[tuple]:
    return [tuple(r.values()) for r in store.read_daily().to_pylist()]


def rollups(store: SalesStore, year: int) -> tuple[list, list]:
    return tuple(store.read_year(ds, year).to_pylist() for ds in (MONTHLY, YTD))


def as_format_1(store: SalesStore) -> None:
    """Rewrite a store as the code before month files wrote it: one daily file per year, named
    by a format-1 manifest (the rollups are unchanged)."""
    data = json.loads((store.root / MANIFEST).read_text())
    manifest = store.manifest()
    for year in manifest.years():
        rel = f"daily/year={year}/v{manifest.version:06d}-old.parquet"
        files = [store.root / f for f in manifest.daily_files(year).values()]
        year_facts = pa.concat_tables(pq.read_table(f, schema=DAILY_SCHEMA) for f in files)
        pq.write_table(year_facts, store.root / rel)
        for f in files:
            f.unlink()
        data["partitions"][DAILY][str(year)] = rel
        rel = f"monthly/year={year}/v{manifest.version:06d}-old.parquet"
        files = [store.root / f for f in manifest.month_files(MONTHLY, year).values()]
        pq.write_table(pa.concat_tables(pq.read_table(f) for f in files), store.root / rel)
        for f in files:
            f.unlink()
        data["partitions"][MONTHLY][str(year)] = rel
    data["format"] = 1
    write_json_atomic(store.root / MANIFEST, data)


def test_a_year_is_written_as_one_daily_and_one_monthly_file_per_month_with_facts(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(daily(ROWS))
    manifest = store.manifest()
    assert {y: sorted(manifest.daily_files(y)) for y in manifest.years()} == {
        2022: [12],
        2023: [1, 3, 9],
    }
    assert manifest.rows[DAILY] == {2022: 1, 2023: 6}
    assert sorted(manifest.month_files(MONTHLY, 2023)) == [1, 3, 9]
    assert manifest.rows[MONTHLY] == {2022: 1, 2023: 6}
    data = json.loads((store.root / MANIFEST).read_text())
    assert data["format"] == 2 and sorted(data["partitions"][DAILY]["2023"]) == ["1", "3", "9"]
    march = pq.read_table(store.root / manifest.daily_files(2023)[3], schema=DAILY_SCHEMA)
    assert [tuple(r.values()) for r in march.to_pylist()] == ROWS[3:6]
    assert stored(store) == ROWS


@pytest.mark.parametrize("mode", ["cells", "days"])
def test_a_correction_of_one_day_rewrites_its_months_file_only(tmp_path, mode):
    store = SalesStore(tmp_path)
    store.write_facts(daily(ROWS))
    before = store.manifest().daily_files(2023)
    before_monthly = store.manifest().month_files(MONTHLY, 2023)
    result = commit(store, FIX, mode)
    assert result.changed_years == (2023,)
    after = store.manifest().daily_files(2023)
    assert sorted(after) == [1, 3, 9]
    assert {m: after[m] == before[m] for m in after} == {1: True, 3: False, 9: True}
    assert before[3] in store.manifest().retired
    monthly = store.manifest().month_files(MONTHLY, 2023)
    assert {m: monthly[m] == before_monthly[m] for m in monthly} == {1: True, 3: False, 9: True}
    kept = [r for r in ROWS if r[0] != dt.date(2023, 3, 1)]
    if mode == "cells":  # the other cells of the day stay
        kept.append((dt.date(2023, 3, 1), "36040001", "kl8", 70, 1))
    assert stored(store) == sorted(kept + FIX, key=lambda r: r[:3])
    assert store.manifest().rows[DAILY][2023] == len([r for r in kept + FIX if r[0].year == 2023])
    patched = rollups(store, 2023)
    store.rebuild_rollups()
    assert patched == rollups(store, 2023)


def test_a_store_of_one_daily_file_a_year_is_read_and_split_into_months_on_its_first_patch(
    tmp_path,
):
    old = SalesStore(tmp_path / "old")
    old.write_facts(daily(ROWS))
    as_format_1(old)
    manifest = old.manifest()
    assert manifest.daily_files(2023) == {WHOLE_YEAR: "daily/year=2023/v000001-old.parquet"}
    assert stored(old) == ROWS  # read as it is
    whole = old.root / manifest.daily_files(2023)[WHOLE_YEAR]

    commit(old, FIX)  # patches 2023: the year is written as month files
    migrated = old.manifest()
    assert sorted(migrated.daily_files(2023)) == [1, 3, 9]
    assert sorted(migrated.month_files(MONTHLY, 2023)) == [1, 3, 9]
    assert migrated.daily_files(2022) == manifest.daily_files(2022)  # not touched: as it was
    assert migrated.month_files(MONTHLY, 2022) == {
        WHOLE_YEAR: manifest.partitions[MONTHLY][2022][0]
    }
    assert str(whole.relative_to(old.root)) in migrated.retired
    assert json.loads((old.root / MANIFEST).read_text())["format"] == 2

    new = SalesStore(tmp_path / "new")
    new.write_facts(daily(ROWS))
    commit(new, FIX)
    assert stored(old) == stored(new)
    assert rollups(old, 2023) == rollups(new, 2023)
    assert migrated.rows == new.manifest().rows


def test_day_changes_read_a_store_of_one_daily_file_a_year(tmp_path):
    from fucai.sales.store import Removal

    store = SalesStore(tmp_path)
    store.write_facts(daily(ROWS))
    as_format_1(store)
    con = duckdb.connect()
    con.register("fix", daily(FIX))
    changes = store.day_changes(con, "fix", Removal("days"))
    con.close()
    assert changes == [
        {
            "day": "2023-03-01",
            "replaced_rows": 1,
            "removed_rows": 1,
            "removed_fen": 120,
            "added_rows": 2,
            "added_fen": 66,
        }
    ]


def test_a_commit_reports_its_progress_as_each_months_file_and_rollup_is_written(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(daily(ROWS))
    shares: list[float] = []
    fix = [*FIX, (dt.date(2023, 9, 3), "36110214", "3d", 10, 1)]  # two months of 2023
    commit(store, fix, progress=shares.append)
    # the daily files of March and September, their monthly rollup files, the ytd rollup
    assert shares == pytest.approx([0.35, 0.35, 0.05, 0.05, 0.2])


def test_a_correction_keeping_the_pairs_shifts_the_ytd_rollup_a_block_at_a_time(
    tmp_path, monkeypatch
):
    import fucai.sales.store as store_module

    monkeypatch.setattr(store_module, "YTD_PATCH_ROWS", 3)
    store = SalesStore(tmp_path)
    store.write_facts(daily(ROWS))
    commit(store, [(dt.date(2023, 3, 1), "36110214", "instant", 55, 6)])  # a stored cell
    path = store.root / store.manifest().partitions[YTD][2023]
    assert pq.ParquetFile(path).metadata.num_row_groups == 2  # 4 pairs: blocks of 3 and 1
    ytd = {(r["station_code"], r["game"]): r for r in store.read_year(YTD, 2023).to_pylist()}
    assert (ytd[("36110214", "instant")]["d0228"], ytd[("36110214", "instant")]["d0301"]) == (0, 55)
    assert ytd[("36110214", "instant")]["d1231"] == 55
    assert ytd[("36110214", "ssq")]["d1231"] == 130
    patched = rollups(store, 2023)
    store.rebuild_rollups()
    assert patched == rollups(store, 2023)
