"""The columnar sales store: Parquet files under `DATA_DIR/sales`, named by one manifest.

Layout (docs/formats.md, "Store layout")::

    sales/manifest.json                              which file is current for each partition
    sales/daily/year=2023/v000012-3f9a1c2b.parquet   date, station_code, game, amount_fen, tickets
    sales/monthly/year=2023/v000012-8d0e4a77.parquet month, station_code, game, amount_fen, tickets
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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

DAILY = "daily"
MONTHLY = "monthly"
DATASETS = (DAILY, MONTHLY)

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
SCHEMAS = {DAILY: DAILY_SCHEMA, MONTHLY: MONTHLY_SCHEMA}

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
KEEP_IMPORT_IDS = 200
DEFAULT_GRACE = dt.timedelta(hours=1)
ROW_GROUP_SIZE = 122_880  # ≈ 4 days of a province's rows: date filters skip most row groups


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
        self, con, facts: str, import_ids: tuple[int, ...] = (), *, progress=None, lock: bool = True
    ) -> CommitResult:
        """Make the facts in DuckDB table `facts` the store's rows for every (station, day) they
        cover: older rows of those station-days (all games) go, rows of other station-days stay.

        `con` is a DuckDB connection holding `facts` (date, station_code, game, amount_fen,
        tickets) without duplicates. Years whose content would not change keep their file.
        """
        ctx = self.locked() if lock else contextlib.nullcontext()
        with ctx:
            return self._replace(con, facts, import_ids, progress)

    def _replace(self, con, facts: str, import_ids: tuple[int, ...], progress) -> CommitResult:
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
            written = self._write_year(con, facts, year, self.root / old if old else None, version)
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
        """Write the merged daily partition and its monthly rollup for `year`; None if unchanged."""
        lo, hi = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _new_year AS "
            f"SELECT date, station_code, game, amount_fen, tickets "
            f"FROM {facts} WHERE date >= ? AND date < ?",
            [lo, hi],
        )
        daily_rel = f"{DAILY}/year={year}/v{version:06d}-{uuid.uuid4().hex[:8]}.parquet"
        monthly_rel = f"{MONTHLY}/year={year}/v{version:06d}-{uuid.uuid4().hex[:8]}.parquet"
        order = "ORDER BY date, station_code, game"
        if old is None:
            merged = f"SELECT * FROM _new_year {order}"
        else:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _new_keys AS "
                "SELECT DISTINCT station_code, date FROM _new_year"
            )
            old_sql = f"read_parquet({_sql_str(old)})"
            if self._same_rows(con, old_sql):
                return None
            merged = (
                f"SELECT date, station_code, game, amount_fen, tickets FROM {old_sql} "
                f"ANTI JOIN _new_keys USING (station_code, date) "
                f"UNION ALL SELECT * FROM _new_year {order}"
            )
        daily_rows = self._copy(con, merged, self.root / daily_rel)
        monthly_rows = self._write_monthly(con, self.root / daily_rel, self.root / monthly_rel)
        return {DAILY: (daily_rel, daily_rows), MONTHLY: (monthly_rel, monthly_rows)}

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
            con.register("_facts_arrow", table)
            con.execute("CREATE TEMP TABLE _facts AS SELECT * FROM _facts_arrow")
            return self.replace_station_days(con, "_facts", import_ids)
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
        """Rewrite every monthly rollup from the daily files (after a change of definition)."""
        import duckdb

        with self.locked():
            manifest = self.manifest()
            version = manifest.version + 1
            parts = {ds: dict(manifest.partitions.get(ds, {})) for ds in DATASETS}
            rows = {ds: dict(manifest.rows.get(ds, {})) for ds in DATASETS}
            retired = dict(manifest.retired)
            con = duckdb.connect()
            try:
                for year, rel in manifest.partitions.get(DAILY, {}).items():
                    monthly_rel = (
                        f"{MONTHLY}/year={year}/v{version:06d}-{uuid.uuid4().hex[:8]}.parquet"
                    )
                    n = self._write_monthly(con, self.root / rel, self.root / monthly_rel)
                    if parts[MONTHLY].get(year):
                        retired[parts[MONTHLY][year]] = _now()
                    parts[MONTHLY][year], rows[MONTHLY][year] = monthly_rel, n
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
