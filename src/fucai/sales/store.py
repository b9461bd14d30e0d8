"""The columnar sales store: Parquet files under `DATA_DIR/sales`, named by one manifest.

Layout (docs/formats.md, "Store layout")::

    sales/manifest.json                              which file is current for each partition
    sales/daily/year=2023/v000012-m06-3f9a1c2b.parquet  date, station_code, game, amount_fen,
                                                     tickets: one file per month with facts
    sales/monthly/year=2023/v000012-m06-8d0e4a77.parquet  month, station_code, game,
                                                     amount_fen, tickets: one file per month
    sales/ytd/year=2023/v000012-1c5e0b9d.parquet     year, station_code, game, d0101 … d1231
    sales/dims.json, sales/dims/<hash>/*.parquet     dimension snapshot (fucai.sales.dimensions)
    sales/_empty/<dataset>.parquet                   a zero-row file per dataset, for empty stores
    sales/.lock                                      held by whoever writes

A year's daily facts and monthly rollup are one file per month (the manifest names them by
month), so that a correction of some days rewrites only their months' files and the year's ytd
rollup. Stores written before (manifest format 1: one daily and one monthly file per year) are
read as they are; a year of such a store is split into its months the first time a commit
patches it (`YearPatch`).

Facts are immutable files. A commit writes new partition files under temporary names, fsyncs
them, renames them to their final (unreferenced) names, writes the next manifest to a temporary
file, fsyncs it and swaps it in with `os.replace`. Until that rename the previous manifest names
the previous files, all still on disk; after it, the new ones. A process killed at any point
leaves one of the two states, both complete. Superseded files are listed as retired in the
manifest and deleted by `gc()` once they have been retired longer than the grace period, so a
reader that picked up the old manifest a moment ago can still open its files.

Rollups, written with their year's daily partition in the same commit (so always exact):

- monthly: amount and tickets per month × station × game;
- ytd (year to date by day of year): one row per station × game sold in the year, one int64
  column per day of a leap-year calendar (`d0101` … `d1231`, `d0229` included) holding the
  amount sold from 1 January to the end of that day. A year to date as of any day is then one
  column of ~stations × games rows, and a month's amount the difference of two columns; a day
  without sales (or after the year's last fact, or 29 February of a common year) repeats the
  day before.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import fcntl
import functools
import json
import os
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fucai.core import arrow
from fucai.core.sql import quote_identifier

DAILY = "daily"
MONTHLY = "monthly"
YTD = "ytd"
DATASETS = (DAILY, MONTHLY, YTD)
BY_MONTH = (DAILY, MONTHLY)  # datasets written as one file per month of a year

DAILY_SCHEMA = pa.schema(
    [
        pa.field("date", pa.date32(), nullable=False),
        pa.field("station_code", pa.string(), nullable=False),
        pa.field("game", pa.string(), nullable=False),
        pa.field("amount_fen", pa.int64(), nullable=False),
        pa.field("tickets", pa.int64(), nullable=False),
    ]
)
MONTHLY_SCHEMA = pa.schema(
    [
        pa.field("month", pa.date32(), nullable=False),
        *list(DAILY_SCHEMA)[1:],
    ]
)


def ytd_column(day: dt.date) -> str:
    """The ytd rollup's column holding the year to date at the end of `day`."""
    return f"d{day.month:02d}{day.day:02d}"


LEAP_DAYS = [dt.date(2000, 1, 1) + dt.timedelta(days=i) for i in range(366)]
YTD_COLUMNS = tuple(ytd_column(d) for d in LEAP_DAYS)  # d0101 … d1231, d0229 included
YTD_SCHEMA = pa.schema(
    [
        pa.field("year", pa.int32(), nullable=False),
        pa.field("station_code", pa.string(), nullable=False),
        pa.field("game", pa.string(), nullable=False),
        *[pa.field(c, pa.int64(), nullable=False) for c in YTD_COLUMNS],
    ]
)
TEXT_COLUMNS = ["station_code", "game"]
CODED_DAILY_SCHEMA = pa.schema(  # as read with read_dictionary=TEXT_COLUMNS
    [
        pa.field(f.name, pa.dictionary(pa.int32(), pa.string()), nullable=False)
        if f.name in TEXT_COLUMNS
        else f
        for f in DAILY_SCHEMA
    ]
)
SCHEMAS = {DAILY: DAILY_SCHEMA, MONTHLY: MONTHLY_SCHEMA, YTD: YTD_SCHEMA}
MONTH_OF_COLUMN = np.array([d.month - 1 for d in LEAP_DAYS])  # ytd column → month (0-11)
YTD_PATCH_ROWS = 4_096  # ytd rows a patch shifts at once (its row groups)
YTD_BLOCK = 250_000  # station × game pairs summed at once: 366 × 17 bytes each (≈ 1.6 GB)

# what committed facts replace (SalesStore.commit_facts; ImportMode's values for the first two)
CELLS = "cells"  # their (station, day, game) cells
DAYS = "days"  # every row of their days, of the stations in scope
STATION_DAYS = "station_days"  # every row of their station-days (bulk loads)

MANIFEST = "manifest.json"
FORMAT_VERSION = 2  # 2: a year's daily facts are month files; 1 (still read): one file a year
READ_FORMATS = (1, 2)
WHOLE_YEAR = 0  # the month key of a format-1 daily file (the whole year in one file)
KEEP_IMPORT_IDS = 200
DEFAULT_GRACE = dt.timedelta(hours=1)
EPOCH = dt.date(1970, 1, 1)
ROW_GROUP_SIZE = 122_880  # ≈ 4 days of a province's rows: date filters skip most row groups
# a year's work as commit progress reports it (progress(share) as each part is written)
SHARES = {DAILY: 0.7, MONTHLY: 0.1, YTD: 0.2}  # the month files of the first two, split evenly


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _partition_name(dataset: str, year: int, version: int, month: int | None = None) -> str:
    """A new, never used file name of one partition (relative to the store's root); `month`:
    of a month file of the daily facts."""
    tag = "" if month is None else f"-m{month:02d}"
    return f"{dataset}/year={year}/v{version:06d}{tag}-{uuid.uuid4().hex[:8]}.parquet"


def _month_bounds(year: int, month: int) -> tuple[int, int]:
    """The first day of a month and of the next, as day numbers (since 1970)."""
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (dt.date(year, month, 1) - EPOCH).days, (nxt - EPOCH).days


def fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path: Path, data: dict, before_swap=None) -> None:
    """Write JSON next to `path`, fsync it, then atomically replace `path` with it."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
    fsync_file(tmp)
    if before_swap is not None:
        before_swap()
    os.replace(tmp, path)
    fsync_dir(path.parent)


UNORDERED = object()  # _write_new_year's answer for rows not in store order


def _split_years(table: pa.Table | None, years: list[int]) -> dict[int, pa.Table]:
    """The rows of each year: slices (no copy) when the rows are in date order, else filters."""
    if table is None or not years:
        return {}
    days = table["date"].combine_chunks().cast(pa.int32()).to_numpy()
    bounds = {y: [(dt.date(y + k, 1, 1) - EPOCH).days for k in (0, 1)] for y in years}
    if len(days) < 2 or np.all(days[1:] >= days[:-1]):
        cut = {y: np.searchsorted(days, b) for y, b in bounds.items()}
        return {y: table.slice(lo, hi - lo) for y, (lo, hi) in cut.items()}
    return {
        y: table.filter(arrow.array((days >= lo) & (days < hi), pa.bool_()))
        for y, (lo, hi) in bounds.items()
    }


def _month_files_json(files: Mapping[int, str]) -> dict[str, str] | str:
    """A year's month files in the manifest: {"1": file, …}; a format-1 year its one file."""
    if set(files) == {WHOLE_YEAR}:
        return files[WHOLE_YEAR]
    return {str(m): f for m, f in sorted(files.items())}


