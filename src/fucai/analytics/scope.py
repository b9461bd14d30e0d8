"""Row scope for analytics: the one place that filters Ibis tables by what the caller may see.

A `Scope` is resolved from a user with the same rules as fucai.core.scope (province and
superusers: everything; a city agency: its city; Party affairs: its city or the province; market
managers and station owners: the stations `Station.objects.restrict(user)` gives them). Runners
never touch a backend table directly: they get `ScopedTables`, whose every table has gone
through `apply_scope`. It fails closed: no scope, or a table without a known rule, raises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ibis

from fucai.accounts.choices import Role

if TYPE_CHECKING:
    import ibis.expr.types as ir

BY_STATION = "station"
PUBLIC = "public"

# how each table of the store is scoped; a table missing here cannot be read by a runner
TABLE_RULES = {
    "daily": BY_STATION,
    "monthly": BY_STATION,
    "ytd": BY_STATION,
    "stations": BY_STATION,
    "assignments": BY_STATION,
    "games": PUBLIC,  # the games catalogue
    "mof": PUBLIC,  # the Ministry of Finance's published provincial table
}


class ScopeRequired(PermissionError):
    """A runner was called without a Scope (fail closed)."""


class ScopeError(PermissionError):
    """A table has no scope rule (fail closed)."""


@dataclass(frozen=True)
class Scope:
    """Whose sales a computation may read: everything, one city (by adcode), or a set of
    stations."""

    label: str
    everything: bool = False
    city_code: str | None = None
    station_codes: frozenset[str] | None = None

    def __post_init__(self) -> None:
        kinds = [self.everything, self.city_code is not None, self.station_codes is not None]
        if sum(kinds) != 1:
            raise ValueError("a Scope is exactly one of: everything, a city, a set of stations")

    @classmethod
    def province(cls, label: str = "全省") -> Scope:
        return cls(label=label, everything=True)

    @classmethod
    def city(cls, code: str, label: str = "") -> Scope:
        return cls(label=label or code, city_code=code)

    @classmethod
    def stations(cls, codes, label: str = "") -> Scope:
        return cls(label=label or f"{len(set(codes))} stations", station_codes=frozenset(codes))

    @classmethod
    def for_user(cls, user) -> Scope:
        """The user's scope; raises ScopeRequired for no user or an inactive one."""
        from fucai.network.models import Station

        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            raise ScopeRequired("analytics need a signed-in, active user")
        if user.is_superuser or user.role == Role.PROVINCE:
            return cls.province()
        if user.role in (Role.CITY, Role.PARTY) and user.city_id:
            return cls.city(user.city.code, user.city.name)
        if user.role == Role.PARTY:
            return cls.province()
        codes = Station.objects.restrict(user).values_list("code", flat=True)
        return cls.stations(codes, getattr(user, "scope_label", "") or user.username)

    @property
    def cache_key(self) -> str:
        if self.everything:
            return "all"
        if self.city_code is not None:
            return f"city:{self.city_code}"
        return "stations:" + ",".join(sorted(self.station_codes or ()))


def apply_scope(
    table: ir.Table, name: str, scope: Scope, stations: ir.Table | Callable[[], ir.Table]
) -> ir.Table:
    """`table` (the store's table `name`) restricted to `scope`. `stations` is the unscoped
    station dimension (or a function giving it), used to find a city's stations."""
    if not isinstance(scope, Scope):
        raise ScopeRequired(f"no scope given for table {name!r}")
    rule = TABLE_RULES.get(name)
    if rule is None:
        raise ScopeError(f"table {name!r} has no scope rule")
    if rule == PUBLIC or scope.everything:
        return table
    if "station_code" not in table.columns:
        raise ScopeError(f"table {name!r} has no station_code to scope by")
    if scope.city_code is not None:
        if "city_code" in table.columns:
            return table.filter(table.city_code == scope.city_code)
        stations = stations() if callable(stations) else stations
        city = stations.filter(stations.city_code == scope.city_code).select("station_code")
        return table.semi_join(city, "station_code")
    if not scope.station_codes:
        return table.filter(ibis.literal(False))
    return table.filter(table.station_code.isin(sorted(scope.station_codes)))


def scope_mask(scope: Scope, station_codes, city_codes):
    """Which of some rows (Arrow arrays of their station's code and city) `scope` may see: the
    rules of apply_scope, for rows already in memory (a narrower scope's share of a wider
    scope's rows; a station without a city is in no city)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(scope, Scope):
        raise ScopeRequired("no scope given")
    if scope.everything:
        return pa.array([True] * len(station_codes), pa.bool_())
    if scope.city_code is not None:
        return pc.fill_null(pc.equal(city_codes, scope.city_code), False)
    codes = pa.array(sorted(scope.station_codes or ()), pa.string())
    return pc.is_in(station_codes, value_set=codes)


class ScopedTables:
    """The store's tables for one scope: the only way a runner reads data."""

    def __init__(self, tables, scope: Scope) -> None:
        if not isinstance(scope, Scope):
            raise ScopeRequired(
                "runners need a Scope (use Scope.for_user(user) or Scope.province())"
            )
        self._tables = tables
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
