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
import json
import os
import time
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

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
YTD_BLOCK = 1_000_000  # station × game cells per block: bounds memory at 366 × 8 bytes a cell

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
KEEP_IMPORT_IDS = 200
DEFAULT_GRACE = dt.timedelta(hours=1)
ROW_GROUP_SIZE = 122_880  # ≈ 4 days of a province's rows: date filters skip most row groups


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _partition_name(dataset: str, year: int, version: int) -> str:
    """A new, never used file name of one partition (relative to the store's root)."""
    return f"{dataset}/year={year}/v{version:06d}-{uuid.uuid4().hex[:8]}.parquet"


def _sql_str(value: str | Path) -> str:
    """A SQL string literal for an internal path (never user input)."""
    return "'" + str(value).replace("'", "''") + "'"


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
class YearToDateRollup:
    """One year's facts as arrays, ready to be summed into the ytd rollup: per fact its column
    (day of the leap-year calendar), station and game, ranked in string order."""

    year: int
    column: np.ndarray
    station: np.ndarray
    game: np.ndarray
    amount_fen: np.ndarray
    stations: pa.Array
    games: pa.Array

    @classmethod
    def of(cls, con, source: str, year: int) -> YearToDateRollup:
        """From the DuckDB table `source` (one year's daily facts), read in its stored order."""
        rows = con.sql(
            f"SELECT CAST(dayofyear(date) - 1 AS INTEGER) AS doy, station_code, game, amount_fen "
            f"FROM {source}"
        ).to_arrow_table()
        doy = rows["doy"].to_numpy()
        station, stations = _ranked(rows["station_code"])
        game, games = _ranked(rows["game"])
        column = doy + ((doy >= 59) & (not calendar.isleap(year)))  # common years skip d0229
        return cls(year, column, station, game, rows["amount_fen"].to_numpy(), stations, games)

    @classmethod
    def from_arrow(cls, rows: pa.Table, year: int) -> YearToDateRollup:
        """From one year's daily facts as Arrow (text columns may be dictionary-encoded)."""
        days = rows["date"].combine_chunks().cast(pa.int32()).to_numpy()
        doy = days - (dt.date(year, 1, 1) - dt.date(1970, 1, 1)).days
        station, stations = _ranked(rows["station_code"])
        game, games = _ranked(rows["game"])
        column = doy + ((doy >= 59) & (not calendar.isleap(year)))
        amounts = rows["amount_fen"].combine_chunks().to_numpy()
        return cls(year, column, station, game, amounts, stations, games)

    @property
    def in_store_order(self) -> bool:
        """Are the facts already sorted by (date, station_code, game), without duplicates?"""
        if len(self.column) < 2:
            return True
        key = (self.column * len(self.stations) + self.station) * len(self.games) + self.game
        return bool(np.all(key[1:] > key[:-1]))

    def blocks(self, cells: int = YTD_BLOCK) -> Iterator[pa.Table]:
        """The rollup's rows (station × game pairs with facts, in order), a block of stations
        at a time so that a block's days × pairs matrix stays within `cells` × 366 int64."""
        n_games = max(len(self.games), 1)
        per_block = max(1, cells // n_games)
        for lo in range(0, len(self.stations), per_block):
            hi = min(lo + per_block, len(self.stations))
            block = (self.station >= lo) & (self.station < hi)
            yield self._block(lo, hi, block)

    def _block(self, lo: int, hi: int, block: np.ndarray) -> pa.Table:
        n_games = len(self.games)
        pair = (self.station[block] - lo) * n_games + self.game[block]
        cumulative = np.zeros((len(YTD_COLUMNS), (hi - lo) * n_games), np.int64)
        np.add.at(cumulative, (self.column[block], pair), self.amount_fen[block])
        np.cumsum(cumulative, axis=0, out=cumulative)
        seen = np.zeros(cumulative.shape[1], bool)
        seen[pair] = True
        pairs = np.flatnonzero(seen)
        cumulative = cumulative[:, pairs]
        columns = [
            pa.array(np.full(len(pairs), self.year, np.int32)),
            self.stations.take(pa.array(pairs // n_games + lo)),
            self.games.take(pa.array(pairs % n_games)),
            *(pa.array(day) for day in cumulative),
        ]
        return pa.Table.from_arrays(columns, schema=YTD_SCHEMA)


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
    def locked(self, name: str = ".lock") -> Iterator[None]:
        """Exclusive writer lock (released by the kernel if the process dies)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / name, "a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
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
        years = [
            int(r[0])
            for r in con.execute(f"SELECT DISTINCT year(date) FROM {facts} ORDER BY 1").fetchall()
        ]
        new_parts = {ds: dict(manifest.partitions.get(ds, {})) for ds in DATASETS}
        new_rows = {ds: dict(manifest.rows.get(ds, {})) for ds in DATASETS}
        retired = dict(manifest.retired)
        changed, unchanged = [], []
        for year in years:
            old = manifest.partitions.get(DAILY, {}).get(year)
            if old is None and arrow is not None:
                written = self._write_new_year(con, facts, year, arrow, version)
            else:
                written = self._write_year(
                    con, facts, year, self.root / old if old else None, version
                )
            if progress is not None:
                progress(year)
            if written is None:
                unchanged.append(year)
                continue
            changed.append(year)
            for ds, (rel, rows) in written.items():
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

    def _write_year(
        self, con, facts: str, year: int, old: Path | None, version: int
    ) -> dict | None:
        """Write the merged daily partition and its rollups for `year`; None if unchanged."""
        lo, hi = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        # a view, not a copy: `facts` may be Arrow data the importer holds (copying a year of
        # text columns into DuckDB costs more than reading them twice)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW _new_year AS "
            f"SELECT date, station_code, game, amount_fen, tickets "
            f"FROM {facts} WHERE date >= DATE '{lo}' AND date < DATE '{hi}'"
        )
        rel = {ds: _partition_name(ds, year, version) for ds in DATASETS}
        source = "_new_year"
        if old is not None:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _new_keys AS "
                "SELECT DISTINCT station_code, date FROM _new_year"
            )
            old_sql = f"read_parquet({_sql_str(old)})"
            if self._same_rows(con, old_sql):
                return None
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _merged AS "
                f"SELECT date, station_code, game, amount_fen, tickets FROM {old_sql} "
                f"ANTI JOIN _new_keys USING (station_code, date) "
                f"UNION ALL SELECT * FROM _new_year"
            )
            source = "_merged"
        ytd = YearToDateRollup.of(con, source, year)
        order = "" if ytd.in_store_order else " ORDER BY date, station_code, game"
        daily_rows = self._copy(con, f"SELECT * FROM {source}{order}", self.root / rel[DAILY])
        monthly_rows = self._write_monthly(con, self.root / rel[DAILY], self.root / rel[MONTHLY])
        ytd_rows = self._write_ytd(ytd, self.root / rel[YTD])
        con.execute("DROP TABLE IF EXISTS _merged")
        return {
            DAILY: (rel[DAILY], daily_rows),
            MONTHLY: (rel[MONTHLY], monthly_rows),
            YTD: (rel[YTD], ytd_rows),
        }

    def _write_new_year(self, con, facts: str, year: int, arrow: pa.Table, version: int) -> dict:
        """A year the store does not have, from Arrow rows: the daily file is written as it is
        (Arrow writes dictionary-encoded text without re-encoding it) while the ytd rollup is
        built beside it; rows out of the store's order go through DuckDB's sort instead."""
        dates = arrow["date"]
        lo, hi = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        rows = arrow.filter(pc.and_(pc.greater_equal(dates, lo), pc.less(dates, hi)))
        ytd = YearToDateRollup.from_arrow(rows, year)
        if not ytd.in_store_order:
            return self._write_year(con, facts, year, None, version)
        rel = {ds: _partition_name(ds, year, version) for ds in DATASETS}
        with ThreadPoolExecutor(1) as pool:
            ytd_rows = pool.submit(self._write_ytd, ytd, self.root / rel[YTD])
            daily = rows.select(DAILY_SCHEMA.names)
            daily_rows = self._write_arrow(daily, self.root / rel[DAILY])
            monthly_rows = self._write_monthly(
                con, self.root / rel[DAILY], self.root / rel[MONTHLY]
            )
            return {
                DAILY: (rel[DAILY], daily_rows),
                MONTHLY: (rel[MONTHLY], monthly_rows),
                YTD: (rel[YTD], ytd_rows.result()),
            }

    @staticmethod
    def _write_arrow(table: pa.Table, final: Path) -> int:
        """Write a daily partition from Arrow (as _copy does from DuckDB): temporary name,
        fsync, rename. Without the Arrow schema in the file, text reads back as text."""
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.tmp")
        pq.write_table(
            table, tmp, compression="zstd", row_group_size=ROW_GROUP_SIZE, store_schema=False
        )
        fsync_file(tmp)
        os.replace(tmp, final)
        fsync_dir(final.parent)
        return table.num_rows

    def _write_monthly(self, con, daily: Path, target: Path) -> int:
        """The monthly rollup of one daily partition: exact sums per month × station × game."""
        query = (
            f"SELECT CAST(date_trunc('month', date) AS DATE) AS month, station_code, game, "
            f"CAST(sum(amount_fen) AS BIGINT) AS amount_fen, "
            f"CAST(sum(tickets) AS BIGINT) AS tickets "
            f"FROM read_parquet({_sql_str(daily)}) GROUP BY ALL ORDER BY month, station_code, game"
        )
        return self._copy(con, query, target)

    @staticmethod
    def _write_ytd(ytd: YearToDateRollup, final: Path) -> int:
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
            for block in ytd.blocks():
                writer.write_table(block)
                rows += block.num_rows
        fsync_file(tmp)
        os.replace(tmp, final)
        fsync_dir(final.parent)
        return rows

    @staticmethod
    def _same_rows(con, old_sql: str) -> bool:
        """Do the new rows equal the stored rows of the same station-days? Both are unique by
        (station, day, game), so a full join on that key finds every difference."""
        stored = (
            f"SELECT date, station_code, game, amount_fen, tickets FROM {old_sql} "
            f"SEMI JOIN _new_keys USING (station_code, date)"
        )
        differences = con.execute(
            f"SELECT count(*) FROM ({stored}) o "
            f"FULL JOIN _new_year n USING (date, station_code, game) "
            f"WHERE o.amount_fen IS DISTINCT FROM n.amount_fen "
            f"OR o.tickets IS DISTINCT FROM n.tickets"
        ).fetchone()[0]
        return differences == 0

    @staticmethod
    def _copy(con, query: str, final: Path) -> int:
        """COPY a query to Parquet under a temporary name, fsync, rename into place."""
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.tmp")
        con.execute(
            f"COPY ({query}) TO {_sql_str(tmp)} "
            f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_SIZE})"
        )
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
        import duckdb

        with self.locked():
            manifest = self.manifest()
            version = manifest.version + 1
            parts = {ds: dict(manifest.partitions.get(ds, {})) for ds in DATASETS}
            rows = {ds: dict(manifest.rows.get(ds, {})) for ds in DATASETS}
            retired = dict(manifest.retired)
            con = duckdb.connect()
            try:
                for year, daily in manifest.partitions.get(DAILY, {}).items():
                    rel = {ds: _partition_name(ds, year, version) for ds in (MONTHLY, YTD)}
                    counts = {
                        MONTHLY: self._write_monthly(
                            con, self.root / daily, self.root / rel[MONTHLY]
                        ),
                        YTD: self._write_ytd(
                            YearToDateRollup.of(
                                con, f"read_parquet({_sql_str(self.root / daily)})", year
                            ),
                            self.root / rel[YTD],
                        ),
                    }
                    for ds, n in counts.items():
                        if parts[ds].get(year):
                            retired[parts[ds][year]] = _now()
                        parts[ds][year], rows[ds][year] = rel[ds], n
            finally:
                con.close()
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
            for path in self._data_files():
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