@dataclass(frozen=True)
class Manifest:
    """The store's current state: the file of each (dataset, year) partition, its row count, the
    imports applied so far and the superseded files waiting for garbage collection. A daily
    partition and a monthly rollup's are {month: file} mappings (WHOLE_YEAR: a format-1 file
    holding the whole year); the ytd rollup is one file per year."""

    version: int = 0
    written_at: str = ""
    partitions: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    rows: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    imports: tuple[int, ...] = ()
    retired: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        if data.get("format") not in READ_FORMATS:
            raise StoreError(f"unsupported sales manifest format {data.get('format')!r}")

        def partition(ds: str, p):
            if ds not in BY_MONTH:
                return p
            if isinstance(p, str):  # format 1: the whole year in one file
                return {WHOLE_YEAR: p}
            return {int(m): f for m, f in sorted(p.items(), key=lambda kv: int(kv[0]))}

        return cls(
            version=int(data["version"]),
            written_at=data.get("written_at", ""),
            partitions={
                ds: {int(y): partition(ds, p) for y, p in parts.items()}
                for ds, parts in data["partitions"].items()
            },
            rows={
                ds: {int(y): int(n) for y, n in parts.items()}
                for ds, parts in data.get("rows", {}).items()
            },
            imports=tuple(data.get("imports", ())),
            retired=dict(data.get("retired", {})),
        )

    def to_json(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "version": self.version,
            "written_at": self.written_at,
            "partitions": {
                ds: {
                    str(y): _month_files_json(p) if ds in BY_MONTH else p
                    for y, p in sorted(parts.items())
                }
                for ds, parts in self.partitions.items()
            },
            "rows": {
                ds: {str(y): n for y, n in sorted(parts.items())} for ds, parts in self.rows.items()
            },
            "imports": list(self.imports),
            "retired": dict(sorted(self.retired.items())),
        }

    def files(self, dataset: str) -> list[str]:
        """The current files of a dataset, in year (and month) order."""
        if dataset in BY_MONTH:
            years = sorted(self.partitions.get(dataset, {}).items())
            return [f for _, p in years for _, f in sorted(p.items())]
        return [p for _, p in sorted(self.partitions.get(dataset, {}).items())]

    def daily_files(self, year: int) -> dict[int, str]:
        """The daily files of a year by month (WHOLE_YEAR: one format-1 file); {} if none."""
        return self.month_files(DAILY, year)

    def month_files(self, dataset: str, year: int) -> dict[int, str]:
        """The files of a year of a dataset written by month (BY_MONTH), by month
        (WHOLE_YEAR: one format-1 file); {} if none."""
        return dict(sorted(self.partitions.get(dataset, {}).get(year, {}).items()))

    def daily_files_of_months(self, year: int, months: Iterable[int]) -> list[str]:
        """The daily files holding these months of a year (a format-1 year: its one file)."""
        files = self.daily_files(year)
        if WHOLE_YEAR in files:
            return [files[WHOLE_YEAR]]
        return [files[m] for m in sorted(set(months)) if m in files]

    def years(self, dataset: str = DAILY) -> list[int]:
        return sorted(self.partitions.get(dataset, {}))

    def row_count(self, dataset: str = DAILY) -> int:
        return sum(self.rows.get(dataset, {}).values())


@dataclass(frozen=True)
class CommitResult:
    manifest: Manifest
    changed_years: tuple[int, ...]
    unchanged_years: tuple[int, ...]

    @property
    def changed(self) -> bool:
        return bool(self.changed_years)


class StoreError(RuntimeError):
    pass


