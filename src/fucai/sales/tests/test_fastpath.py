"""The importer's fast path accepts only what the full checks accept, and stores the same facts.

It may only ever say "nothing is wrong": for every kind of bad row it must decline, so that the
full checks run and name the error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from fucai.sales.ingest import validate
from fucai.sales.ingest.fastpath import check_daily
from fucai.sales.ingest.importer import import_files
from fucai.sales.ingest.readers import read_sales_file
from fucai.sales.models import SalesImport
from fucai.sales.store import SalesStore
from fucai.sales.tests.test_import import GOOD_ROWS, facts

pytestmark = pytest.mark.usefixtures("english")
TODAY = dt.date(2023, 9, 3)


def fast(path: Path, allowed: set[str] | None = None):
    con = duckdb.connect()
    for name, table in validate.reference_tables(allowed).items():
        con.register(name, table)
    return check_daily(con, read_sales_file(path).table, TODAY)


def test_a_clean_file_takes_the_fast_path_and_stores_what_the_full_checks_store(
    network, store, write_csv, tmp_path, monkeypatch
):
    rows = [*GOOD_ROWS, [" 36040001 ", "2023/03/02", "SSQ", " 7.5 ", "03"]]
    path = write_csv("day.csv", rows)
    clean = fast(path)
    assert clean is not None and (clean.rows, clean.amount_fen) == (5, 205620)
    assert import_files([path], store=store, today=TODAY).ok
    quick = SalesImport.objects.get()
    full_store = SalesStore(tmp_path / "full")
    assert import_files([path], store=full_store, today=TODAY, fast=False).ok
    full = SalesImport.objects.exclude(pk=quick.pk).get()
    assert facts(store) == facts(full_store)
    assert (dt.date(2023, 3, 2), "36040001", "ssq", 750, 3) in facts(store)
    assert (quick.first_day, quick.last_day, quick.amount_fen, quick.fact_rows) == (
        full.first_day,
        full.last_day,
        full.amount_fen,
        full.fact_rows,
    )


BAD = {
    "empty station": ["", "2023-03-01", "ssq", "1.00", "1"],
    "unknown station": ["36999999", "2023-03-01", "ssq", "1.00", "1"],
    "not a date": ["36110214", "2023-02-30", "ssq", "1.00", "1"],
    "future date": ["36110214", "2024-03-01", "ssq", "1.00", "1"],
    "unknown game": ["36110214", "2023-03-01", "大乐透", "1.00", "1"],
    "three decimals": ["36110214", "2023-03-01", "ssq", "1.005", "1"],
    "negative amount": ["36110214", "2023-03-01", "ssq", "-5.00", "1"],
    "tickets in words": ["36110214", "2023-03-01", "ssq", "1.00", "two"],
    "signed tickets": ["36110214", "2023-03-01", "ssq", "1.00", "+5"],
    "before opening": ["36110001", "2023-02-28", "ssq", "1.00", "1"],
    "spring festival": ["36110214", "2023-01-20", "ssq", "1.00", "1"],
    "same game, other spelling": ["36110214", "2023-03-01", "SSQ", "1.00", "1"],
}


@pytest.mark.parametrize("bad", list(BAD.values()), ids=list(BAD))
def test_it_declines_a_file_with_any_kind_of_bad_row(network, write_csv, bad):
    path = write_csv("bad.csv", [*GOOD_ROWS, bad])
    assert fast(path) is None
    assert not import_files([path], store=SalesStore(path.parent / "s"), today=TODAY).ok


def test_it_declines_a_duplicate_in_an_unsorted_file_and_accepts_the_file_without_it(
    network, write_csv
):
    rows = [GOOD_ROWS[3], GOOD_ROWS[0], GOOD_ROWS[2], GOOD_ROWS[1]]
    assert fast(write_csv("shuffled.csv", rows)) is not None
    assert fast(write_csv("twice.csv", [*rows, GOOD_ROWS[2]])) is None


def test_it_declines_a_station_outside_the_importers_scope(network, write_csv):
    path = write_csv("day.csv", GOOD_ROWS)
    assert fast(path, allowed={"36110214", "36040001"}) is not None
    assert fast(path, allowed={"36110214"}) is None


def test_it_declines_a_sale_after_the_station_closed(network, write_csv):
    network["stations"]["xunyang"].transition("closed", dt.date(2023, 3, 2))
    assert fast(write_csv("day.csv", GOOD_ROWS[:3])) is not None
    late = ["36040001", "2023-03-02", "福彩3D", "88.20", "44"]
    assert fast(write_csv("late.csv", [*GOOD_ROWS[:3], late])) is None
