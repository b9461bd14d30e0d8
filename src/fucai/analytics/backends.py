"""Where the runners compute: an Ibis backend over the store's Parquet files.

DuckDB (in process) is the default. PySpark runs the same runner code: set
`FUCAI_ANALYTICS_BACKEND=pyspark` and, for a cluster, `FUCAI_SPARK_MASTER=spark://host:7077`
with `FUCAI_DATA_DIR` on storage every executor mounts at the same path (docs/formats.md,
"Running on Spark"). fucai.settings reads and checks these variables at start (ANALYTICS_*,
SPARK_*); the code here only reads django.conf.settings.

A context connects on first use (`AnalyticsContext.con`): importing Ibis and starting DuckDB
cost a fresh process ≈ 0.5 s, and the runners' fast paths (the ytd rollup and the small tables
read with Arrow in process) need no connection, so `fucai sales summary` never makes one. The
web's warm-up connects up front (fucai.core.warmup).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fucai.core.sql import parquet_view
from fucai.sales.archive import ARCHIVE, ARCHIVE_MANIFEST, archive_file, archive_stamp
from fucai.sales.dimensions import DimensionSnapshot, current_dimensions
from fucai.sales.store import DAILY, DATASETS, YTD, Manifest, SalesStore

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

    from fucai.analytics.scope import Scope, ScopedTables
    from fucai.sales.selling_days import SalesCalendar

DUCKDB, PYSPARK = "duckdb", "pyspark"
_spark_lock = threading.Lock()


def configured_backend() -> str:
    """settings.ANALYTICS_BACKEND (FUCAI_ANALYTICS_BACKEND, checked at start)."""
    from django.conf import settings

    return settings.ANALYTICS_BACKEND


def spark_session():
    """The process's SparkSession (settings.SPARK_MASTER, local[2] unless FUCAI_SPARK_MASTER
    says otherwise)."""
    from django.conf import settings
    from pyspark.sql import SparkSession

    with _spark_lock:
        return (
            SparkSession.builder.master(settings.SPARK_MASTER)
            .appName("fucai")
            .config("spark.sql.session.timeZone", "Asia/Shanghai")
            .config("spark.sql.shuffle.partitions", str(settings.SPARK_SHUFFLE_PARTITIONS))
            .config("spark.ui.enabled", "false")
            .config("spark.sql.ansi.enabled", "false")
            .getOrCreate()
        )


def connect(backend: str | None = None):
    """A new Ibis connection to `backend` (importing Ibis and the engine: ≈ 0.5 s in a fresh
    process, which is why contexts connect only when a runner needs an Ibis expression)."""
    import ibis

    backend = backend or configured_backend()
    if backend == DUCKDB:
        con = ibis.duckdb.connect()
        # store files never change once written (a new version has new names): keep their footers
        con.raw_sql("SET parquet_metadata_cache = true")
        return con
    if backend == PYSPARK:
        return ibis.pyspark.connect(spark_session())
    raise ValueError(f"unknown analytics backend {backend!r}")


@dataclass
class SalesTables:
    """The store's current files as Ibis tables on one backend, or (small tables, in process)
    as Arrow. Unscoped: runners reach them only through fucai.analytics.scope.ScopedTables.
    `connection` gives the backend's connection, made on first use."""

    connection: Callable[[], object]
    backend: str
    store: SalesStore
    manifest: Manifest
    dims: DimensionSnapshot
    _tables: dict = field(default_factory=dict)

    @property
    def con(self):
        return self.connection()

    def arrow(self, name: str) -> pa.Table:
        """A table's files read with Arrow (no query engine): for the small tables (the
        archive, the Ministry table, the dimensions); the fact tables are read through Ibis."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        parts = [pq.ParquetFile(p).read() for p in self._paths(name)]
        return parts[0] if len(parts) == 1 else pa.concat_tables(parts)

    def table(self, name: str, columns: Sequence[str] | None = None) -> ir.Table:
        """A table of the store or of the dimension snapshot; with `columns`, a view of just
        those (the ytd rollup has 369 columns, which every expression would otherwise carry)."""
        key = (name, tuple(columns) if columns else None)
        if key not in self._tables:
            self._tables[key] = self._load(name, key[1])
        return self._tables[key]

    def _paths(self, name: str) -> list[str]:
        if name == ARCHIVE:
            return [str(archive_file(self.store))]
        if name in DATASETS:
            paths = self.store.paths(name, self.manifest) or [self.store.empty_file(name)]
        else:
            paths = [self.dims.files[name]]
        return [str(p) for p in paths]

    def _view_name(self, name: str, columns: tuple[str, ...] | None) -> str:
        tag = self.manifest.version if name in DATASETS else self.dims.fingerprint[:12]
        if name == ARCHIVE:
            tag = archive_stamp(self.store)[:12] or "none"
        if columns:
            tag = f"{tag}_{hashlib.sha1(','.join(columns).encode()).hexdigest()[:10]}"
        return f"fucai_{name}_{tag}"

    def _load(self, name: str, columns: tuple[str, ...] | None) -> ir.Table:
        paths, view = self._paths(name), self._view_name(name, columns)
        if self.backend == PYSPARK:
            frame = self.con._session.read.parquet(*paths)
            (frame.select(*columns) if columns else frame).createOrReplaceTempView(view)
            return self.con.table(view)
        if not columns:
            return self.con.read_parquet(paths, table_name=view)
        parquet_view(self.con.con, view, paths, columns)
        return self.con.table(view)


class AnalyticsContext:
    """One consistent view of the store (a manifest, a dimension snapshot and the sales calendar)
    on one backend. Create one per request or command; runners take it with a Scope."""

    def __init__(
        self, backend: str | None = None, store: SalesStore | None = None, con=None
    ) -> None:
        from fucai.analytics.slices import SliceCache
        from fucai.sales.selling_days import SalesCalendar

        self.backend = backend or configured_backend()
        self.store = store or SalesStore()
        self._con, self._con_lock = con, threading.Lock()
        self.tables = SalesTables(
            connection=self._connection,
            backend=self.backend,
            store=self.store,
            manifest=self.store.manifest(),
            dims=current_dimensions(self.store),
        )
        self.calendar: SalesCalendar = SalesCalendar.load()
        self.slices = SliceCache()  # rollup slices by scope (fucai.analytics.slices)
        self.memo: dict = {}  # small per-context values (names of group keys, per language)
        manifest = self.tables.manifest
        self.cache_key = (
            str(self.store.root),
            self.backend,
            manifest.version,
            manifest.written_at,
            self.tables.dims.fingerprint,
            archive_stamp(self.store),
            self.calendar,
        )

    @classmethod
    def current(
        cls, backend: str | None = None, store: SalesStore | None = None
    ) -> AnalyticsContext:
        """A context kept per process and thread, revalidated at most every
        settings.ANALYTICS_RECHECK_SECONDS (FUCAI_ANALYTICS_RECHECK_SECONDS, default 2): a new
        one is made when the store's manifest, the network (cheap signature) or, at least every
        5 minutes, the dimension content changed. Web pages use this; commands make their own."""
        return _current_context(backend or configured_backend(), store or SalesStore())

    @property
    def con(self):
        """The backend's Ibis connection, made on first use: the rollup's fast path (in process)
        and the small tables read as Arrow need none, so a command that only reads them never
        imports Ibis nor starts DuckDB."""
        if self._con is None:
            with self._con_lock:
                if self._con is None:
                    self._con = connect(self.backend)
        return self._con

    def connect(self):
        """Connect now (the web's warm-up: the first page must not wait for Ibis and DuckDB)."""
        return self.con

    @property
    def connected(self):
        """The connection if one was made, else None (never connects)."""
        return self._con

    def _connection(self):
        return self.con

    def sharing_with(self, con=None) -> AnalyticsContext:
        """This context on another connection (for another thread; None: its own, made on first
        use): the same manifest, dimension snapshot, calendar, slices, memo and cache key; its
        own Ibis tables."""
        view = copy.copy(self)
        view._con, view._con_lock = con, threading.Lock()
        view.tables = dataclasses.replace(self.tables, connection=view._connection, _tables={})
        return view

    @property
    def manifest(self) -> Manifest:
        return self.tables.manifest

    @property
    def dims(self) -> DimensionSnapshot:
        return self.tables.dims

    def scoped(self, scope: Scope) -> ScopedTables:
        from fucai.analytics.scope import ScopedTables

        return ScopedTables(self.tables, scope, context=self)

    def data_years(self) -> list[int]:
        return self.manifest.years(DAILY)

    @property
    def has_ytd(self) -> bool:
        """Does every year of daily facts have its ytd rollup? (A store written before the
        rollup existed has none until `fucai sales rebuild-rollups`; runners then read the
        monthly rollup and the daily facts.)"""
        rollups = self.manifest.partitions.get(YTD, {})
        return all(year in rollups for year in self.data_years())


# -- process-wide caches --------------------------------------------------------------------------
FULL_CHECK_SECONDS = 300.0


def network_signature() -> tuple:
    """A cheap fingerprint of everything the dimension snapshot and the calendar are built from:
    counts, highest ids and last changes. Any change made through the ORM moves it (the audit
    trail's highest id moves with every save and delete of network data); the full content hash
    (current_dimensions) catches the rest at least every FULL_CHECK_SECONDS."""
    from django.db.models import Count, Max

    from fucai.core.models import ObjectChange
    from fucai.network.models import (
        MarketManager,
        PartnerOrganisation,
        Station,
        StationAssignment,
        StationOwner,
    )
    from fucai.sales.models import Game, MofReport, SalesSuspension

    parts: list = [
        tuple(
            sorted(Station.objects.aggregate(n=Count("id"), m=Max("id"), u=Max("updated")).items())
        )
    ]
    for model in (
        StationAssignment,
        StationOwner,
        PartnerOrganisation,
        MarketManager,
        MofReport,
        ObjectChange,
    ):
        parts.append(tuple(sorted(model.objects.aggregate(n=Count("id"), m=Max("id")).items())))
    parts.append(
        tuple(
            Game.objects.order_by("pk").values_list("pk", "code", "name", "category", "sort_order")
        )
    )
    parts.append(
        tuple(
            SalesSuspension.objects.order_by("pk").values_list(
                "pk", "start", "end", "draw_games_stop", "instant_stops"
            )
        )
    )
    return tuple(parts)


def _manifest_stamp(store: SalesStore) -> tuple:
    stamps = []
    for name in ("manifest.json", "dims.json", ARCHIVE_MANIFEST):
        try:
            st = (store.root / name).stat()
            stamps.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except FileNotFoundError:
            stamps.append(None)
    return tuple(stamps)


@dataclass
class _Entry:
    context: AnalyticsContext
    stamp: tuple
    signature: tuple
    checked: float
    full_checked: float


_contexts: dict[tuple, _Entry] = {}
_contexts_lock = threading.Lock()
_threads = threading.local()  # this thread's view of each kept context: key -> (context, view)


def _current_context(backend: str, store: SalesStore) -> AnalyticsContext:
    """The process's context for the store, checked as `AnalyticsContext.current` says, seen by
    this thread through its own view (its own backend connection, everything else shared: the
    dimension snapshot, calendar, slices and memo are built once for every thread)."""
    from django.conf import settings

    key = (str(store.root), backend)
    now = time.monotonic()
    with _contexts_lock:
        entry = _contexts.get(key)
    if entry is None or now - entry.checked >= settings.ANALYTICS_RECHECK_SECONDS:
        entry = _revalidated(key, entry, backend, store, now)
    return _thread_view(key, entry.context)


def _revalidated(key, entry: _Entry | None, backend: str, store: SalesStore, now: float) -> _Entry:
    stamp, signature = _manifest_stamp(store), network_signature()
    if (
        entry is not None
        and entry.stamp == stamp
        and entry.signature == signature
        and now - entry.full_checked < FULL_CHECK_SECONDS
    ):
        entry.checked = now
        return entry
    mine = getattr(_threads, "views", {}).get(key)
    context = AnalyticsContext(
        backend=backend, store=store, con=mine[1].connected if mine else None
    )
    entry = _Entry(context, _manifest_stamp(store), signature, now, now)
    with _contexts_lock:
        _contexts[key] = entry
    _remember_view(key, context, context)
    return entry


def _thread_view(key, context: AnalyticsContext) -> AnalyticsContext:
    mine = getattr(_threads, "views", {}).get(key)
    if mine is not None and mine[0] is context:
        return mine[1]
    view = context.sharing_with(mine[1].connected if mine else None)
    _remember_view(key, context, view)
    return view


def _remember_view(key, context: AnalyticsContext, view: AnalyticsContext) -> None:
    if not hasattr(_threads, "views"):
        _threads.views = {}
    _threads.views[key] = (context, view)


def forget_contexts() -> None:
    """Drop the kept contexts (after this process changed the store or the network)."""
    with _contexts_lock:
        _contexts.clear()
    _threads.views = {}


class ResultCache:
    """Runner results by (store version, dimension snapshot, calendar, scope, call): the store is
    immutable per manifest version, so a cached result is exact until the version changes."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, compute):
        if self.size <= 0:
            return compute()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@functools.cache
def result_cache() -> ResultCache:
    from django.conf import settings

    return ResultCache(settings.ANALYTICS_CACHE_SIZE)


def _hashable(value):
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(_hashable(v) for v in value))
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def cached_result(method):
    """Memoise a runner method in the process-wide ResultCache (results are read-only)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        from django.utils.translation import get_language

        key = (
            self.context.cache_key,
            self.scope.cache_key,
            type(self).__name__,
            method.__name__,
            _hashable(args),
            _hashable(kwargs),
            get_language(),
        )
        return result_cache().get(key, lambda: method(self, *args, **kwargs))

    return wrapper
