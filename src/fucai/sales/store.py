"""The columnar sales store: Parquet files under `DATA_DIR/sales`, named by one manifest.

Layout (docs/formats.md, "Store layout")::

    sales/manifest.json                              which file is current for each partition
    sales/daily/year=2023/v000012-3f9a1c2b.parquet   date, station_code, game, amount_fen, tickets
    sales/monthly/year=2023/v000012-8d0e4a77.parquet month, station_code, game, amount_fen, tickets
    sales/ytd/year=2023/v000012-1c5e0b9d.parquet     year, station_code, game, d0101 … d1231
    sales/dims.json, sales/dims/<hash>/*.parquet     dimension snapshot (fucai.sales.dimensions)
    sales/_empty/<dataset>.parquet                   a zero-row file per dataset, for empty stores
    sales/.lock                                      held by whoever writes

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fucai.core.sql import quote_identifier

DAILY = "daily"
MONTHLY = "monthly"
YTD = "ytd"
DATASETS = (DAILY, MONTHLY, YTD)

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
SCHEMAS = {DAILY: DAILY_SCHEMA, MONTHLY: MONTHLY_SCHEMA, YTD: YTD_SCHEMA}
MONTH_OF_COLUMN = np.array([d.month - 1 for d in LEAP_DAYS])  # ytd column → month (0-11)
YTD_BLOCK = 250_000  # station × game pairs summed at once: 366 × 17 bytes each (≈ 1.6 GB)

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
KEEP_IMPORT_IDS = 200
DEFAULT_GRACE = dt.timedelta(hours=1)
EPOCH = dt.date(1970, 1, 1)
ROW_GROUP_SIZE = 122_880  # ≈ 4 days of a province's rows: date filters skip most row groups


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _partition_name(dataset: str, year: int, version: int) -> str:
    """A new, never used file name of one partition (relative to the store's root)."""
    return f"{dataset}/year={year}/v{version:06d}-{uuid.uuid4().hex[:8]}.parquet"


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
    return {y: table.filter(pa.array((days >= lo) & (days < hi))) for y, (lo, hi) in bounds.items()}


@dataclass(frozen=True)
class Manifest:
    """The store's current state: the file of each (dataset, year) partition, its row count, the
    imports applied so far and the superseded files waiting for garbage collection."""

    version: int = 0
    written_at: str = ""
    partitions: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    rows: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    imports: tuple[int, ...] = ()
    retired: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        if data.get("format") != FORMAT_VERSION:
            raise StoreError(f"unsupported sales manifest format {data.get('format')!r}")
        return cls(
            version=int(data["version"]),
            written_at=data.get("written_at", ""),
            partitions={
                ds: {int(y): p for y, p in parts.items()}
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
                ds: {str(y): p for y, p in sorted(parts.items())}
                for ds, parts in self.partitions.items()
            },
            "rows": {
                ds: {str(y): n for y, n in sorted(parts.items())} for ds, parts in self.rows.items()
            },
            "imports": list(self.imports),
            "retired": dict(sorted(self.retired.items())),
        }

    def files(self, dataset: str) -> list[str]:
        return [p for _, p in sorted(self.partitions.get(dataset, {}).items())]

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
        return rank[array.indices.to_numpy()], array.dictionary.take(pa.array(order))
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
    def of(cls, con, source: str, year: int) -> YearRollups:
        """From the DuckDB relation `source` (one year's daily facts), in its order."""
        rows = con.sql(
            f"SELECT date, station_code, game, amount_fen, tickets FROM {quote_identifier(source)}"
        ).to_arrow_table()
        return cls.from_arrow(rows, year)

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
            pa.array(first_days[month].astype(np.int32)).cast(pa.date32()),
            self.stations.take(pa.array(pair // n_games)),
            self.games.take(pa.array(pair % n_games)),
            pa.array(amount.reshape(-1)[cell]),
            pa.array(tickets.reshape(-1)[cell]),
        ]
        return pa.Table.from_arrays(columns, schema=MONTHLY_SCHEMA)

    def ytd(self) -> pa.Table:
        """The ytd rollup's rows: the pairs with facts, in order, with their year to date."""
        n_games = len(self.games)
        pairs = np.flatnonzero(self.seen.any(axis=0))
        cumulative = np.cumsum(self.amount[:, pairs], axis=0)
        columns = [
            pa.array(np.full(len(pairs), self.year, np.int32)),
            self.stations.take(pa.array(pairs // n_games)),
            self.games.take(pa.array(pairs % n_games)),
            *(pa.array(day) for day in cumulative),
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
    """One year of a YearStream: its daily file being written, its rollups being summed."""

    def __init__(self, stream: YearStream, year: int) -> None:
        self.store, self.year = stream.store, year
        self.rel = {ds: _partition_name(ds, year, stream.version) for ds in DATASETS}
        self.final = self.store.root / self.rel[DAILY]
        self.final.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.final.with_name(f".{self.final.name}.tmp")
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0
        self.sums = YearSums(year, stream.stations, stream.games)

    def add(self, block: FactBlock) -> None:
        if self.writer is None:
            self.writer = pq.ParquetWriter(
                self.tmp, block.table.schema, **_daily_options(block.table)
            )
        self.writer.write_table(block.table, row_group_size=ROW_GROUP_SIZE)
        self.rows += block.table.num_rows
        pair = block.station.astype(np.int64) * len(self.sums.games) + block.game
        column = ytd_columns_of(block.day, self.year)
        self.sums.add(column, pair, block.amount_fen, block.tickets, unique=True)

    def finish(self) -> dict:
        self.writer.close()
        fsync_file(self.tmp)
        os.replace(self.tmp, self.final)
        fsync_dir(self.final.parent)
        root, rel = self.store.root, self.rel
        monthly = self.store._write_arrow(self.sums.monthly(), root / rel[MONTHLY])
        ytd = self.store._write_ytd([self.sums.ytd()], root / rel[YTD])
        return {
            DAILY: (rel[DAILY], self.rows),
            MONTHLY: (rel[MONTHLY], monthly),
            YTD: (rel[YTD], ytd),
        }

    def abort(self) -> None:
        """Delete this year's files, written or half-written."""
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer.close()
        self.tmp.unlink(missing_ok=True)
        for rel in self.rel.values():
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
            pq.write_table(SCHEMAS[dataset].empty_table(), tmp)
            os.replace(tmp, path)
        return path

    def read_daily(self, manifest: Manifest | None = None) -> pa.Table:
        """Every daily fact, sorted by date, station and game (for tests and small stores)."""
        paths = self.paths(DAILY, manifest)
        if not paths:
            return DAILY_SCHEMA.empty_table()
        return pa.concat_tables([pq.read_table(p, schema=DAILY_SCHEMA) for p in paths])

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
        cover: older rows of those station-days (all games) go, rows of other station-days stay.

        `con` is a DuckDB connection holding `facts` (date, station_code, game, amount_fen,
        tickets) without duplicates. Years whose content would not change keep their file.
        `arrow`, if given, holds the same rows as an Arrow table (text columns may be
        dictionary-encoded): a year the store does not have yet is then written from it.
        """
        ctx = self.locked() if lock else contextlib.nullcontext()
        with ctx:
            return self._replace(con, facts, import_ids, progress, arrow)

    def _replace(
        self, con, facts: str, import_ids: tuple[int, ...], progress, arrow: pa.Table | None = None
    ) -> CommitResult:
        manifest = self.manifest()
        version = manifest.version + 1
        query = f"SELECT DISTINCT year(date) FROM {quote_identifier(facts)} ORDER BY 1"
        years = [int(r[0]) for r in con.execute(query).fetchall()]
        written = self._write_years(con, facts, years, manifest, version, arrow)
        return self._swap(manifest, version, written, import_ids, progress)

    def commit_written(
        self, written: dict[int, dict], import_ids: tuple[int, ...] = (), progress=None
    ) -> CommitResult:
        """Commit partitions a YearStream wrote (for years the store did not have); the
        caller holds the writer lock since it read the manifest's version."""
        manifest = self.manifest()
        return self._swap(manifest, manifest.version + 1, written.items(), import_ids, progress)

    def _swap(
        self, manifest: Manifest, version: int, written, import_ids: tuple[int, ...], progress
    ) -> CommitResult:
        """Swap in the next manifest naming the partitions `written` ((year, {dataset: (file,
        rows)} or None if unchanged) pairs) in place of the years' current ones."""
        new_parts = {ds: dict(manifest.partitions.get(ds, {})) for ds in DATASETS}
        new_rows = {ds: dict(manifest.rows.get(ds, {})) for ds in DATASETS}
        retired = dict(manifest.retired)
        changed, unchanged = [], []
        for year, files in written:
            if progress is not None:
                progress(year)
            if files is None:
                unchanged.append(year)
                continue
            changed.append(year)
            for ds, (rel, rows) in files.items():
                previous = new_parts[ds].get(year)
                if previous:
                    retired[previous] = _now()
                new_parts[ds][year] = rel
                new_rows[ds][year] = rows
        self.checkpoint("partitions_written")
        applied = tuple(i for i in import_ids if i not in manifest.imports)
        if not changed and not applied:
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
        self, con, facts: str, years: list[int], manifest: Manifest, version: int, arrow
    ) -> Iterator[tuple[int, dict | None]]:
        """Write each year's partitions; yield (year, what was written or None if unchanged) in
        the calling thread. Years the store does not have yet, given as Arrow rows in store
        order, are written two at a time (Parquet encoding and the rollups release the GIL);
        the others are merged with their stored file one after another through `con`."""
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
                    yield year, written
                    continue
                old = stored.get(year)
                yield (
                    year,
                    self._write_year(con, facts, year, self.root / old if old else None, version),
                )

    def _write_year(
        self, con, facts: str, year: int, old: Path | None, version: int
    ) -> dict | None:
        """Write the merged daily partition and its rollups for `year`; None if unchanged."""
        _year_view(con, facts, year)
        rel = {ds: _partition_name(ds, year, version) for ds in DATASETS}
        source = "_new_year"
        if old is not None:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _new_keys AS "
                "SELECT DISTINCT station_code, date FROM _new_year"
            )
            if self._same_rows(con, old):
                return None
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _merged AS "
                "SELECT date, station_code, game, amount_fen, tickets FROM read_parquet(?) "
                "ANTI JOIN _new_keys USING (station_code, date) "
                "UNION ALL SELECT * FROM _new_year",
                [str(old)],
            )
            source = "_merged"
        rollups = YearRollups.of(con, source, year)
        order = "" if rollups.in_store_order else " ORDER BY date, station_code, game"
        query = f"SELECT * FROM {quote_identifier(source)}{order}"
        daily_rows = self._copy(con, query, self.root / rel[DAILY])
        con.execute("DROP TABLE IF EXISTS _merged")
        return {DAILY: (rel[DAILY], daily_rows), **self._write_rollups(rollups, rel)}

    def _write_new_year(self, year: int, rows: pa.Table, version: int) -> dict | object:
        """A year the store does not have, from Arrow rows; UNORDERED, writing nothing, if they
        are not in store order (DuckDB sorts them then). The daily file is written as it is
        (Arrow writes dictionary-encoded text without re-encoding it), the rollups are summed
        from the same rows. Runs in a worker thread: no DuckDB, no Django."""
        rollups = YearRollups.from_arrow(rows, year)
        if not rollups.in_store_order:
            return UNORDERED
        rel = {ds: _partition_name(ds, year, version) for ds in DATASETS}
        daily_rows = self._write_arrow(rows.select(DAILY_SCHEMA.names), self.root / rel[DAILY])
        return {DAILY: (rel[DAILY], daily_rows), **self._write_rollups(rollups, rel)}

    def _write_rollups(self, rollups: YearRollups, rel: dict[str, str]) -> dict:
        """Write a year's monthly and ytd rollups; {dataset: (file, rows)}."""
        monthly_table, ytd_blocks = rollups.tables()
        monthly = self._write_arrow(monthly_table, self.root / rel[MONTHLY])
        ytd = self._write_ytd(ytd_blocks, self.root / rel[YTD])
        return {MONTHLY: (rel[MONTHLY], monthly), YTD: (rel[YTD], ytd)}

    @staticmethod
    def _write_arrow(table: pa.Table, final: Path) -> int:
        """Write a daily partition or a monthly rollup from Arrow (as _copy does from DuckDB):
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
        # are written and read in half the time
        with pq.ParquetWriter(
            tmp,
            YTD_SCHEMA,
            compression="zstd",
            use_dictionary=["year", "station_code", "game"],
            column_encoding=dict.fromkeys(YTD_COLUMNS, "DELTA_BINARY_PACKED"),
        ) as writer:
            for block in blocks:
                writer.write_table(block)
                rows += block.num_rows
        fsync_file(tmp)
        os.replace(tmp, final)
        fsync_dir(final.parent)
        return rows

    @staticmethod
    def _same_rows(con, old: Path) -> bool:
        """Do the new rows equal the stored rows (file `old`) of the same station-days? Both are
        unique by (station, day, game), so a full join on that key finds every difference."""
        differences = con.execute(
            "SELECT count(*) FROM ("
            "SELECT date, station_code, game, amount_fen, tickets FROM read_parquet(?) "
            "SEMI JOIN _new_keys USING (station_code, date)) o "
            "FULL JOIN _new_year n USING (date, station_code, game) "
            "WHERE o.amount_fen IS DISTINCT FROM n.amount_fen "
            "OR o.tickets IS DISTINCT FROM n.tickets",
            [str(old)],
        ).fetchall()[0][0]  # read to the end: the relational API (_year_view) needs it so
        return differences == 0

    @staticmethod
    def _copy(con, query: str, final: Path) -> int:
        """COPY a query to Parquet under a temporary name, fsync, rename into place."""
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.tmp")
        con.execute(
            f"COPY ({query}) TO ? (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ?)",
            [str(tmp), ROW_GROUP_SIZE],
        ).fetchall()
        fsync_file(tmp)
        os.replace(tmp, final)
        fsync_dir(final.parent)
        return pq.ParquetFile(final).metadata.num_rows

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
                facts = pq.read_table(self.root / daily, schema=DAILY_SCHEMA)
                rel = {ds: _partition_name(ds, year, version) for ds in (MONTHLY, YTD)}
                written = self._write_rollups(YearRollups.from_arrow(facts, year), rel)
                for ds, (name, n) in written.items():
                    if parts[ds].get(year):
                        retired[parts[ds][year]] = _now()
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
