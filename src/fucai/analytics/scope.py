"""Row scope for analytics: the one place that filters Ibis tables by what the caller may see.

A `Scope` is resolved from the caller's grant (fucai.core.grant): everything, or the union of
some cities (by adcode) and some stations (by code; a county's or a market manager's or an
owner's stations, as `Station.objects.restrict` gives them). Runners never touch a backend table
directly: they get `ScopedTables`, whose every table — Ibis expressions and the in-process fast
path over the rollup files alike — has gone through this module. It fails closed: no scope, or a
table without a known rule, raises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

from fucai.core.registry import CITY, PUBLIC, analytics_rule

# How each table of the store is scoped is declared by the module that provides it (the sales
# app's `analytics_tables`, fucai.core.registry); a table nobody declares cannot be read.


class ScopeRequired(PermissionError):
    """A runner was called without a Scope (fail closed)."""


class ScopeError(PermissionError):
    """A table has no scope rule (fail closed)."""


@dataclass(frozen=True)
class Scope:
    """Whose sales a computation may read: everything, or some cities and some stations."""

    label: str
    everything: bool = False
    city_codes: frozenset[str] = frozenset()
    station_codes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.everything and (self.city_codes or self.station_codes):
            raise ValueError("a Scope of everything lists no cities or stations")

    @classmethod
    def province(cls, label: str = "全省") -> Scope:
        return cls(label=label, everything=True)

    @classmethod
    def city(cls, code: str, label: str = "") -> Scope:
        return cls(label=label or code, city_codes=frozenset({code}))

    @classmethod
    def stations(cls, codes, label: str = "") -> Scope:
        codes = frozenset(codes)
        return cls(label=label or f"{len(codes)} stations", station_codes=codes)

    @classmethod
    def for_user(cls, user) -> Scope:
        """The user's scope; raises ScopeRequired for no user or an inactive one."""
        from fucai.core.grant import grant_for

        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            raise ScopeRequired("analytics need a signed-in, active user")
        return cls.for_grant(grant_for(user))

    @classmethod
    def for_grant(cls, grant) -> Scope:
        """The analytics face of a grant's view reach."""
        from django.db.models import Q

        from fucai.geo.models import Division
        from fucai.network.models import Station

        reach = grant.view
        if reach.everything:
            return cls.province(grant.label or "全省")
        cities = Division.objects.filter(pk__in=reach.cities).values_list("code", flat=True)
        stations = Station.objects.none()
        if reach.counties or reach.stations:
            stations = Station.objects.filter(
                Q(county__in=reach.counties) | Q(pk__in=reach.stations)
            )
        return cls(
            label=grant.label,
            city_codes=frozenset(cities),
            station_codes=frozenset(stations.values_list("code", flat=True)),
        )

    @property
    def city_code(self) -> str | None:
        """The one city this scope is, when it is exactly one city."""
        if len(self.city_codes) == 1 and not self.station_codes:
            return next(iter(self.city_codes))
        return None

    @property
    def whole_cities(self) -> bool:
        """Is this scope made of whole cities (or everything)? Only such a scope's sales can be
        compared with city-level history (the monthly archive)."""
        return self.everything or bool(self.city_codes and not self.station_codes)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.city_codes or self.station_codes)

    def within_city(self, code: str, name: str = "") -> Scope:
        """This scope narrowed to one city (never widened): the whole city if the scope holds
        it, else the scope itself (its stations there are what it sees of the city)."""
        if self.everything or code in self.city_codes:
            return Scope.city(code, name or code)
        return self

    def within_station(self, code: str, city_code: str) -> Scope:
        """This scope narrowed to one station (never widened): the station alone if the scope
        sees it (its city, or the station itself), else a scope that sees nothing."""
        if self.everything or city_code in self.city_codes or code in self.station_codes:
            return Scope.stations({code}, label=code)
        return Scope(label=code)

    @property
    def cache_key(self) -> str:
        if self.everything:
            return "all"
        cities = ",".join(sorted(self.city_codes))
        return f"cities:{cities}|stations:" + ",".join(sorted(self.station_codes))


def _rule(name: str, scope: Scope) -> str:
    """How table `name` is scoped (fail closed: no Scope, or a table without a rule, raises)."""
    if not isinstance(scope, Scope):
        raise ScopeRequired(f"no scope given for table {name!r}")
    rule = analytics_rule(name)
    if rule is None:
        raise ScopeError(f"table {name!r} has no scope rule")
    return rule


def apply_scope(
    table: ir.Table, name: str, scope: Scope, stations: ir.Table | Callable[[], ir.Table]
) -> ir.Table:
    """`table` (the store's table `name`) restricted to `scope`. `stations` is the unscoped
    station dimension (or a function giving it), used to find a city's stations."""
    import ibis

    rule = _rule(name, scope)
    if rule == PUBLIC or scope.everything:
        return table
    if rule == CITY:
        return _city_rows(table, name, scope)
    if "station_code" not in table.columns:
        raise ScopeError(f"table {name!r} has no station_code to scope by")
    if scope.is_empty:
        return table.filter(ibis.literal(False))
    codes = sorted(scope.station_codes)
    if not scope.city_codes:
        return table.filter(table.station_code.isin(codes))
    cities = sorted(scope.city_codes)
    if "city_code" in table.columns:
        return table.filter(table.city_code.isin(cities) | table.station_code.isin(codes))
    stations = stations() if callable(stations) else stations
    seen = stations.filter(stations.city_code.isin(cities) | stations.station_code.isin(codes))
    return table.semi_join(seen.select("station_code"), "station_code")


