"""Slices of the ytd rollup, kept in memory per analytics context and scope.

A slice is the scoped rollup's rows — year, station_code, game — with some of its day columns
(the year to date at the end of those days): read from the rollup files with Arrow (in process,
RollupFiles) and scoped by scope.scope_mask, or on Spark fetched with an Ibis expression through
ScopedTables. Group keys (city, county, scene, …, game category) are looked up in the context's
dimension snapshot by station code and game, as the backend's joins would.

The cache answers a request for day columns with the slices it holds for the scope, fetching
only the columns none of them has (and, with a scope's first fetch, the month ends that the
monthly series needs). A narrower scope (a city, a set of stations) is served by filtering a
cached province slice with the same rules as fucai.analytics.scope.apply_scope. Everything is
keyed by the context, so a new store version or dimension snapshot starts afresh.
"""

from __future__ import annotations

import calendar
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fucai.analytics.scope import Scope, scope_mask
from fucai.core import arrow
from fucai.sales.store import YTD_SCHEMA, ytd_column

BASE_COLUMNS = ("year", "station_code", "game")
MONTH_ENDS = tuple(  # the ytd columns at the end of each month (d0229: February of any year)
    ytd_column(dt.date(2000, m, calendar.monthrange(2000, m)[1])) for m in range(1, 13)
)
STATION_KEYS = {  # grouping → column of the station dimension
    "city": "city_code",
    "county": "county_code",
    "scene": "scene",
    "operation": "operation",
    "partner": "partner_code",
    "party_member": "party_member",
}
NO_KEY = arrow.scalar("", pa.string())  # the key of a row the dimension has no value for
SLICES_KEPT = 16  # per context; a province slice with the month ends is ≈ 10 MB


class RollupFiles:
    """The ytd rollup's files of one store version, read with Arrow: their footers and key
    columns (year, station, game) once, then only the day columns asked for. A file is
    immutable once written, so rows keep their order and the keys stay aligned."""

    def __init__(self, paths: list) -> None:
        self.files = [pq.ParquetFile(p) for p in paths]
        self._keys: list[pa.Table] | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, context) -> RollupFiles:
        from fucai.sales.store import YTD

        with context_lock:
            if "rollup_files" not in context.memo:
                context.memo["rollup_files"] = cls(context.store.paths(YTD, context.manifest))
            return context.memo["rollup_files"]

    def keys(self) -> list[pa.Table]:
        with self._lock:
            if self._keys is None:
                self._keys = [f.read(columns=list(BASE_COLUMNS)) for f in self.files]
            return self._keys

    def read(self, columns: tuple[str, ...]) -> pa.Table:
        """Year, station, game and these day columns of every year."""
        if not self.files:
            return arrow.empty_table(YTD_SCHEMA).select([*BASE_COLUMNS, *columns])
        parts = []
        for keys, f in zip(self.keys(), self.files, strict=True):
            days = f.read(columns=list(columns))
            parts.append(
                pa.Table.from_arrays([*keys.columns, *days.columns], [*BASE_COLUMNS, *columns])
            )
        return pa.concat_tables(parts)


context_lock = threading.Lock()


class DimensionLookup:
    """The dimension snapshot's tables in memory (read once per context), and station
    attributes and game categories by code."""

    def __init__(self, dims) -> None:
        self.files = dims.files
        self._tables: dict[str, pa.Table] = {}

    @classmethod
    def of(cls, context) -> DimensionLookup:
        with context_lock:
            if "lookup" not in context.memo:
                context.memo["lookup"] = cls(context.dims)
            return context.memo["lookup"]

    def table(self, name: str) -> pa.Table:
        if name not in self._tables:
            self._tables[name] = pq.ParquetFile(self.files[name]).read()
        return self._tables[name]

    @property
    def stations(self) -> pa.Table:
        return self.table("stations")

    def station_index(self, codes: pa.ChunkedArray) -> pa.Array:
        return pc.index_in(codes, value_set=self.stations["station_code"])

    def station_attribute(self, index: pa.Array, column: str) -> pa.Array:
        return pc.fill_null(self.stations[column].take(index), NO_KEY)

    def category(self, games: pa.ChunkedArray) -> pa.Array:
        catalogue = self.table("games")
        index = pc.index_in(games, value_set=catalogue["game"])
        return pc.fill_null(catalogue["category"].take(index), NO_KEY)


