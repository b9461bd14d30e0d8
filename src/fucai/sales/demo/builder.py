"""The `fucai demo` step that generates the demo's sales into the sales store.

The facts go through the store's bulk path (`SalesStore.replace_station_days`), one commit per
year, so partitions and monthly rollups are exactly what an import would have made. A marker
file (`sales/demo.json`) records the seed, the generator version and the partition files the
build produced: the store is current when the marker matches the store's manifest, and a store
with facts but no marker holds data the demo did not make, which it refuses to wipe. Each year
loaded also leaves a record in the import history (a SalesImport with source "demo"), as an
imported file would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable

import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fucai.sales.demo.generator import DemoSalesGenerator
from fucai.sales.demo.targets import SALES_DEMO_VERSION, YEARS
from fucai.sales.store import (
    DAILY,
    DATASETS,
    MANIFEST,
    Manifest,
    SalesStore,
    write_json_atomic,
)

MARKER = "demo.json"
DEMO_IMPORTER = "fucai demo"
Progress = Callable[[str, int | None], None]

FINGERPRINT = (
    "count(*), coalesce(sum(amount_fen), 0), coalesce(sum(tickets), 0), "
    "coalesce(sum(hash(date, station_code, game, amount_fen, tickets)::HUGEINT), 0)"
)


def _connect():
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def read_marker(store: SalesStore) -> dict:
    path = store.root / MARKER
    return json.loads(path.read_text()) if path.exists() else {}


def expected_marker(seed: int, manifest: Manifest) -> dict:
    return {
        "seed": seed,
        "version": SALES_DEMO_VERSION,
        "partitions": {  # as the manifest names them (a year's daily files by month)
            ds: manifest.to_json()["partitions"].get(ds, {}) for ds in DATASETS
        },
    }


def clear_store(store: SalesStore) -> None:
    """Make the store empty: a new manifest without partitions; the old files are retired (the
    store's gc deletes them after its grace period, so running readers keep working).

    The store has no API for this (SalesStore.write_facts only replaces station-days)."""
    with store.locked():
        manifest = store.manifest()
        files = [p for ds in DATASETS for p in manifest.files(ds)]
        if not files:
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        empty = Manifest(
            version=manifest.version + 1,
            written_at=now,
            partitions={},
            rows={},
            imports=manifest.imports,
            retired={**manifest.retired, **dict.fromkeys(files, now)},
        )
        write_json_atomic(store.root / MANIFEST, empty.to_json())


def write_year(store: SalesStore, con, table: pa.Table) -> None:
    """Commit one year's facts through the store's bulk path."""
    con.register("_demo_arrow", table)
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _demo_facts AS SELECT date, "
            "CAST(station_code AS VARCHAR) AS station_code, CAST(game AS VARCHAR) AS game, "
            "amount_fen, tickets FROM _demo_arrow"
        )
    finally:
        con.unregister("_demo_arrow")
    store.replace_station_days(con, "_demo_facts")
    con.execute("DROP TABLE _demo_facts")


def record_year(store: SalesStore, seed: int, batch: uuid.UUID, year: int, table: pa.Table):
    """The import-history record of one year loaded by the demo."""
    from django.utils import timezone

    from fucai.sales.choices import ImportKind, ImportSource, ImportStatus
    from fucai.sales.models import SalesImport

    manifest = store.manifest()
    partition = manifest.to_json()["partitions"].get(DAILY, {}).get(str(year), "")
    first_day, last_day = pc.min_max(table["date"]).values()
    return SalesImport.objects.create(
        batch=batch,
        user_name=DEMO_IMPORTER,
        finished_at=timezone.now(),
        file_name=_("demo sales %(year)s (seed %(seed)s)") % {"year": year, "seed": seed},
        file_sha256=hashlib.sha256(f"{seed}:{SALES_DEMO_VERSION}:{partition}".encode()).hexdigest(),
        kind=ImportKind.DAILY,
        rows=table.num_rows,
        fact_rows=table.num_rows,
        amount_fen=pc.sum(table["amount_fen"]).as_py() or 0,
        first_day=first_day.as_py(),
        last_day=last_day.as_py(),
        status=ImportStatus.SUCCEEDED,
        progress=100,
        store_version=manifest.version,
        source=ImportSource.DEMO,
    )


def demo_records():
    """The import records of the demo's daily sales (one per year; the Ministry tables' records
    are the Ministry builder's)."""
    from fucai.sales.choices import ImportKind, ImportSource
    from fucai.sales.models import SalesImport

    return SalesImport.objects.filter(source=ImportSource.DEMO, kind=ImportKind.DAILY)


def write_demo_sales(store: SalesStore, seed: int, progress: Progress) -> int:
    """Generate and store the demo's sales; returns the number of daily facts."""
    generator = DemoSalesGenerator.from_database(seed)
    progress(_("stations selling"), len(generator.stations))
    con = _connect()
    rows = 0
    batch = uuid.uuid4()
    try:
        for year, table in generator.tables():
            write_year(store, con, table)
            record_year(store, seed, batch, year, table)
            rows += table.num_rows
            progress(_("daily sales %(year)s") % {"year": year}, table.num_rows)
            del table
    finally:
        con.close()
    write_json_atomic(store.root / MARKER, expected_marker(seed, store.manifest()))
    return rows


def fingerprint(facts) -> str:
    """An order-independent hash of daily facts, a DuckDB relation (rows, sums and a hash of
    every row)."""
    (values,) = facts.aggregate(FINGERPRINT).fetchall()
    return hashlib.sha256(json.dumps([str(v) for v in values]).encode()).hexdigest()


def store_fingerprint(store: SalesStore) -> str:
    """The fingerprint of every daily fact in the store."""
    paths = [str(p) for p in store.paths(DAILY)] or [str(store.empty_file(DAILY))]
    con = _connect()
    try:
        return fingerprint(con.read_parquet(paths))
    finally:
        con.close()


def tables_fingerprint(tables: Iterable[pa.Table]) -> str:
    """The same fingerprint for generated tables (without writing them)."""
    con = _connect()
    try:
        con.execute(
            "CREATE TEMP TABLE _all (date DATE, station_code VARCHAR, game VARCHAR, "
            "amount_fen BIGINT, tickets BIGINT)"
        )
        for table in tables:
            con.register("_t", table)
            con.execute(
                "INSERT INTO _all SELECT date, CAST(station_code AS VARCHAR), "
                "CAST(game AS VARCHAR), amount_fen, tickets FROM _t"
            )
            con.unregister("_t")
        return fingerprint(con.table("_all"))
    finally:
        con.close()


class SalesDemoBuilder:
    """Daily station × game sales 2021–2023, calibrated to the seed report's figures."""

    label = gettext_lazy("sales 2021–2023")

    def __init__(self, store: SalesStore | None = None) -> None:
        self._store = store

    @property
    def store(self) -> SalesStore:
        return self._store or SalesStore()

    def is_current(self, ctx) -> bool:
        store = self.store
        marker = read_marker(store)
        if demo_records().count() != len(YEARS):
            return False
        return bool(marker) and marker == expected_marker(ctx.seed, store.manifest())

    def foreign_data(self, ctx) -> str | None:
        store = self.store
        manifest = store.manifest()
        if not any(manifest.files(ds) for ds in DATASETS) or (store.root / MARKER).exists():
            return None
        return _(
            "the sales store %(path)s holds %(rows)s daily facts that `fucai demo` did not build; "
            "build the demo with an empty data directory (set FUCAI_DATA_DIR)"
        ) % {"path": store.root, "rows": f"{manifest.row_count():,}"}

    def wipe(self, ctx) -> None:
        store = self.store
        (store.root / MARKER).unlink(missing_ok=True)
        demo_records().delete()
        clear_store(store)

    def build(self, ctx) -> None:
        store = self.store
        write_demo_sales(store, ctx.seed, ctx.progress)
        store.gc()