def _city_rows(table: ir.Table, name: str, scope: Scope) -> ir.Table:
    """A city-level table's rows for a scope: those of the cities it holds whole (a scope of
    stations, a county's or a manager's, sees none: a city's figure is not theirs)."""
    import ibis

    if "city_code" not in table.columns:
        raise ScopeError(f"table {name!r} has no city_code to scope by")
    if not scope.city_codes:
        return table.filter(ibis.literal(False))
    return table.filter(table.city_code.isin(sorted(scope.city_codes)))


def scope_mask(scope: Scope, station_codes, city_codes):
    """Which of some rows (Arrow arrays of their station's code and city) `scope` may see: the
    rules of apply_scope, for rows already in memory (a narrower scope's share of a wider
    scope's rows; a station without a city is in no city)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from fucai.core import arrow

    if not isinstance(scope, Scope):
        raise ScopeRequired("no scope given")
    if scope.everything:
        return arrow.array(np.ones(len(station_codes), bool), pa.bool_())
    cities = arrow.array(sorted(scope.city_codes), pa.string())
    codes = arrow.array(sorted(scope.station_codes), pa.string())
    in_city = pc.fill_null(pc.is_in(city_codes, value_set=cities), arrow.scalar(False, pa.bool_()))
    return pc.or_(in_city, pc.is_in(station_codes, value_set=codes))


def scoped_rows(rows: pa.Table, name: str, scope: Scope, city_of: Callable[[], pa.Array]):
    """The rows of the store's table `name`, already in memory as Arrow, that `scope` may see:
    the rules of apply_scope. `city_of` gives each row's city (from the station dimension)
    for a table that has no city_code column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from fucai.core import arrow

    rule = _rule(name, scope)
    if rule == PUBLIC or scope.everything:
        return rows
    if rule == CITY:
        if "city_code" not in rows.column_names:
            raise ScopeError(f"table {name!r} has no city_code to scope by")
        cities = arrow.array(sorted(scope.city_codes), pa.string())
        seen = pc.is_in(rows["city_code"], value_set=cities)
        return rows.filter(pc.fill_null(seen, arrow.scalar(False, pa.bool_())))
    if "station_code" not in rows.column_names:
        raise ScopeError(f"table {name!r} has no station_code to scope by")
    city = rows["city_code"] if "city_code" in rows.column_names else city_of()
    return rows.filter(scope_mask(scope, rows["station_code"], city))


class ScopedTables:
    """The store's tables for one scope: the only way a runner reads data."""

    def __init__(self, tables, scope: Scope, context=None) -> None:
        if not isinstance(scope, Scope):
            raise ScopeRequired(
                "runners need a Scope (use Scope.for_user(user) or Scope.province())"
            )
        self._tables = tables
        self._context = context
        self.scope = scope
        self._cache: dict[str, ir.Table] = {}

    def __getitem__(self, name: str) -> ir.Table:
        if name not in self._cache:
            raw = self._tables.table(name)
            self._cache[name] = apply_scope(raw, name, self.scope, self._stations)
        return self._cache[name]

    def projected(self, name: str, columns: Sequence[str]) -> ir.Table:
        """Some columns of a table, scoped: for wide tables (the ytd rollup has a column per
        day), projecting before the scope's join keeps the expression small."""
        key = (name, tuple(columns))
        if key not in self._cache:
            raw = self._tables.table(name, columns)
            self._cache[key] = apply_scope(raw, name, self.scope, self._stations)
        return self._cache[key]

    def _stations(self) -> ir.Table:
        return self._tables.table("stations")

    def arrow(self, name: str) -> pa.Table:
        """A small table (the archive, the Ministry table, a dimension), scoped, as Arrow: in
        process read from its files with Arrow and scoped in memory (scoped_rows, the rules of
        apply_scope), elsewhere through Ibis."""
        from fucai.analytics.backends import DUCKDB

        context = self._context
        if context is None or context.backend != DUCKDB:
            return self[name].to_pyarrow()
        rows = self._tables.arrow(name)
        return scoped_rows(rows, name, self.scope, lambda: self._city_of(rows))

    def _city_of(self, rows: pa.Table):
        from fucai.analytics.slices import DimensionLookup

        lookup = DimensionLookup.of(self._context)
        return lookup.station_attribute(lookup.station_index(rows["station_code"]), "city_code")

    def rollup_columns(self, base: Sequence[str], columns: Sequence[str]) -> pa.Table:
        """The scoped ytd rollup's `base` columns and these day columns, as Arrow. In process
        (DuckDB) the rollup files are read with Arrow and scoped in memory by scope_mask (the
        rules of apply_scope), which needs no query engine; elsewhere through Ibis."""
        from fucai.analytics.backends import DUCKDB
        from fucai.analytics.slices import RollupFiles

        context = self._context
        if context is None or context.backend != DUCKDB:
            return self.projected("ytd", (*base, *columns)).to_pyarrow()
        rows = RollupFiles.of(context).read(tuple(columns))
        return scoped_rows(rows, "ytd", self.scope, lambda: self._city_of(rows))