@dataclass
class RollupSlice:
    """Rows of the ytd rollup for one scope with some day columns; group-key columns are
    derived on first use and kept."""

    table: pa.Table
    columns: frozenset[str]
    lookup: DimensionLookup
    _keys: dict[str, pa.Array] = field(default_factory=dict, repr=False)

    @cached_property
    def _station_index(self) -> pa.Array:
        return self.lookup.station_index(self.table["station_code"])

    def key(self, grouping: str) -> pa.Array | pa.ChunkedArray:
        """The group key of every row ("" where the dimension has no value)."""
        if grouping not in self._keys:
            self._keys[grouping] = self._derive(grouping)
        return self._keys[grouping]

    def _derive(self, grouping: str):
        if grouping == "station":
            return self.table["station_code"]
        if grouping == "game":
            return self.table["game"]
        if grouping == "game_category":
            return self.lookup.category(self.table["game"])
        return self.lookup.station_attribute(self._station_index, STATION_KEYS[grouping])

    def narrowed(self, scope: Scope) -> RollupSlice:
        """The rows `scope` may see (a province slice narrowed to a city or stations)."""
        mask = scope_mask(scope, self.table["station_code"], self.key("city"))
        return RollupSlice(self.table.filter(mask), self.columns, self.lookup)


class SliceCache:
    """The slices of one context (LRU by scope and columns); see the module docstring."""

    def __init__(self, size: int = SLICES_KEPT) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, frozenset[str]], RollupSlice] = OrderedDict()
        self._lock = threading.Lock()

    def covering(
        self,
        scope: Scope,
        columns: Iterable[str],
        fetch: Callable[[tuple[str, ...]], pa.Table],
        lookup: DimensionLookup,
    ) -> list[tuple[RollupSlice, set[str]]]:
        """Slices that together hold `columns` for `scope`, each with the columns to take from
        it; fetches (with `fetch`) what no kept slice holds."""
        needed, parts = set(columns), []
        for piece in self._kept(scope.cache_key):
            parts, needed = self._take(parts, needed, piece)
        if needed and not scope.everything:
            for piece in self._kept(Scope.province().cache_key):
                if needed & piece.columns:
                    narrowed = piece.narrowed(scope)
                    self._keep(scope.cache_key, narrowed)
                    parts, needed = self._take(parts, needed, narrowed)
        if needed:
            first = not self._kept(scope.cache_key)
            wanted = tuple(sorted(needed | (set(MONTH_ENDS) if first else set())))
            piece = RollupSlice(fetch(wanted), frozenset(wanted), lookup)
            self._keep(scope.cache_key, piece)
            parts, needed = self._take(parts, needed, piece)
        return parts

    @staticmethod
    def _take(parts: list, needed: set[str], piece: RollupSlice) -> tuple[list, set[str]]:
        use = needed & piece.columns
        if not use:
            return parts, needed
        return [*parts, (piece, use)], needed - use

    def _kept(self, scope_key: str) -> list[RollupSlice]:
        with self._lock:
            found = [(k, v) for k, v in self._items.items() if k[0] == scope_key]
            for k, _ in found:
                self._items.move_to_end(k)
            return [v for _, v in reversed(found)]

    def _keep(self, scope_key: str, piece: RollupSlice) -> None:
        with self._lock:
            self._items[(scope_key, piece.columns)] = piece
            self._items.move_to_end((scope_key, piece.columns))
            while len(self._items) > self.size:
                self._items.popitem(last=False)