def _ranked(column: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Codes of a string column numbered in the sort order of its distinct values (so comparing
    codes compares the strings), and those values in order. A dictionary-encoded column is
    ranked through its dictionary."""
    if pa.types.is_dictionary(column.type):
        array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
        order = pc.sort_indices(array.dictionary).to_numpy()
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order))
        return rank[array.indices.to_numpy()], array.dictionary.take(arrow.array(order, pa.int64()))
    values = pc.unique(column)
    values = values.take(pc.sort_indices(values))
    return pc.index_in(column, value_set=values).to_numpy().astype(np.int64), values


@dataclass(frozen=True)
class YearRollups:
    """One year's facts as arrays, ready to be summed into the year's rollups: per fact its
    column (day of the leap-year calendar), station and game, ranked in string order, amount
    and tickets. Sums are exact integer sums (numpy int64)."""

    year: int
    column: np.ndarray
    station: np.ndarray
    game: np.ndarray
    amount_fen: np.ndarray
    tickets: np.ndarray
    stations: pa.Array
    games: pa.Array

    @classmethod
    def from_arrow(cls, rows: pa.Table, year: int) -> YearRollups:
        """From one year's daily facts as Arrow (text columns may be dictionary-encoded)."""
        days = rows["date"].combine_chunks().cast(pa.int32()).to_numpy()
        station, stations = _ranked(rows["station_code"])
        game, games = _ranked(rows["game"])
        column = ytd_columns_of(days, year)
        return cls(
            year,
            column,
            station,
            game,
            rows["amount_fen"].combine_chunks().to_numpy(),
            rows["tickets"].combine_chunks().to_numpy(),
            stations,
            games,
        )

    @functools.cached_property
    def in_store_order(self) -> bool:
        """Are the facts already sorted by (date, station_code, game), without duplicates?"""
        if len(self.column) < 2:
            return True
        key = (self.column * len(self.stations) + self.station) * len(self.games) + self.game
        return bool(np.all(key[1:] > key[:-1]))

    def tables(self, pairs: int = YTD_BLOCK) -> tuple[pa.Table, list[pa.Table]]:
        """The monthly rollup and the ytd rollup's blocks, summed a block of stations at a time
        so that a block's days × pairs matrices stay within `pairs` station × game pairs."""
        n_games = max(len(self.games), 1)
        per_block = max(1, pairs // n_games)
        monthly, ytd = [], []
        for lo in range(0, len(self.stations), per_block):
            hi = min(lo + per_block, len(self.stations))
            block = (
                slice(None)  # one block (a province): no selection
                if lo == 0 and hi == len(self.stations)
                else (self.station >= lo) & (self.station < hi)
            )
            sums = YearSums(self.year, self.stations[lo:hi], self.games)
            sums.add(
                self.column[block],
                (self.station[block] - lo) * n_games + self.game[block],
                self.amount_fen[block],
                self.tickets[block],
                unique=self.in_store_order,
            )
            monthly.append(sums.monthly())
            ytd.append(sums.ytd())
        if len(monthly) == 1:
            return monthly[0], ytd
        order = [("month", "ascending"), ("station_code", "ascending"), ("game", "ascending")]
        return pa.concat_tables(monthly).sort_by(order), ytd


class YearSums:
    """A year's facts over fixed stations × games (both in string order), summed as they
    arrive into days × pairs matrices of the leap-year calendar (amount, tickets, whether a
    fact was there); the monthly and ytd rollups come out of them. Exact (int64)."""

    def __init__(self, year: int, stations: pa.Array, games: pa.Array) -> None:
        self.year, self.stations, self.games = year, stations, games
        shape = (len(YTD_COLUMNS), len(stations) * len(games))
        self.amount = np.zeros(shape, np.int64)
        self.tickets = np.zeros(shape, np.int64)
        self.seen = np.zeros(shape, bool)

    def add(self, column, pair, amount, tickets, unique: bool) -> None:
        """Facts by ytd column and pair (station index × len(games) + game index); `unique`:
        no two share a (column, pair) cell (facts in store order), so placing them is enough."""
        cells = (column, pair)
        if unique:
            self.amount[cells], self.tickets[cells] = amount, tickets
        else:
            np.add.at(self.amount, cells, amount)
            np.add.at(self.tickets, cells, tickets)
        self.seen[cells] = True

    def monthly(self) -> pa.Table:
        """The monthly rollup: amount and tickets per month × station × game with facts, in
        that order."""
        starts = np.flatnonzero(np.diff(MONTH_OF_COLUMN, prepend=-1))  # each month's first column
        amount = np.add.reduceat(self.amount, starts, axis=0)
        tickets = np.add.reduceat(self.tickets, starts, axis=0)
        seen = np.logical_or.reduceat(self.seen, starts, axis=0)
        cell = np.flatnonzero(seen)  # month × pairs + pair: (month, station, game) order
        month, pair = np.divmod(cell, seen.shape[1])
        n_games = len(self.games)
        first_days = np.array([(dt.date(self.year, m, 1) - EPOCH).days for m in range(1, 13)])
        columns = [
            arrow.array(first_days[month], pa.date32()),
            self.stations.take(arrow.array(pair // n_games, pa.int64())),
            self.games.take(arrow.array(pair % n_games, pa.int64())),
            arrow.array(amount.reshape(-1)[cell], pa.int64()),
            arrow.array(tickets.reshape(-1)[cell], pa.int64()),
        ]
        return pa.Table.from_arrays(columns, schema=MONTHLY_SCHEMA)

    def ytd(self) -> pa.Table:
        """The ytd rollup's rows: the pairs with facts, in order, with their year to date."""
        n_games = len(self.games)
        pairs = np.flatnonzero(self.seen.any(axis=0))
        cumulative = np.cumsum(self.amount[:, pairs], axis=0)
        columns = [
            arrow.array(np.full(len(pairs), self.year, np.int32), pa.int32()),
            self.stations.take(arrow.array(pairs // n_games, pa.int64())),
            self.games.take(arrow.array(pairs % n_games, pa.int64())),
            *(arrow.array(day, pa.int64()) for day in cumulative),
        ]
        return pa.Table.from_arrays(columns, schema=YTD_SCHEMA)


@dataclass(frozen=True)
class FactBlock:
    """A block of daily facts in store order: an Arrow table (DAILY_SCHEMA's columns, station
    and game codes dictionary-encoded on fixed dictionaries in string order) and the integer
    arrays it was built from."""

    table: pa.Table
    day: np.ndarray  # days since 1970
    station: np.ndarray  # index in the station dictionary
    game: np.ndarray  # index in the game dictionary
    amount_fen: np.ndarray
    tickets: np.ndarray

    def slice(self, lo: int, hi: int) -> FactBlock:
        return FactBlock(
            self.table.slice(lo, hi - lo),
            *(a[lo:hi] for a in (self.day, self.station, self.game, self.amount_fen, self.tickets)),
        )


class YearStream:
    """Writes the partitions of years the store does not have while their facts arrive in
    store order (an import streaming a large file): each year's daily file a block at a time,
    its rollups summed alongside and written as soon as the stream has passed the year, on a
    thread of its own (Parquet encoding and numpy release the GIL) while the caller checks the
    next block. Nothing is visible until `commit_written` swaps the manifest; `abort()`
    deletes what was written. The caller holds the writer lock."""

    PENDING = 2  # blocks queued for the writing thread at most (bounds memory)

    def __init__(self, store: SalesStore, stations: pa.Array, games: pa.Array) -> None:
        manifest = store.manifest()
        self.store, self.version = store, manifest.version + 1
        self.stored = set(manifest.years())
        self.stations, self.games = stations, games
        self.open: dict[int, _OpenYear] = {}  # years being written
        self.years: list[_OpenYear] = []  # every year begun, open or closed
        self.closed: dict[int, dict] = {}  # year → {dataset: (file, rows)}, by the thread
        self.passed: set[int] = set()  # years handed to the thread to close
        self._pool = ThreadPoolExecutor(1)
        self._pending: list = []

    @property
    def started(self) -> bool:
        """Has anything been written (so that giving up means deleting it)?"""
        return bool(self.years)

    def add(self, block: FactBlock) -> bool:
        """Queue a block (after every earlier one in store order); False, queueing nothing,
        if it holds a year the store has or the year's matrices would exceed YTD_BLOCK pairs."""
        if not len(block.day):
            return True
        if len(self.stations) * len(self.games) > YTD_BLOCK:
            return False
        first, last = (int((EPOCH + dt.timedelta(days=int(d))).year) for d in block.day[[0, -1]])
        if any(y in self.stored or y in self.passed for y in range(first, last + 1)):
            return False
        for year in [y for y in self.open if y < first]:  # the stream has passed it
            self.passed.add(year)
            self._queue(self._close, self.open.pop(year))
        for year in range(first, last + 1):
            lo, hi = np.searchsorted(
                block.day, [(dt.date(year + k, 1, 1) - EPOCH).days for k in (0, 1)]
            )
            if hi > lo:
                self._queue(self._year(year).add, block.slice(int(lo), int(hi)))
        return True

    def _queue(self, fn, *args) -> None:
        while len(self._pending) >= self.PENDING:
            self._pending.pop(0).result()  # raises what the thread raised
        self._pending.append(self._pool.submit(fn, *args))

    def _year(self, year: int) -> _OpenYear:
        if year not in self.open:
            self.open[year] = _OpenYear(self, year)
            self.years.append(self.open[year])
        return self.open[year]

    def _close(self, year: _OpenYear) -> None:
        self.closed[year.year] = year.finish()

    def finish(self) -> dict[int, dict]:
        """Close every year: {year: {dataset: (file, rows)}} for commit_written."""
        for year in list(self.open):
            self._queue(self._close, self.open.pop(year))
        self._drain()
        return dict(sorted(self.closed.items()))

    def abort(self) -> None:
        """Delete every file written (the writing thread stopped first)."""
        with contextlib.suppress(Exception):
            self._drain()
        for year in self.years:
            year.abort()
        self.open, self.years, self.closed, self.passed = {}, [], {}, set()

    def _drain(self) -> None:
        try:
            while self._pending:
                self._pending.pop(0).result()
        finally:
            self._pool.shutdown(wait=True)


class _OpenYear:
    """One year of a YearStream: its daily month files being written (one open at a time: the
    facts arrive in store order), its rollups being summed."""

    def __init__(self, stream: YearStream, year: int) -> None:
        self.store, self.year, self.version = stream.store, year, stream.version
        self.ytd = _partition_name(YTD, year, stream.version)
        self.monthly: dict[int, str] = {}  # month → monthly rollup file, once written
        self.files: dict[int, str] = {}  # month → daily file, written or being written
        self.month: int | None = None  # the month being written
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0
        self.sums = YearSums(year, stream.stations, stream.games)

    def _paths(self, month: int) -> tuple[Path, Path]:
        final = self.store.root / self.files[month]
        return final, final.with_name(f".{final.name}.tmp")

    def add(self, block: FactBlock) -> None:
        for month in range(1, 13):
            lo, hi = np.searchsorted(block.day, _month_bounds(self.year, month))
            if hi > lo:
                self._write(month, block.slice(int(lo), int(hi)))
        pair = block.station.astype(np.int64) * len(self.sums.games) + block.game
        column = ytd_columns_of(block.day, self.year)
        self.sums.add(column, pair, block.amount_fen, block.tickets, unique=True)

    def _write(self, month: int, block: FactBlock) -> None:
        if month != self.month:
            self._close_month()
            self.month = month
            self.files[month] = _partition_name(DAILY, self.year, self.version, month)
            final, tmp = self._paths(month)
            final.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(tmp, block.table.schema, **_daily_options(block.table))
        self.writer.write_table(block.table, row_group_size=ROW_GROUP_SIZE)
        self.rows += block.table.num_rows

    def _close_month(self) -> None:
        if self.writer is None:
            return
        self.writer.close()
        self.writer = None
        final, tmp = self._paths(self.month)
        fsync_file(tmp)
        os.replace(tmp, final)
        fsync_dir(final.parent)

    def finish(self) -> dict:
        self._close_month()
        monthly = self.store._write_months(MONTHLY, self.sums.monthly(), self.year, self.version)
        self.monthly = monthly[0]
        ytd = self.store._write_ytd([self.sums.ytd()], self.store.root / self.ytd)
        return {DAILY: (dict(self.files), self.rows), MONTHLY: monthly, YTD: (self.ytd, ytd)}

    def abort(self) -> None:
        """Delete this year's files, written or half-written."""
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer.close()
        for month in self.files:
            for path in self._paths(month):
                path.unlink(missing_ok=True)
        for rel in [*self.monthly.values(), self.ytd]:
            (self.store.root / rel).unlink(missing_ok=True)


def _year_view(con, facts: str, year: int) -> None:
    """The view `_new_year`: the rows of DuckDB table `facts` in `year`. A view, not a copy:
    `facts` may be Arrow data the importer holds (copying a year of text columns into DuckDB
    costs more than reading them twice). Made through the relational API: a view cannot hold
    bound parameters, and the dates go in as values, not SQL text."""
    import duckdb

    date = duckdb.ColumnExpression("date")
    lo, hi = (duckdb.ConstantExpression(dt.date(year + k, 1, 1)) for k in (0, 1))
    columns = [duckdb.ColumnExpression(c) for c in DAILY_SCHEMA.names]
    relation = con.sql(f"FROM {quote_identifier(facts)}")
    relation.filter((date >= lo) & (date < hi)).select(*columns).create_view(
        "_new_year", replace=True
    )


def _daily_options(table: pa.Table) -> dict:
    """Parquet options of daily partitions and monthly rollups: zstd; amounts (near-unique)
    delta-encoded, not dictionary-encoded (a smaller file, written faster); the other
    columns repeat and keep their dictionaries. Without the Arrow schema in the file, text
    reads back as text."""
    return {
        "compression": "zstd",
        "store_schema": False,
        "use_dictionary": [c for c in table.column_names if c != "amount_fen"],
        "column_encoding": {"amount_fen": "DELTA_BINARY_PACKED"},
    }


def ytd_columns_of(day: np.ndarray, year: int) -> np.ndarray:
    """The ytd column (day of the leap-year calendar) of day numbers (since 1970) of `year`."""
    doy = day - (dt.date(year, 1, 1) - EPOCH).days
    return doy + ((doy >= 59) & (not calendar.isleap(year)))  # common years skip d0229


@dataclass(frozen=True)
class Removal:
    """Which stored rows of the touched days new facts replace (see CELLS, DAYS, STATION_DAYS):
    as SQL over DuckDB relations `old` (stored rows of the touched days) and `new` (the facts),
    the stored rows that go. `scope` (DAYS): the stations whose rows go; None for all."""

    mode: str = CELLS
    scope: frozenset[str] | None = None

    def register(self, con) -> None:
        """Register what `gone()` needs (the scope's codes) in `con`."""
        if self.mode == DAYS and self.scope is not None:
            codes = pa.table({"station_code": arrow.array(sorted(self.scope), pa.string())})
            con.register("_scope", codes)

    def gone(self) -> str:
        """SQL: the rows of `old` that go (all columns of `old`, and `kept`: whether the new
        facts hold the same cell)."""
        cell = "EXISTS (SELECT 1 FROM new n WHERE n.date = o.date AND n.station_code = "
        cell += "o.station_code AND n.game = o.game)"
        if self.mode == CELLS:
            where = cell
        elif self.mode == STATION_DAYS:
            where = (
                "EXISTS (SELECT 1 FROM new n WHERE n.date = o.date "
                "AND n.station_code = o.station_code)"
            )
        elif self.scope is None:
            where = "TRUE"
        else:
            where = "o.station_code IN (SELECT station_code FROM _scope)"
        return f"SELECT o.*, {cell} AS kept FROM old o WHERE {where}"


def _year_rows(con, facts: str, year: int) -> pa.Table:
    """The rows of DuckDB table `facts` in `year` as Arrow (DAILY_SCHEMA)."""
    _year_view(con, facts, year)
    return con.sql("SELECT * FROM _new_year").to_arrow_table().cast(DAILY_SCHEMA)


def _day_numbers(table: pa.Table) -> np.ndarray:
    return table["date"].combine_chunks().cast(pa.int32()).to_numpy()


class YearPatch:
    """New facts for some days of a year the store has: the touched months' daily files are the
    stored ones with those days merged (a splice: the files are in date order), the touched
    months' monthly rollup files summed again from them and the ytd rollup shifted by the
    touched days' differences, from the touched day on. The other months' files stay: the cost
    grows with the touched months, not the store. A format-1 year (one daily file, one monthly
    file) is read whole and written as month files. Exact: integer sums."""

    def __init__(
        self, store: SalesStore, manifest: Manifest, year: int, version: int, progress=None
    ) -> None:
        self.store, self.year, self.version, self.progress = store, year, version, progress
        self.files = {ds: manifest.month_files(ds, year) for ds in BY_MONTH}
        self.rows = {ds: manifest.rows.get(ds, {}).get(year, 0) for ds in BY_MONTH}
        self.ytd_path = store.root / manifest.partitions[YTD][year]

    def _report(self, share: float) -> None:
        if self.progress is not None:
            self.progress(share)

    def _read(self, dataset: str, months: list[int], **options) -> tuple[pa.Table, bool]:
        """The stored rows of these months (all of a format-1 year's, and True)."""
        files = self.files[dataset]
        whole = WHOLE_YEAR in files
        schema = CODED_DAILY_SCHEMA if dataset == DAILY else MONTHLY_SCHEMA
        tables = [
            pq.read_table(self.store.root / files[m], **options).cast(schema)
            for m in ([WHOLE_YEAR] if whole else months)
            if m in files
        ]
        return pa.concat_tables(tables or [arrow.empty_table(schema)]), whole

    def _write(self, dataset: str, rows: pa.Table, whole: bool, stored: int, months: list[int]):
        """Write the touched months of `rows` (every month of a format-1 year): ({month: file}
        naming every month file of the year, the year's rows); `stored`: the rows the touched
        months had."""
        write = self.store._write_months
        if whole:  # a format-1 year: every month written (the year migrates to month files)
            return write(dataset, rows, self.year, self.version, self._report)
        written, n = write(dataset, rows, self.year, self.version, self._report, months=months)
        files = {m: f for m, f in self.files[dataset].items() if m not in months} | written
        return dict(sorted(files.items())), self.rows[dataset] - stored + n

    def apply(self, con, new: pa.Table, removal: Removal) -> dict | None:
        """Write the patched year; None (nothing written) if its content would not change."""
        days = np.unique(_day_numbers(new))
        months = sorted({(EPOCH + dt.timedelta(days=int(d))).month for d in days})
        stored, whole = self._read(DAILY, months, read_dictionary=TEXT_COLUMNS)
        stored_days = _day_numbers(stored)
        lo = np.searchsorted(stored_days, days, "left")
        hi = np.searchsorted(stored_days, days, "right")
        old = pa.concat_tables([stored.slice(a, b - a) for a, b in zip(lo, hi, strict=True)])
        merged = self._merge(con, old, new, removal)
        if merged.equals(old.cast(DAILY_SCHEMA)):
            self._report(1)
            return None
        # the ytd rollup is summed and written on a thread of its own (numpy and Parquet
        # encoding release the GIL) while this one splices and writes the month files
        monthly_rows: Future = Future()  # the touched months' new monthly rollup
        with ThreadPoolExecutor(1) as pool:
            ytd = pool.submit(self._write_ytd, old, merged, monthly_rows, months)
            try:
                daily = self._splice(stored, merged, days, lo, hi)
                stored_monthly, whole_monthly = self._read(MONTHLY, months)
                monthly = self._monthly(stored_monthly, daily, months, whole_monthly)
                monthly_rows.set_result(monthly)
                written = {DAILY: self._write(DAILY, daily, whole, stored.num_rows, months)}
                del stored, daily
                written[MONTHLY] = self._write(
                    MONTHLY, monthly, whole_monthly, stored_monthly.num_rows, months
                )
            except BaseException as exc:
                if not monthly_rows.done():
                    monthly_rows.set_exception(exc)  # the ytd thread may be waiting for it
                raise
            written[YTD] = ytd.result()
        self._report(SHARES[YTD])
        return written

    def _write_ytd(self, old, merged, monthly: Future, months) -> tuple[str, int]:
        rel = _partition_name(YTD, self.year, self.version)
        ytd = self._ytd(old, merged, monthly, months)
        return rel, self.store._write_ytd(ytd, self.store.root / rel)

    @staticmethod
    def _merge(con, old: pa.Table, new: pa.Table, removal: Removal) -> pa.Table:
        """The touched days' rows after the commit, in store order."""
        con.register("old", old)
        con.register("new", new)
        removal.register(con)
        # the cells of `new` go in any mode: in CELLS mode no other (one join, not three)
        gone = "new" if removal.mode == CELLS else f"({removal.gone()})"
        query = (
            f"SELECT date, station_code, game, amount_fen, tickets FROM old ANTI JOIN "
            f"{gone} g USING (date, station_code, game) "
            "UNION ALL SELECT date, station_code, game, amount_fen, tickets FROM new "
            "ORDER BY date, station_code, game"
        )
        merged = con.sql(query).to_arrow_table().cast(DAILY_SCHEMA)
        for name in ("old", "new"):
            con.unregister(name)
        return merged

    @staticmethod
    def _splice(stored: pa.Table, merged: pa.Table, days, lo, hi) -> pa.Table:
        merged = merged.cast(CODED_DAILY_SCHEMA)
        merged_days = _day_numbers(merged)
        m_lo = np.searchsorted(merged_days, days, "left")
        m_hi = np.searchsorted(merged_days, days, "right")
        pieces, position = [], 0
        for a, b, c, d in zip(lo, hi, m_lo, m_hi, strict=True):
            pieces += [stored.slice(position, a - position), merged.slice(c, d - c)]
            position = b
        pieces.append(stored.slice(position))
        return pa.concat_tables(pieces)  # chunks of dictionary-encoded text, written as they are

    def _monthly(
        self, stored: pa.Table, daily: pa.Table, months: list[int], whole: bool
    ) -> pa.Table:
        """The touched months' monthly rollup summed again from `daily` (the daily facts of at
        least those months, in store order); with `whole` (`stored` is a format-1 year's whole
        rollup), the year's, the other months' rows kept from `stored`."""
        firsts = [dt.date(self.year, m, 1) for m in months]
        parts = []
        if whole:
            keep = pc.invert(pc.is_in(stored["month"], value_set=arrow.array(firsts, pa.date32())))
            parts.append(stored.filter(keep))
        daily_days = _day_numbers(daily)
        for month, first in zip(months, firsts, strict=True):
            bounds = np.array(_month_bounds(self.year, month), daily_days.dtype)
            a, b = np.searchsorted(daily_days, bounds)  # same dtype: no copy of the year
            sums = (
                daily.slice(a, b - a)
                .unify_dictionaries()
                .group_by(["station_code", "game"])
                .aggregate([("amount_fen", "sum"), ("tickets", "sum")])
            )
            month_day = arrow.array(
                np.full(sums.num_rows, (first - EPOCH).days, np.int32), pa.int32()
            )
            parts.append(
                pa.Table.from_arrays(
                    [
                        month_day.cast(pa.date32()),
                        sums["station_code"].cast(pa.string()),
                        sums["game"].cast(pa.string()),
                        sums["amount_fen_sum"],
                        sums["tickets_sum"],
                    ],
                    schema=MONTHLY_SCHEMA,
                )
            )
        keys = [("month", "ascending"), ("station_code", "ascending"), ("game", "ascending")]
        return pa.concat_tables(parts).sort_by(keys).combine_chunks()

    def _pairs(self, old, merged, stored_pairs, monthly: Future, months) -> pa.Table:
        """The station × game pairs sold in the year after the patch, in order: the stored
        ytd rollup's and the merged days'; if a pair of the touched days is not in the merged
        ones, it stays only if some month's monthly rollup (`monthly`: the touched months')
        still holds it (read then)."""
        order = [(c, "ascending") for c in TEXT_COLUMNS]

        def unique(tables) -> pa.Table:
            columns = [pa.concat_arrays([_text(t[c]) for t in tables]) for c in TEXT_COLUMNS]
            table = pa.Table.from_arrays(columns, TEXT_COLUMNS)
            return table.group_by(TEXT_COLUMNS).aggregate([]).sort_by(order)

        merged_keys = _pair_keys(merged)
        gone = pc.invert(pc.is_in(_pair_keys(old), value_set=merged_keys))
        if not pc.any(gone).as_py():
            if pc.all(pc.is_in(merged_keys, value_set=_pair_keys(stored_pairs))).as_py():
                return stored_pairs  # no pair comes or goes (the usual correction)
            return unique([stored_pairs, merged])
        monthly = monthly.result()
        others = [  # the untouched months' files (`monthly` holds all of a format-1 year)
            pq.read_table(self.store.root / f, columns=TEXT_COLUMNS)
            for m, f in self.files[MONTHLY].items()
            if m not in months and m != WHOLE_YEAR
        ]
        return unique([monthly, *others])

    def _ytd(self, old, merged, monthly: Future, months) -> Iterable[pa.Table]:
        """The stored ytd rollup plus, from each touched day on, that day's difference (per
        station × game); rows for the pairs sold in the year. Columns before the first touched
        day are the stored ones (when the pairs are); after the last, the stored ones plus the
        touched days' total difference. When the pairs stay (the usual correction), blocks of
        YTD_PATCH_ROWS rows of the stored file, shifted as they are read (a block's memory is
        reused for the next: a year's worth of fresh memory costs more than the sums)."""
        source = pq.ParquetFile(self.ytd_path)
        stored_pairs = source.read(columns=TEXT_COLUMNS)
        pairs = self._pairs(old, merged, stored_pairs, monthly, months)
        key = _pair_keys(pairs)
        stored_key = _pair_keys(stored_pairs)
        same = stored_key.equals(key)
        deltas = []
        for table, sign in ((old, -1), (merged, 1)):
            rows, there = _positions(_pair_keys(table), key)
            column = ytd_columns_of(_day_numbers(table)[there], self.year)
            amount = table["amount_fen"].to_numpy()[there] * sign
            deltas.append((rows[there], column, amount))
        touched = np.concatenate([d[1] for d in deltas])
        first, last = (int(touched.min()), int(touched.max())) if len(touched) else (0, -1)
        delta = np.zeros((pairs.num_rows, last - first + 1), np.int64)
        for rows, column, amount in deltas:
            np.add.at(delta, (rows, column - first), amount)
        np.cumsum(delta, axis=1, out=delta)
        total = delta[:, -1] if last >= first else np.zeros(pairs.num_rows, np.int64)

        def shifted(values: np.ndarray, i: int, lo: int, hi: int) -> pa.Array:
            if i < first:
                return arrow.array(values, pa.int64())
            shift = delta[lo:hi, i - first] if i <= last else total[lo:hi]
            return arrow.array(values + shift, pa.int64())

        if same:
            return self._shifted_blocks(source, first, shifted)
        stored = pq.read_table(self.ytd_path, schema=YTD_SCHEMA)
        index, found = _positions(stored_key, key)
        columns = []
        for i, name in enumerate(YTD_COLUMNS):
            values = np.zeros(pairs.num_rows, np.int64)
            values[index[found]] = stored[name].to_numpy()[found]
            columns.append(shifted(values, i, 0, pairs.num_rows))
        head = [
            arrow.array(np.full(pairs.num_rows, self.year, np.int32), pa.int32()),
            *(pairs[c].cast(pa.string()) for c in TEXT_COLUMNS),
        ]
        return [pa.Table.from_arrays([*head, *columns], schema=YTD_SCHEMA)]

    @staticmethod
    def _shifted_blocks(source: pq.ParquetFile, first: int, shifted) -> Iterator[pa.Table]:
        """The stored ytd rollup's rows in blocks, day columns from `first` on `shifted`."""
        lo = 0
        for batch in source.iter_batches(batch_size=YTD_PATCH_ROWS):
            hi = lo + batch.num_rows
            columns = [batch.column(c) for c in ("year", *TEXT_COLUMNS)]
            for i, name in enumerate(YTD_COLUMNS):
                column = batch.column(name)
                columns.append(column if i < first else shifted(column.to_numpy(), i, lo, hi))
            yield pa.Table.from_arrays(columns, schema=YTD_SCHEMA)
            lo = hi


def _text(column) -> pa.Array:
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def _positions(values: pa.Array, among: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each value's position in `among` (-1 if absent), and whether it is there."""
    found = pc.index_in(values, value_set=among)
    return pc.fill_null(found, -1).to_numpy().astype(np.int64), pc.is_valid(found).to_numpy(
        zero_copy_only=False
    )


def _pair_keys(table: pa.Table) -> pa.Array:
    """station_code and game of each row as one text, for lookups."""
    station = table["station_code"].combine_chunks()
    game = table["game"].combine_chunks()
    if pa.types.is_dictionary(station.type):
        station = station.cast(pa.string())
    if pa.types.is_dictionary(game.type):
        game = game.cast(pa.string())
    return pc.binary_join_element_wise(station, game, "\x1f")


class SalesStore:
    """Reads and atomically rewrites the Parquet fact store (see the module docstring)."""

    def __init__(self, root: Path | str | None = None) -> None:
        if root is None:
            from django.conf import settings

            root = Path(settings.DATA_DIR) / "sales"
        self.root = Path(root)

    # -- reading -----------------------------------------------------------------------------
    def manifest(self) -> Manifest:
        path = self.root / MANIFEST
        if not path.exists():
            return Manifest()
        return Manifest.from_json(json.loads(path.read_text()))

    def paths(self, dataset: str, manifest: Manifest | None = None) -> list[Path]:
        """Absolute paths of the current files of a dataset (all years)."""
        manifest = manifest or self.manifest()
        return [self.root / p for p in manifest.files(dataset)]

    def empty_file(self, dataset: str) -> Path:
        """A zero-row Parquet file with the dataset's schema (readers use it for an empty store)."""
        path = self.root / "_empty" / f"{dataset}.parquet"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
            pq.write_table(arrow.empty_table(SCHEMAS[dataset]), tmp)
            os.replace(tmp, path)
        return path

    def read_daily(self, manifest: Manifest | None = None) -> pa.Table:
        """Every daily fact, sorted by date, station and game (for tests and small stores)."""
        paths = self.paths(DAILY, manifest)
        if not paths:
            return arrow.empty_table(DAILY_SCHEMA)
        return pa.concat_tables([pq.read_table(p, schema=DAILY_SCHEMA) for p in paths])

    def read_year(self, dataset: str, year: int, manifest: Manifest | None = None) -> pa.Table:
        """A year of a dataset, its files (month files) read in order."""
        manifest = manifest or self.manifest()
        part = manifest.partitions.get(dataset, {}).get(year)
        files = list(dict(sorted(part.items())).values()) if dataset in BY_MONTH else [part]
        tables = [pq.read_table(self.root / f, schema=SCHEMAS[dataset]) for f in files if f]
        return pa.concat_tables(tables or [arrow.empty_table(SCHEMAS[dataset])])

    # -- writing -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self, name: str = ".lock", wait: bool = True) -> Iterator[bool]:
        """Exclusive writer lock (released by the kernel if the process dies). With wait=False,
        yields False at once, without the lock, when another process holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / name, "a+") as fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def checkpoint(self, stage: str) -> None:
        """Called between the steps of a commit; a no-op hook that tests use to crash the writer."""

    def replace_station_days(
        self,
        con,
        facts: str,
        import_ids: tuple[int, ...] = (),
        *,
        progress=None,
        lock: bool = True,
        arrow: pa.Table | None = None,
    ) -> CommitResult:
        """Make the facts in DuckDB table `facts` the store's rows for every (station, day) they
        cover: older rows of those station-days (all games) go, rows of other station-days stay
        (the demo's and the bench's bulk loads). See commit_facts."""
        return self.commit_facts(
            con, facts, import_ids, mode=STATION_DAYS, progress=progress, lock=lock, arrow=arrow
        )

    def commit_facts(
        self,
        con,
        facts: str,
        import_ids: tuple[int, ...] = (),
        *,
        mode: str = CELLS,
        scope: frozenset[str] | None = None,
        progress=None,
        lock: bool = True,
        arrow: pa.Table | None = None,
    ) -> CommitResult:
        """Commit the facts in DuckDB table `facts` (date, station_code, game, amount_fen,
        tickets; no duplicates) in one manifest swap; which stored rows they replace is `mode`'s
        (REMOVALS): CELLS their (station, day, game) cells, DAYS every row of their days whose
        station is in `scope` (None: every station), STATION_DAYS their station-days.

        A year the store has is patched (`_patch_year`): only its touched days are merged, its
        rollups updated for those days; a year whose content would not change keeps its files,
        and a commit that changes nothing keeps the manifest (no new store version). `arrow`,
        if given, holds the same rows as an Arrow table (text columns may be
        dictionary-encoded): a year the store does not have yet is then written from it."""
        ctx = self.locked() if lock else contextlib.nullcontext()
        with ctx:
            manifest = self.manifest()
            version = manifest.version + 1
            query = f"SELECT DISTINCT year(date) FROM {quote_identifier(facts)} ORDER BY 1"
            years = [int(r[0]) for r in con.execute(query).fetchall()]
            removal = Removal(mode, scope)
            written = self._write_years(
                con, facts, years, manifest, version, arrow, removal, progress
            )
            return self._swap(manifest, version, written, import_ids)

    def day_changes(self, con, facts: str, removal: Removal) -> list[dict]:
        """What committing the facts of DuckDB table `facts` would do, per day (in order):
        stored rows that go (`replaced_rows` of them get a new value from the facts,
        `removed_rows` do not), their amount `removed_fen`, and the facts' `added_rows`
        and `added_fen`. Reads only the touched months' files, and of them the touched days."""
        manifest = self.manifest()
        query = f"SELECT DISTINCT year(date), month(date) FROM {quote_identifier(facts)}"
        months: dict[int, set[int]] = {}
        for year, month in con.execute(query).fetchall():
            months.setdefault(int(year), set()).add(int(month))
        paths = [
            str(self.root / rel)
            for year, touched in sorted(months.items())
            for rel in manifest.daily_files_of_months(year, touched)
        ]
        removal.register(con)
        sql = f"""
            WITH new AS (SELECT date, station_code, game, amount_fen
                         FROM {quote_identifier(facts)}),
            old AS (SELECT date, station_code, game, amount_fen FROM read_parquet(?)
                    WHERE date BETWEEN (SELECT min(date) FROM new) AND (SELECT max(date) FROM new)
                    AND date IN (SELECT DISTINCT date FROM new)),
            gone AS ({removal.gone()})
            SELECT a.date, coalesce(g.replaced, 0), coalesce(g.removed, 0),
                   coalesce(g.fen, 0), a.added, a.fen
            FROM (SELECT date, count(*) AS added, CAST(sum(amount_fen) AS BIGINT) AS fen
                  FROM new GROUP BY date) a
            LEFT JOIN (SELECT date, count(*) FILTER (WHERE kept) AS replaced,
                              count(*) FILTER (WHERE NOT kept) AS removed,
                              CAST(sum(amount_fen) AS BIGINT) AS fen
                       FROM gone GROUP BY date) g USING (date)
            ORDER BY a.date
        """
        files = paths or [str(self.empty_file(DAILY))]
        names = ("replaced_rows", "removed_rows", "removed_fen", "added_rows", "added_fen")
        return [
            {"day": day.isoformat(), **dict(zip(names, map(int, rest), strict=True))}
            for day, *rest in con.execute(sql, [files]).fetchall()
        ]

    def commit_written(
        self, written: dict[int, dict], import_ids: tuple[int, ...] = (), progress=None
    ) -> CommitResult:
        """Commit partitions a YearStream wrote (for years the store did not have); the
        caller holds the writer lock since it read the manifest's version. `progress` gets
        1 per year (its files are written already)."""
        manifest = self.manifest()

        def years():
            for year, files in written.items():
                if progress is not None:
                    progress(1)
                yield year, files

        return self._swap(manifest, manifest.version + 1, years(), import_ids)

    def _swap(
        self, manifest: Manifest, version: int, written, import_ids: tuple[int, ...]
    ) -> CommitResult:
        """Swap in the next manifest naming the partitions `written` ((year, {dataset: (file,
        rows)} or None if unchanged) pairs; a daily file is a {month: file} mapping, naming the
        year's every month file) in place of the years' current ones."""
        new_parts = {ds: dict(manifest.partitions.get(ds, {})) for ds in DATASETS}
        new_rows = {ds: dict(manifest.rows.get(ds, {})) for ds in DATASETS}
        retired = dict(manifest.retired)
        changed, unchanged = [], []
        for year, files in written:
            if files is None:
                unchanged.append(year)
                continue
            changed.append(year)
            for ds, (rel, rows) in files.items():
                previous = new_parts[ds].get(year)
                if ds in BY_MONTH:
                    kept = set(rel.values())
                    for old in (previous or {}).values():
                        if old not in kept:
                            retired[old] = _now()
                elif previous:
                    retired[previous] = _now()
                new_parts[ds][year] = rel
                new_rows[ds][year] = rows
        self.checkpoint("partitions_written")
        applied = tuple(i for i in import_ids if i not in manifest.imports)
        if not changed:  # nothing to show readers: the store keeps its version
            return CommitResult(manifest, (), tuple(unchanged))
        new = Manifest(
            version=version,
            written_at=_now(),
            partitions=new_parts,
            rows=new_rows,
            imports=(*manifest.imports, *applied)[-KEEP_IMPORT_IDS:],
            retired=retired,
        )
        write_json_atomic(
            self.root / MANIFEST,
            new.to_json(),
            before_swap=lambda: self.checkpoint("manifest_written"),
        )
        self.checkpoint("swapped")
        return CommitResult(new, tuple(changed), tuple(unchanged))

    def _write_years(
        self,
        con,
        facts: str,
        years: list[int],
        manifest: Manifest,
        version: int,
        arrow,
        removal: Removal,
        progress=None,
    ) -> Iterator[tuple[int, dict | None]]:
        """Write each year's partitions; yield (year, what was written or None if unchanged) in
        the calling thread. Years the store does not have yet, given as Arrow rows in store
        order, are written two at a time (Parquet encoding and the rollups release the GIL);
        the others are merged with their stored files one after another through `con`.
        `progress` gets shares of each year's work (1 a year) as they are written."""
        stored = manifest.partitions.get(DAILY, {})
        fresh = [y for y in years if y not in stored] if arrow is not None else []
        with ThreadPoolExecutor(2) as pool:
            jobs = {
                y: pool.submit(self._write_new_year, y, rows, version)
                for y, rows in _split_years(arrow, fresh).items()
            }
            for year in years:
                written = jobs[year].result() if year in jobs else UNORDERED
                if written is not UNORDERED:
                    if progress is not None:
                        progress(1)
                    yield year, written
                    continue
                if year in stored:
                    patch = YearPatch(self, manifest, year, version, progress)
                    yield year, patch.apply(con, _year_rows(con, facts, year), removal)
                    continue
                yield year, self._write_year(con, facts, year, version, progress)

    def _write_year(self, con, facts: str, year: int, version: int, progress=None) -> dict:
        """Write the daily partition and its rollups of a year the store does not have, from
        DuckDB (the rows sorted into store order if they are not)."""
        _year_view(con, facts, year)
        rows = con.sql("SELECT * FROM _new_year").to_arrow_table()
        rollups = YearRollups.from_arrow(rows, year)
        if not rollups.in_store_order:
            del rows
            order = " ORDER BY date, station_code, game"
            rows = con.sql(f"SELECT * FROM _new_year{order}").to_arrow_table()
        daily = self._write_months(DAILY, rows.cast(DAILY_SCHEMA), year, version, progress)
        del rows
        return {DAILY: daily, **self._write_rollups(rollups, year, version, progress)}

    def _write_months(
        self, dataset: str, rows: pa.Table, year: int, version: int, progress=None, months=None
    ) -> tuple[dict[int, str], int]:
        """Write a year's daily facts or monthly rollup (in store order) as month files:
        ({month: file}, rows). `months`: only those (the others are not written); `progress`
        gets each month's share of the year's work (SHARES[dataset] of it) as it is written."""
        days = rows[SCHEMAS[dataset].names[0]].combine_chunks().cast(pa.int32()).to_numpy()
        files, total = {}, 0
        months = range(1, 13) if months is None else sorted(months)
        for month in months:
            lo, hi = np.searchsorted(days, np.array(_month_bounds(year, month), days.dtype))
            if hi > lo:
                rel = _partition_name(dataset, year, version, month)
                total += self._write_arrow(rows.slice(lo, hi - lo), self.root / rel)
                files[month] = rel
            if progress is not None:
                progress(SHARES[dataset] / len(months))
        return files, total

    def _write_new_year(self, year: int, rows: pa.Table, version: int) -> dict | object:
        """A year the store does not have, from Arrow rows; UNORDERED, writing nothing, if they
        are not in store order (DuckDB sorts them then). The daily file is written as it is
        (Arrow writes dictionary-encoded text without re-encoding it), the rollups are summed
        from the same rows. Runs in a worker thread: no DuckDB, no Django."""
        rollups = YearRollups.from_arrow(rows, year)
        if not rollups.in_store_order:
            return UNORDERED
        daily = self._write_months(DAILY, rows.select(DAILY_SCHEMA.names), year, version)
        return {DAILY: daily, **self._write_rollups(rollups, year, version)}

    def _write_rollups(self, rollups: YearRollups, year: int, version: int, progress=None) -> dict:
        """Write a year's monthly and ytd rollups; {dataset: (file or {month: file}, rows)}."""
        monthly_table, ytd_blocks = rollups.tables()
        monthly = self._write_months(MONTHLY, monthly_table, year, version, progress)
        rel = _partition_name(YTD, year, version)
        ytd = self._write_ytd(ytd_blocks, self.root / rel)
        if progress is not None:
            progress(SHARES[YTD])
        return {MONTHLY: monthly, YTD: (rel, ytd)}

    @staticmethod
    def _write_arrow(table: pa.Table, final: Path) -> int:
        """Write a daily partition or a monthly rollup from Arrow :
        temporary name, fsync, rename."""
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.tmp")
        pq.write_table(table, tmp, row_group_size=ROW_GROUP_SIZE, **_daily_options(table))
        fsync_file(tmp)
        os.replace(tmp, final)
        fsync_dir(final.parent)
        return table.num_rows

    @staticmethod
    def _write_ytd(blocks: Iterable[pa.Table], final: Path) -> int:
        """Write the ytd rollup of a year (blocks of stations as row groups), fsync, rename."""
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.tmp")
        rows = 0
        # day columns are near-unique int64: delta-encoded rather than dictionary-encoded, they
        # are written and read in half the time; not compressed on top (zstd saves < 0.5 % of
        # a delta-encoded file and costs half of its writing time)
        with pq.ParquetWriter(
            tmp,
            YTD_SCHEMA,
            compression="none",
            use_dictionary=["year", "station_code", "game"],
            write_statistics=["year", "station_code", "game"],  # not of the day columns
            column_encoding=dict.fromkeys(YTD_COLUMNS, "DELTA_BINARY_PACKED"),
        ) as writer:
            for block in blocks:
                writer.write_table(block)
                rows += block.num_rows
        fsync_file(tmp)
        os.replace(tmp, final)
        fsync_dir(final.parent)
        return rows

    def write_facts(self, table: pa.Table, import_ids: tuple[int, ...] = ()) -> CommitResult:
        """Replace the station-days of an Arrow table of daily facts (no validation: callers that
        generate trusted data, such as the demo, use this; files go through fucai.sales.ingest)."""
        import duckdb

        table = table.select(DAILY_SCHEMA.names).cast(DAILY_SCHEMA)
        con = duckdb.connect()
        try:
            con.register("_facts", table)
            return self.replace_station_days(con, "_facts", import_ids, arrow=table)
        finally:
            con.close()

    def clear(self) -> Manifest:
        """Empty the store (the demo rebuilds it): a new manifest without partitions; every
        current file is retired, so readers holding the previous manifest keep working until gc."""
        with self.locked():
            manifest = self.manifest()
            retired = dict(manifest.retired)
            for ds in DATASETS:
                for rel in manifest.files(ds):
                    retired[rel] = _now()
            new = Manifest(
                version=manifest.version + 1,
                written_at=_now(),
                imports=manifest.imports,
                retired=retired,
            )
            write_json_atomic(self.root / MANIFEST, new.to_json())
            return new

    def rebuild_rollups(self) -> Manifest:
        """Rewrite every rollup (monthly, ytd) from the daily files: after a change of
        definition, or for a store written before a rollup existed."""
        with self.locked():
            manifest = self.manifest()
            version = manifest.version + 1
            parts = {ds: dict(manifest.partitions.get(ds, {})) for ds in DATASETS}
            rows = {ds: dict(manifest.rows.get(ds, {})) for ds in DATASETS}
            retired = dict(manifest.retired)
            for year, daily in manifest.partitions.get(DAILY, {}).items():
                facts = pa.concat_tables(
                    [pq.read_table(self.root / f, schema=DAILY_SCHEMA) for f in daily.values()]
                    or [arrow.empty_table(DAILY_SCHEMA)]
                )
                written = self._write_rollups(YearRollups.from_arrow(facts, year), year, version)
                for ds, (name, n) in written.items():
                    previous = parts[ds].get(year)
                    for old in (previous or {}).values() if ds in BY_MONTH else [previous]:
                        if old:
                            retired[old] = _now()
                    parts[ds][year], rows[ds][year] = name, n
            new = replace(
                manifest,
                version=version,
                written_at=_now(),
                partitions=parts,
                rows=rows,
                retired=retired,
            )
            write_json_atomic(self.root / MANIFEST, new.to_json())
            return new

    # -- garbage collection --------------------------------------------------------------------
    def gc(self, grace: dt.timedelta = DEFAULT_GRACE) -> list[Path]:
        """Delete files retired longer than `grace` ago, and unreferenced leftovers of crashed
        writers older than `grace`. Returns the deleted paths."""
        from fucai.sales.dimensions import prune_retired_dimensions, referenced_dimension_files

        with self.locked(), self.locked(".dims.lock"):
            manifest = self.manifest()
            cutoff = dt.datetime.now(dt.UTC) - grace
            live = {p for ds in DATASETS for p in manifest.files(ds)} | referenced_dimension_files(
                self
            )
            deleted: list[Path] = []
            keep = {}
            for rel, when in manifest.retired.items():
                if rel in live:
                    continue
                if dt.datetime.fromisoformat(when) <= cutoff:
                    deleted += self._unlink(self.root / rel)
                else:
                    keep[rel] = when
            young = set(keep) | prune_retired_dimensions(self, cutoff, deleted, self._unlink)
            for path in list(self._data_files()):  # listed first: unlinking prunes directories
                rel = str(path.relative_to(self.root))
                if rel in live or rel in young:
                    continue
                if path.stat().st_mtime <= time.time() - grace.total_seconds():
                    deleted += self._unlink(path)
            if keep != dict(manifest.retired):
                write_json_atomic(self.root / MANIFEST, replace(manifest, retired=keep).to_json())
            return deleted

    def _data_files(self) -> Iterator[Path]:
        for top in (*DATASETS, "dims"):
            base = self.root / top
            if base.exists():
                yield from (p for p in base.rglob("*") if p.is_file())
        yield from (p for p in self.root.glob(".*.tmp") if p.is_file())

    @staticmethod
    def _unlink(path: Path) -> list[Path]:
        try:
            path.unlink()
        except FileNotFoundError:
            return []
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # only succeeds when empty
        return [path]
