"""A daily CSV file streams through the checks a block at a time, and years the store does not
have are written while it streams. Whatever the order of the file, the years it touches or
where a bad row sits, the store ends as the full checks leave it, or unchanged."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from fucai.sales.ingest import readers
from fucai.sales.ingest.importer import import_files
from fucai.sales.models import SalesImport
from fucai.sales.store import DATASETS, SalesStore
from fucai.sales.tests.test_import import facts

pytestmark = pytest.mark.usefixtures("english")
TODAY = dt.date(2023, 9, 3)
DAYS = [dt.date(2022, 12, 27) + dt.timedelta(days=i) for i in range(8)]  # across new year
GAMES = ["ssq", "3d", "kl8", "instant"]


def rows_in_store_order() -> list[list[str]]:
    """Sales of two stations over eight days and four games, sorted as the store sorts."""
    rows = []
    for n, day in enumerate(DAYS):
        for code in ("36040001", "36110214"):
            for g, game in enumerate(sorted(GAMES)):
                rows.append([code, day.isoformat(), game, f"{100 + n}.{g}5", str(10 + g)])
    return rows


@pytest.fixture
def small_blocks(monkeypatch):
    """Arrow's CSV reader cuts the file into blocks of ~10 rows."""
    monkeypatch.setattr(readers, "CSV_BLOCK", 400)


def full_result(path, tmp_path) -> list[tuple]:
    full = SalesStore(tmp_path / "full")
    assert import_files([path], store=full, today=TODAY, fast=False).ok
    return facts(full)


def files_under(store: SalesStore) -> set[str]:
    return {
        str(p.relative_to(store.root))
        for ds in DATASETS
        if (store.root / ds).exists()
        for p in (store.root / ds).rglob("*")
        if p.is_file()
    }


def test_a_file_of_many_blocks_streams_into_new_years_as_the_full_checks_store_it(
    network, store, write_csv, tmp_path, small_blocks
):
    path = write_csv("history.csv", rows_in_store_order())
    outcome = import_files([path], store=store, today=TODAY)
    assert outcome.ok
    assert outcome.commit.changed_years == (2022, 2023)
    assert facts(store) == full_result(path, tmp_path)
    assert len(facts(store)) == 64
    record = SalesImport.objects.filter(file_name="history.csv").earliest("pk")
    assert (record.rows, record.fact_rows) == (64, 64)
    assert (record.first_day, record.last_day) == (DAYS[0], DAYS[-1])
    assert record.amount_fen == sum(round(float(r[3]) * 100) for r in rows_in_store_order())
    assert set(store.manifest().files("daily")) == {
        f for f in files_under(store) if f.startswith("daily/")
    }


def test_its_rollups_equal_the_rollups_of_the_full_checks(
    network, store, write_csv, tmp_path, small_blocks
):
    import pyarrow.parquet as pq

    path = write_csv("history.csv", rows_in_store_order())
    assert import_files([path], store=store, today=TODAY).ok
    full = SalesStore(tmp_path / "full")
    assert import_files([path], store=full, today=TODAY, fast=False).ok
    for dataset in ("monthly", "ytd"):
        mine = [pq.read_table(p).to_pylist() for p in store.paths(dataset)]
        theirs = [pq.read_table(p).to_pylist() for p in full.paths(dataset)]
        assert mine == theirs, dataset


def test_a_bad_row_in_the_last_block_leaves_the_store_and_its_directory_as_they_were(
    network, store, write_csv, small_blocks
):
    earlier = [["36040001", "2021-08-01", "ssq", "5.00", "1"]]  # a year the file does not touch
    assert import_files([write_csv("2021.csv", earlier)], store=store, today=TODAY).ok
    before, files_before = store.manifest(), files_under(store)
    rows = rows_in_store_order()
    rows[-1][3] = "12.345"
    outcome = import_files([write_csv("bad.csv", rows)], store=store, today=TODAY)
    assert not outcome.ok
    assert [str(e) for e in outcome.errors] == [
        "bad.csv, row 65, column amount: malformed amount '12.345': "
        "yuan with at most two decimals, e.g. 1234.50"
    ]
    assert store.manifest() == before
    assert files_under(store) == files_before
    assert not list(store.root.rglob("*.tmp"))


def test_a_file_whose_blocks_are_out_of_order_streams_again_and_stores_the_same(
    network, store, write_csv, tmp_path, small_blocks
):
    rows = rows_in_store_order()
    shuffled = rows[32:] + rows[:32]  # 2023 first, then 2022: each block sorted
    path = write_csv("shuffled.csv", shuffled)
    assert import_files([path], store=store, today=TODAY).ok
    assert facts(store) == full_result(path, tmp_path)
    assert not list(store.root.rglob("*.tmp"))


def test_a_duplicate_across_blocks_is_not_missed(network, store, write_csv, small_blocks):
    rows = rows_in_store_order()
    path = write_csv("twice.csv", [*rows, rows[0]])
    outcome = import_files([path], store=store, today=TODAY)
    assert not outcome.ok
    assert "row 66" in str(outcome.errors[0]) and "twice" in str(outcome.errors[0]).lower()
    assert store.manifest().version == 0


def test_a_file_for_a_year_the_store_has_replaces_its_station_days(
    network, store, write_csv, tmp_path, small_blocks
):
    rows = rows_in_store_order()
    assert import_files([write_csv("first.csv", rows)], store=store, today=TODAY).ok
    corrected = [[*r[:3], "1.00", r[4]] if r[1] == "2023-01-02" else r for r in rows]
    path = write_csv("corrected.csv", corrected)
    outcome = import_files([path], store=store, today=TODAY)
    assert outcome.ok and outcome.commit.changed_years == (2023,)
    assert facts(store) == full_result(path, tmp_path)


def test_progress_is_recorded_block_by_block(network, store, write_csv, small_blocks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert import_files(
            [write_csv("history.csv", rows_in_store_order())], store=store, today=TODAY
        ).ok
    recorded = [
        int(m.group(1))
        for q in queries
        if (m := re.search(r'UPDATE "sales_salesimport" SET "progress" = (\d+)', q["sql"]))
    ]
    assert len(recorded) >= 8
    assert recorded == sorted(recorded) and recorded[-1] < 100
    assert SalesImport.objects.get().progress == 100
