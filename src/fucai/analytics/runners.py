"""Sales analytics as small typed runners over Ibis expressions.

Every runner takes an AnalyticsContext (one backend, one consistent view of the store) and a
Scope; it reads tables only through `ScopedTables`, so the scope filter is applied in one place
(fucai.analytics.scope). The Ibis part aggregates (the same expression runs on DuckDB and
Spark); the small results are finished in Python with exact integers (fen) and Decimal.

Reading strategy. Year-to-date windows and monthly series read the store's ytd rollup (one row
per station × game and year, one column per day holding the amount sold since 1 January): a
year to date as of D is the column of D, a month the difference of two month-end columns. A
runner takes a *slice* — the scoped rollup rows with the needed day columns, ≈ stations × games
× years rows; on Spark from an Ibis expression, in process (DuckDB) by reading the columns with
Arrow and scoping them with scope.scope_mask — and groups it in Arrow (exact int64 sums), with
group keys from the dimension snapshot. Slices are kept per context (store version + dimension
snapshot) and scope (fucai.analytics.slices), so the cockpit's runners for one day share them.

The small tables — the monthly archive and the Ministry of Finance table — are read whole as
Arrow (ScopedTables.arrow: in process from their files, elsewhere through Ibis) and finished in
Python. None of this needs a query engine, so a runner on these paths never connects: the
context's Ibis connection is made when an expression is first run. Arrays are built and summed
with fucai.core.arrow, which keeps pandas unloaded (docs/architecture.md, "Commands").

Grouping by market manager needs the day of each sale (managers change mid-month), and a store
written before the ytd rollup existed has none: those read whole months from the monthly rollup
and the days at the edges from the daily facts, aggregated by the backend. Daily series read the
daily facts.

Definitions (docs/formats.md, "Analytics"):
- year to date as of D: [1 January of D's year, D]; prior window (compare="calendar"): the
  same dates a year earlier (29 February → 28 February);
- compare="selling_days": the prior window ends when the prior year has had as many draw-game
  selling days (days outside a closure that stops draw games, e.g. 春节休市) as the current
  window, so a Spring Festival falling in January one year and February the next does not
  distort the comparison;
- record high: the window's amount is above zero and above the same window (same rule) of
  every earlier year in the store, the years before the daily facts from the monthly archive
  where the scope and grouping allow (ArchiveHistory); `since` is the first year compared;
- yoy_pct: (amount − prior) / prior × 100, rounded half-up to one decimal; None when prior is 0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fucai.analytics.backends import AnalyticsContext, cached_result
from fucai.analytics.results import (
    Figures,
    GroupFigures,
    MarketShare,
    RankedGroup,
    Ranking,
    Series,
    SeriesPoint,
    Window,
    YearToDate,
)
from fucai.analytics.scope import Scope
from fucai.analytics.slices import (
    BASE_COLUMNS,
    MONTH_ENDS,
    DimensionLookup,
    RollupSlice,
)
from fucai.core import arrow
from fucai.core.bounds import months_elapsed
from fucai.sales.choices import GameCategory, MofLottery
from fucai.sales.store import ytd_column

GROUPINGS = (
    "province",
    "city",
    "county",
    "scene",
    "operation",
    "station",
    "game",
    "game_category",
    "market_manager",
    "partner",
    "party_member",
)
STATION_COLUMNS = {
    "city": "city_code",
    "county": "county_code",
    "scene": "scene",
    "operation": "operation",
    "station": "station_code",
    "partner": "partner_code",
    "party_member": "party_member",
}
GAME_COLUMNS = {"game": "game", "game_category": "category"}
COMPARES = ("calendar", "selling_days")
ORDERS = ("amount", "growth")
CATEGORIES = (GameCategory.DRAW, GameCategory.INSTANT)
ONE_DAY = dt.timedelta(days=1)


class AnalyticsError(ValueError):
    """A runner was asked something it cannot answer (unknown grouping, bad window)."""


def parse_by(by: str | Iterable[str] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    items = [b.strip() for b in (by.split(",") if isinstance(by, str) else by) if b and b.strip()]
    unknown = [b for b in items if b not in GROUPINGS]
    if unknown:
        raise AnalyticsError(
            f"cannot group by {', '.join(unknown)}; choose from {', '.join(GROUPINGS)}"
        )
    if len(set(items)) != len(items):
        raise AnalyticsError("a grouping is given twice")
    return tuple(items)


# -- calendar helpers ---------------------------------------------------------------------------
def same_day_in(year: int, day: dt.date) -> dt.date:
    """The same month and day in another year (29 February → 28 February)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def full_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """First and last month (as first days) lying wholly inside [start, end], if any."""
    first = start if start.day == 1 else next_month(start)
    after = next_month(end) if next_month(end) - ONE_DAY == end else month_start(end)
    last = dt.date(after.year - (after.month == 1), (after.month - 2) % 12 + 1, 1)
    return (first, last) if first <= last else None


# -- names of group keys ------------------------------------------------------------------------
class GroupNames:
    """Human names of group keys, from the dimension snapshot and the choices' labels."""

    def __init__(self, context: AnalyticsContext) -> None:
        self.dims = DimensionLookup.of(context)
        self._maps: dict[str, dict[str, str]] = {}

    @classmethod
    def of(cls, context: AnalyticsContext) -> GroupNames:
        """The context's names in the active language (built once per context and language)."""
        key = ("names", get_language())
        if key not in context.memo:
            context.memo[key] = cls(context)
        return context.memo[key]

    def _map(self, table: str, key: str, name: str) -> dict[str, str]:
        t = self.dims.table(table)
        return dict(zip(t[key].to_pylist(), t[name].to_pylist(), strict=True))

    def _names(self, grouping: str) -> dict[str, str]:
        """Key → name of one grouping (built on first use)."""
        if grouping not in self._maps:
            self._maps[grouping] = self._build(grouping)
        return self._maps[grouping]

    def _build(self, grouping: str) -> dict[str, str]:
        from fucai.network.choices import StationOperation, StationScene

        station_names = {"city": "city_name", "county": "county_name", "station": "station_name"}
        if grouping in station_names:
            return self._map("stations", STATION_COLUMNS[grouping], station_names[grouping])
        if grouping == "partner":
            return {**self._map("stations", "partner_code", "partner_name"), "": _("无合作组织")}
        if grouping == "market_manager":
            return {**self._map("assignments", "manager_code", "manager_name"), "": _("未分配")}
        if grouping == "game":
            return self._map("games", "game", "game_name")
        choices = {
            "game_category": GameCategory,
            "scene": StationScene,
            "operation": StationOperation,
        }
        if grouping in choices:
            return {str(c.value): str(c.label) for c in choices[grouping]}
        if grouping == "party_member":  # consenting members only (fucai.sales.dimensions)
            return {"yes": _("党员先锋示范岗"), "no": _("其他站点")}
        return {}

    @cached_property
    def province(self) -> tuple[str, str]:
        from fucai.geo.models import Division

        division = Division.objects.filter(level="province").order_by("code").first()
        return (division.code, division.name) if division else ("", _("全省"))

    def name(self, grouping: str, key: str) -> str:
        if grouping == "province":
            return self.province[1]
        return str(self._names(grouping).get(key, key))


# -- summing in Arrow ------------------------------------------------------------------------------
def full_key(key: Sequence[str], groupings: Sequence[str]) -> tuple[str, ...]:
    """A group's key per grouping, "" for the province (which has no key column)."""
    values = iter(key)
    return tuple("" if g == "province" else next(values) for g in groupings)


def summed(rows: pa.Table, keys: Sequence[str]) -> dict[tuple, int]:
    """{key tuple: sum of amount_fen} over the rows (exact int64 sums)."""
    sums = summed_columns(rows, keys, ("amount_fen",))
    return {key: values[0] for key, values in sums.items()}


def summed_columns(
    rows: pa.Table, keys: Sequence[str], columns: Sequence[str]
) -> dict[tuple, list[int]]:
    """{key tuple: [sum of each column]} over the rows (exact int64 sums, nulls as 0)."""
    if rows.num_rows == 0:
        return {}
    groups = arrow.Groups.of([rows[k] for k in keys], rows.num_rows)
    value_lists = [groups.sums(arrow.numpy(rows[c], fill=0)).tolist() for c in columns]
    return dict(
        zip(
            zip(*groups.keys, strict=True),
            map(list, zip(*value_lists, strict=True)),
            strict=True,
        )
    )


# -- the runners ----------------------------------------------------------------------------------
class Runner:
    """Base: a context and a scope (required: no scope, no data)."""

    def __init__(self, context: AnalyticsContext, scope: Scope) -> None:
        self.context = context
        self.scope = scope
        self.tables = context.scoped(scope)

    # -- the ytd rollup --------------------------------------------------------------------------
    def uses_rollup(self, groupings: Sequence[str]) -> bool:
        """Can these groupings be answered from the ytd rollup (see the module docstring)?"""
        return self.context.has_ytd and "market_manager" not in groupings

    def rollup_parts(self, columns: Iterable[str]) -> list[tuple[RollupSlice, set[str]]]:
        """Slices of the scoped ytd rollup holding these day columns (fucai.analytics.slices),
        each with the columns to read from it."""
        return self.context.slices.covering(
            self.scope, columns, self._fetch_slice, DimensionLookup.of(self.context)
        )

    def _fetch_slice(self, columns: tuple[str, ...]) -> pa.Table:
        """The scoped rollup's rows with these day columns (through ScopedTables)."""
        return self.tables.rollup_columns(BASE_COLUMNS, columns)

    def rollup_rows(self, ends: dict[int, dt.date], groupings: Sequence[str]) -> pa.Table:
        """Year to date (1 January … end) of each year in `ends`, per station and game, as rows
        (window, k_<grouping>…, amount_fen) for `summed`."""
        columns = {year: ytd_column(end) for year, end in ends.items()}
        tables = []
        for part, use in self.rollup_parts(set(columns.values())):
            years = arrow.numpy(part.table["year"])
            amount = np.zeros(len(years), np.int64)
            keep = np.zeros(len(years), bool)
            for year, column in columns.items():
                if column in use:
                    mine = years == year
                    amount[mine] = arrow.numpy(part.table[column])[mine]
                    keep |= mine
            keep &= amount != 0  # a pair that sold nothing in the window: no row, as with facts
            mask = arrow.array(keep, pa.bool_())
            keys = {f"k_{g}": part.key(g).filter(mask) for g in groupings if g != "province"}
            window = arrow.array(years[keep].astype(np.int64), pa.int64())
            fen = arrow.array(amount[keep], pa.int64())
            tables.append(pa.table({"window": window, **keys, "amount_fen": fen}))
        return tables[0] if len(tables) == 1 else pa.concat_tables(tables)

    # one window of days as rows (window label, station_code, game, amount_fen [, date])
    def _days(self, start: dt.date, end: dt.date, label, with_date: bool):
        d = self.tables["daily"]
        cols = {
            "window": label,
            "station_code": d.station_code,
            "game": d.game,
            "amount_fen": d.amount_fen,
        }
        if with_date:
            cols["date"] = d.date
        return d.filter((d.date >= start) & (d.date <= end)).select(**cols)

    def _months(self, first: dt.date, last: dt.date, label):
        m = self.tables["monthly"]
        return m.filter((m.month >= first) & (m.month <= last)).select(
            window=label, station_code=m.station_code, game=m.game, amount_fen=m.amount_fen
        )

    def window_rows(self, windows: Sequence[tuple[int, dt.date, dt.date]], with_date: bool = False):
        """Fact rows of several labelled windows, read from the rollup where whole months allow."""
        import ibis

        parts = []
        for label, start, end in windows:
            tag = ibis.literal(label, type="int64")
            months = None if with_date else full_months(start, end)
            if months is None:
                parts.append(self._days(start, end, tag, with_date))
                continue
            first, last = months
            parts.append(self._months(first, last, tag))
            if start < first:
                parts.append(self._days(start, first - ONE_DAY, tag, False))
            if end >= next_month(last):
                parts.append(self._days(next_month(last), end, tag, False))
        if not parts:
            parts.append(
                self._days(
                    dt.date(1, 1, 2), dt.date(1, 1, 1), ibis.literal(0, type="int64"), with_date
                )
            )
        return parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)

    def grouped(
        self, rows, groupings: Sequence[str], extra: Sequence[str] = ("window",)
    ) -> pa.Table:
        """Sum amount_fen of `rows` by `extra` columns and the groupings' keys (one query)."""
        by_station = any(g in STATION_COLUMNS for g in groupings)
        if "market_manager" not in groupings:  # sum before joining the dimensions: fewer rows
            detail = [*extra, *(["station_code"] if by_station else []), "game"]
            rows = rows.group_by(list(dict.fromkeys(detail))).aggregate(
                amount_fen=rows.amount_fen.sum()
            )
        joined = rows
        station_cols = [STATION_COLUMNS[g] for g in groupings if g in STATION_COLUMNS]
        station_cols = [c for c in dict.fromkeys(station_cols) if c != "station_code"]
        if station_cols:
            s = self.tables["stations"].select("station_code", *station_cols)
            joined = joined.left_join(s, "station_code").select(*joined.columns, *station_cols)
        game_cols = [
            GAME_COLUMNS[g] for g in groupings if g in GAME_COLUMNS and GAME_COLUMNS[g] != "game"
        ]
        if game_cols:
            g = self.tables["games"].select("game", *game_cols)
            joined = joined.left_join(g, "game").select(*joined.columns, *game_cols)
        if "market_manager" in groupings:
            a = self.tables["assignments"]
            on = [
                joined.station_code == a.station_code,
                joined.date >= a.valid_from,
                a.valid_to.isnull() | (joined.date < a.valid_to),
            ]
            joined = joined.left_join(a, on).select(*joined.columns, manager_code=a.manager_code)
        keys = []
        for grouping in groupings:
            if grouping == "province":
                continue
            column = (
                "manager_code"
                if grouping == "market_manager"
                else (STATION_COLUMNS.get(grouping) or GAME_COLUMNS[grouping])
            )
            keys.append(joined[column].fill_null("").name(f"k_{grouping}"))
        expr = joined.group_by([*(joined[c] for c in extra), *keys]).aggregate(
            amount_fen=joined.amount_fen.sum()
        )
        return expr.to_pyarrow()


@dataclass(frozen=True)
class GroupMatrix:
    """Amounts of every group (rows) in every window (columns, years in ascending order), with
    the groups' keys as one list per grouping ("" for the province)."""

    by: tuple[str, ...]
    years: tuple[int, ...]
    keys: list[list[str]]
    amounts: np.ndarray

    @classmethod
    def of(cls, rows: pa.Table, by: tuple[str, ...], years: Sequence[int]) -> GroupMatrix:
        """Sum the rows (window, k_<grouping>…, amount_fen) per group and window."""
        columns = [f"k_{g}" for g in by if g != "province"]
        groups = arrow.Groups.of([rows[c] for c in columns], rows.num_rows)
        taken = dict(zip(columns, groups.keys, strict=True))
        years = tuple(sorted(years))
        amounts = np.zeros((groups.count, len(years)), np.int64)
        window = np.searchsorted(np.array(years), arrow.numpy(rows["window"]))
        np.add.at(amounts, (groups.ids, window), arrow.numpy(rows["amount_fen"], fill=0))
        empty = [""] * groups.count
        keys = [empty if g == "province" else taken[f"k_{g}"] for g in by]
        return cls(by, years, keys, amounts)

    def __len__(self) -> int:
        return len(self.amounts)

    def key(self, i: int) -> tuple[str, ...]:
        return tuple(k[i] for k in self.keys)

    def by_year(self, i: int) -> dict[int, int]:
        return dict(zip(self.years, self.amounts[i].tolist(), strict=True))

    def column(self, year: int) -> np.ndarray:
        return self.amounts[:, self.years.index(year)]


@dataclass(frozen=True)
class WindowSums:
    """Year-to-date amounts (fen) per window (year): in total, per game category and per group."""

    by: tuple[str, ...]
    windows: dict[int, Window]
    total: dict[int, int]
    category: dict[tuple[str, int], int]
    groups: GroupMatrix | None


class YearToDateRunner(Runner):
    """Year to date as of a day, its year-on-year change, the draw/instant split, optional groups,
    and whether it is a record high; one query for all of it."""

    @cached_result
    def run(
        self,
        as_of: dt.date,
        by: str | Iterable[str] | None = None,
        compare: str = "calendar",
        history: bool = True,
    ) -> YearToDate:
        sums = self.sums(as_of, by, compare, history)
        return self._assemble(as_of, compare, sums)

    def sums(
        self, as_of: dt.date, by: str | Iterable[str] | None, compare: str, history: bool
    ) -> WindowSums:
        by = parse_by(by)
        if compare not in COMPARES:
            raise AnalyticsError(f"compare must be one of {', '.join(COMPARES)}")
        windows = self.windows(as_of, compare, history)
        groupings = list(by) if "game_category" in by else [*by, "game_category"]
        if self.uses_rollup(groupings):
            rows = self.rollup_rows({y: w.end for y, w in windows.items()}, groupings)
        else:
            rows = self.grouped(
                self.window_rows(
                    [(y, w.start, w.end) for y, w in windows.items()],
                    with_date="market_manager" in by,
                ),
                groupings,
            )
        if history:
            archived = ArchiveHistory(self.tables, self.scope, self.context.data_years())
            windows, rows = archived.added(as_of, groupings, windows, rows)
        return WindowSums(
            by=by,
            windows=windows,
            total={y: a for (y,), a in summed(rows, ["window"]).items()},
            category=dict(summed(rows, ["k_game_category", "window"])),
            groups=GroupMatrix.of(rows, by, list(windows)) if by else None,
        )

    def windows(self, as_of: dt.date, compare: str, history: bool = True) -> dict[int, Window]:
        """The window of every year compared: the as-of year, the year before and, with history,
        every earlier year of the store."""
        years = {as_of.year, as_of.year - 1}
        if history:
            years |= {y for y in self.context.data_years() if y < as_of.year}
        if compare == "selling_days":
            n = self.context.calendar.selling_days(dt.date(as_of.year, 1, 1), as_of)
            ends = {y: self.context.calendar.aligned_end(y, n) for y in years if y != as_of.year}
        else:
            ends = {y: same_day_in(y, as_of) for y in years if y != as_of.year}
        ends[as_of.year] = as_of
        return {y: Window(dt.date(y, 1, 1), ends[y]) for y in sorted(years)}

    def _assemble(self, as_of: dt.date, compare: str, sums: WindowSums) -> YearToDate:
        year, prior, windows = as_of.year, as_of.year - 1, sums.windows
        figures = FiguresOf(year, [y for y in windows if y < year])
        builder = GroupBuilder(GroupNames.of(self.context), sums.by, figures)
        groups = sums.groups
        group_list = (
            [builder.build(groups.key(i), groups.by_year(i)) for i in range(len(groups))]
            if groups is not None
            else []
        )
        group_list.sort(key=lambda g: (-g.amount_fen, g.key))
        return YearToDate(
            as_of=as_of,
            compare=compare,
            scope=self.scope.label,
            window=windows[year],
            prior_window=windows[prior],
            total=figures(sums.total),
            by_category={
                str(c): figures({y: sums.category.get((c, y), 0) for y in windows})
                for c in CATEGORIES
            },
            by=sums.by,
            groups=group_list,
            history={y: sums.total.get(y, 0) for y in windows},
        )


@dataclass(frozen=True)
class FiguresOf:
    """Figures of the as-of year from amounts by year: the prior year's amount, whether it is a
    record high against the earlier years, and the first year compared (`since`)."""

    year: int
    earlier: list[int]

    def __call__(self, by_year: dict[int, int]) -> Figures:
        current = by_year.get(self.year, 0)
        record = (
            current > 0
            and bool(self.earlier)
            and all(current > by_year.get(y, 0) for y in self.earlier)
        )
        since = min(self.earlier, default=None)
        return Figures(current, by_year.get(self.year - 1, 0), record, since)


ARCHIVE_GROUPINGS = frozenset({"province", "city", "game_category"})


def prorated_window(months: dict[int, int], end: dt.date) -> int:
    """A year's amount from 1 January to `end` from its monthly amounts ({month: fen}): the
    whole months before `end`'s month, and `end`'s month prorated by calendar days (day of
    `end` / days of the month), rounded half-up to the fen (docs/formats.md, "Monthly
    archive")."""
    whole = sum(months.get(m, 0) for m in range(1, end.month))
    days = (next_month(end) - month_start(end)).days
    part = Fraction(months.get(end.month, 0) * end.day, days)
    return whole + int(part + Fraction(1, 2))  # amounts are never negative


@dataclass(frozen=True)
class ArchiveHistory:
    """The years before the daily facts, from the monthly archive (city × category × month,
    fucai.sales.archive), as extra windows of a year to date. Used only where the archive can
    answer: a scope of whole cities (or the province) grouped by nothing finer than city and
    game category; finer scopes and groupings compare with the daily years alone. An archive
    year counts when it holds all twelve months in the scope."""

    tables: object
    scope: Scope
    daily_years: list[int]

    def usable(self, groupings: Sequence[str]) -> bool:
        return self.scope.whole_cities and set(groupings) <= ARCHIVE_GROUPINGS

    def added(self, as_of: dt.date, groupings, windows: dict[int, Window], rows: pa.Table):
        """`windows` and `rows` (window, k_<grouping>…, amount_fen) with the archive's years."""
        if not self.usable(groupings):
            return windows, rows
        first_daily = min(self.daily_years, default=as_of.year)
        cells = self._cells(min(first_daily, as_of.year))
        years = sorted({y for y, *_ in cells})
        if not years:
            return windows, rows
        by_city = "city" in groupings
        ends = {y: same_day_in(y, as_of) for y in years}
        amounts: dict[tuple, int] = defaultdict(int)
        months: dict[tuple, dict[int, int]] = defaultdict(dict)
        for (year, city, category, month), fen in cells.items():
            months[(year, city, category)][month] = fen
        for (year, city, category), by_month in months.items():  # each city prorated, then summed
            amounts[(year, city if by_city else "", category)] += prorated_window(
                by_month, ends[year]
            )
        columns: dict[str, list] = {"window": [], "k_game_category": [], "amount_fen": []}
        if by_city:
            columns["k_city"] = []
        for (year, city, category), fen in sorted(amounts.items()):
            columns["window"].append(year)
            columns["k_game_category"].append(category)
            columns["amount_fen"].append(fen)
            if by_city:
                columns["k_city"].append(city)
        extra = arrow.table(columns, rows.schema)
        windows = {**{y: Window(dt.date(y, 1, 1), ends[y]) for y in years}, **windows}
        return dict(sorted(windows.items())), pa.concat_tables([rows, extra])

    def _cells(self, before: int) -> dict[tuple[int, str, str, int], int]:
        """{(year, city, category, month): fen} of the complete archive years before `before`."""
        a = self.tables.arrow("archive")
        a = a.filter(pc.less(a["month"], arrow.scalar(dt.date(before, 1, 1), pa.date32())))
        rows = a.select(["city_code", "category", "month", "amount_fen"]).to_pylist()
        months_of: dict[int, set[int]] = defaultdict(set)
        for r in rows:
            months_of[r["month"].year].add(r["month"].month)
        complete = {y for y, m in months_of.items() if len(m) == 12}
        return {
            (r["month"].year, r["city_code"], r["category"], r["month"].month): r["amount_fen"]
            for r in rows
            if r["month"].year in complete
        }


@dataclass(frozen=True)
class GroupBuilder:
    """GroupFigures of a group key (the province's key is its division code)."""

    names: GroupNames
    by: tuple[str, ...]
    figures: FiguresOf

    def key_text(self, key: tuple[str, ...]) -> str:
        return "/".join(self._keys(key))

    def _keys(self, key: tuple[str, ...]) -> tuple[str, ...]:
        province = self.names.province[0] if "province" in self.by else ""
        return tuple(province if g == "province" else k for g, k in zip(self.by, key, strict=True))

    def build(self, key: tuple[str, ...], amounts: dict[int, int]) -> GroupFigures:
        keys = self._keys(key)
        return GroupFigures(
            key="/".join(keys),
            name=" / ".join(self.names.name(g, k) for g, k in zip(self.by, keys, strict=True)),
            keys=dict(zip(self.by, keys, strict=True)),
            figures=self.figures(amounts),
        )


class RankingRunner(Runner):
    """Top or bottom N groups by year-to-date amount, or by growth on the prior window (groups
    without a prior amount cannot be ranked by growth and are listed apart)."""

    @cached_result
    def run(
        self,
        as_of: dt.date,
        by: str = "city",
        top: int = 10,
        order: str = "amount",
        bottom: bool = False,
        compare: str = "calendar",
    ) -> Ranking:
        if order not in ORDERS:
            raise AnalyticsError(f"order must be one of {', '.join(ORDERS)}")
        sums = YearToDateRunner(self.context, self.scope).sums(as_of, (by,), compare, history=False)
        year, prior = as_of.year, as_of.year - 1
        figures = FiguresOf(year, [y for y in sums.windows if y < year])
        builder = GroupBuilder(GroupNames.of(self.context), sums.by, figures)
        groups = sums.groups
        amount, base = groups.column(year), groups.column(prior)
        without = []
        if order == "growth":
            without = [
                builder.build(groups.key(i), groups.by_year(i)) for i in np.flatnonzero(base == 0)
            ]
            without.sort(key=lambda g: (-g.amount_fen, g.key))
        chosen = self._order(groups, builder, amount, base, order, bottom)[: max(top, 0)]
        entries = [
            RankedGroup(rank=n + 1, group=builder.build(groups.key(i), groups.by_year(i)))
            for n, i in enumerate(chosen)
        ]
        return Ranking(
            as_of=as_of, by=by, order=order, bottom=bottom, entries=entries, without_base=without
        )

    @staticmethod
    def _order(groups, builder, amount, base, order: str, bottom: bool) -> list[int]:
        """Group indices by the measure (descending, or ascending for the bottom), then key;
        groups without a prior amount are left out of a growth ranking."""
        if groups.by in (("province",), ()) or len(groups.by) > 1:
            texts = [builder.key_text(groups.key(i)) for i in range(len(groups))]
        else:
            texts = groups.keys[0]
        if order == "growth":  # exact: two growth rates may differ beyond a float's digits
            ranked = [i for i in range(len(groups)) if base[i] != 0]
            sign = 1 if bottom else -1
            ranked.sort(
                key=lambda i: (sign * Fraction(int(amount[i] - base[i]), int(base[i])), texts[i])
            )
            return ranked
        measure = amount if bottom else -amount
        return np.lexsort((np.array(texts, dtype=str), measure)).tolist()


class SeriesRunner(Runner):
    """Monthly series (this year to the as-of day against last year's same months) and daily
    series, optionally per group; each in one query (the current and the prior year's periods
    as two labelled windows)."""

    CURRENT, PRIOR = 0, 1

    @cached_result
    def monthly(self, as_of: dt.date, by: str | None = None) -> Series:
        """Every month from January of the previous year to the as-of month (that month up to
        the as-of day), each with the same month a year earlier (up to the same day)."""
        groupings = parse_by(by)
        start = dt.date(as_of.year - 1, 1, 1)
        if self.uses_rollup(groupings):
            return self._monthly_from_rollup(as_of, groupings)
        windows = [
            (self.CURRENT, start, as_of),
            (self.PRIOR, dt.date(as_of.year - 2, 1, 1), same_day_in(as_of.year - 1, as_of)),
        ]
        parts = [self._month_rows(label, a, b, groupings) for label, a, b in windows]
        rows = self.grouped(_union(parts), groupings, extra=("window", "period"))
        shift = {self.CURRENT: lambda p: p, self.PRIOR: lambda p: p.replace(year=p.year + 1)}
        return self._series("month", start, as_of, groupings, rows, shift)

    def _monthly_from_rollup(self, as_of: dt.date, groupings: tuple[str, ...]) -> Series:
        """The monthly series as differences of month-end columns of the ytd rollup: sums per
        year and group of the month ends and of the as-of day (and its day a year earlier)."""
        year = as_of.year
        days = (ytd_column(as_of), ytd_column(same_day_in(year - 1, as_of)))
        keys = [f"k_{g}" for g in groupings if g != "province"]
        sums: dict[tuple, dict[str, int]] = defaultdict(dict)
        years = pa.array(range(year - 2, year + 1), pa.int32())
        for part, use in self.rollup_parts({*MONTH_ENDS, *days}):
            columns = sorted(use)
            mask = pc.is_in(part.table["year"], value_set=years)
            table = pa.table(
                {
                    "year": part.table["year"].filter(mask),
                    **{f"k_{g}": part.key(g).filter(mask) for g in groupings if g != "province"},
                    **{c: part.table[c].filter(mask) for c in columns},
                }
            )
            for (y, *key), values in summed_columns(table, ["year", *keys], columns).items():
                sums[(y, tuple(key))].update(zip(columns, values, strict=True))

        def amount(y: int, key: tuple, month: int, end: str | None = None) -> int:
            values = sums.get((y, key), {})
            before = values.get(MONTH_ENDS[month - 2], 0) if month > 1 else 0
            return values.get(end or MONTH_ENDS[month - 1], 0) - before

        names = GroupNames.of(self.context)
        periods = [(year - 1, m) for m in range(1, 13)]
        periods += [(year, m) for m in range(1, as_of.month + 1)]
        points = []
        for key in {key for _year, key in sums}:
            full = full_key(key, groupings)
            name = " / ".join(names.name(g, k) for g, k in zip(groupings, full, strict=True))
            for y, month in periods:
                partial = (y, month) == (year, as_of.month)
                current = amount(y, key, month, days[0] if partial else None)
                prior = amount(y - 1, key, month, days[1] if partial else None)
                if current or prior:
                    point = SeriesPoint(dt.date(y, month, 1), "/".join(full), name, current, prior)
                    points.append((point.period, full, point))
        points.sort(key=lambda p: p[:2])
        return Series(
            freq="month",
            start=dt.date(year - 1, 1, 1),
            end=as_of,
            by=",".join(groupings) or None,
            points=[p for _, _, p in points],
        )

    @cached_result
    def daily(self, start: dt.date, end: dt.date, by: str | None = None) -> Series:
        """Every day in [start, end], each with the same day a year earlier."""
        import ibis

        if end < start:
            raise AnalyticsError("the series ends before it starts")
        groupings = parse_by(by)
        prior = (same_day_in(start.year - 1, start), same_day_in(end.year - 1, end))
        d = self.tables["daily"]
        parts = [
            d.filter((d.date >= a) & (d.date <= b)).select(
                window=ibis.literal(label, type="int64"),
                period=d.date,
                station_code=d.station_code,
                game=d.game,
                amount_fen=d.amount_fen,
                date=d.date,
            )
            for label, a, b in ((self.CURRENT, start, end), (self.PRIOR, *prior))
        ]
        rows = self.grouped(_union(parts), groupings, extra=("window", "period"))
        shift = {self.CURRENT: lambda p: p, self.PRIOR: lambda p: same_day_in(p.year + 1, p)}
        return self._series("day", start, end, groupings, rows, shift)

    def _month_rows(self, label: int, start: dt.date, end: dt.date, groupings):
        """Rows of [start, end] labelled by month: whole months from the rollup, the last
        partial month from the daily facts (all from daily facts for market managers)."""
        import ibis

        tag = ibis.literal(label, type="int64")
        d = self.tables["daily"]
        if "market_manager" in groupings:
            return d.filter((d.date >= start) & (d.date <= end)).select(
                window=tag,
                period=d.date.truncate("M").cast("date"),
                station_code=d.station_code,
                game=d.game,
                amount_fen=d.amount_fen,
                date=d.date,
            )
        parts = []
        months = full_months(start, end)
        if months is not None:
            m = self.tables["monthly"]
            parts.append(
                m.filter((m.month >= months[0]) & (m.month <= months[1])).select(
                    window=tag,
                    period=m.month,
                    station_code=m.station_code,
                    game=m.game,
                    amount_fen=m.amount_fen,
                )
            )
        tail = next_month(months[1]) if months else start
        if tail <= end:
            parts.append(
                d.filter((d.date >= tail) & (d.date <= end)).select(
                    window=tag,
                    period=ibis.literal(month_start(end), type="date"),
                    station_code=d.station_code,
                    game=d.game,
                    amount_fen=d.amount_fen,
                )
            )
        return _union(parts)

    def _series(self, freq, start, end, groupings, rows, shift) -> Series:
        names = GroupNames.of(self.context)
        amounts: dict[int, dict[tuple, int]] = {
            self.CURRENT: defaultdict(int),
            self.PRIOR: defaultdict(int),
        }
        for r in rows.to_pylist():
            key = tuple(r.get(f"k_{g}", "") for g in groupings)
            period = shift[r["window"]](r["period"])
            amounts[r["window"]][(period, key)] += r["amount_fen"] or 0
        current, prior = amounts[self.CURRENT], amounts[self.PRIOR]
        points = [
            SeriesPoint(
                period=period,
                key="/".join(key),
                name=" / ".join(names.name(g, k) for g, k in zip(groupings, key, strict=True)),
                amount_fen=current.get((period, key), 0),
                prior_amount_fen=prior.get((period, key), 0),
            )
            for period, key in sorted(set(current) | set(prior))
            if start <= period <= end
        ]
        return Series(
            freq=freq, start=start, end=end, by=",".join(groupings) or None, points=points
        )


def _union(parts: list):
    import ibis

    return parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)


class MarketShareRunner(Runner):
    """Market share and national rank from the Ministry of Finance table (results.MarketShare
    says which table and how each figure is defined), with the same month a year earlier.

    Only for a scope that is everything: the table is public, but the province's own welfare
    rows are the province's sales, which a city or a territory does not see otherwise. For any
    other scope, and when no table of a fully elapsed month of the year is stored, it is None.
    This is the one definition the cockpit's card, `fucai sales market-share`, `fucai sales
    summary` and the sales API use."""

    @cached_result
    def run(self, as_of: dt.date, region: str | None = None) -> MarketShare | None:
        from fucai.sales.ingest.mof import short_region

        if not self.scope.everything:
            return None
        region = region or short_region(GroupNames.of(self.context).province[1])
        current = self._latest_table(as_of.year, months_elapsed(as_of))
        if not current:
            return None
        month = current[0]["month"]
        own = self._own(current, region)
        if own is None:
            return None
        prior_rows = [r for r in self._latest_table(as_of.year - 1, month) if r["month"] == month]
        prior = self._own(prior_rows, region) if prior_rows else None
        before = (
            {}
            if prior is None
            else {
                "prior_welfare_ytd_fen": prior["welfare"]["ytd_amount_fen"] or 0,
                "prior_sports_ytd_fen": prior["sports"].get("ytd_amount_fen") or 0,
                "prior_national_rank": prior["rank"],
                "prior_regions_ranked": prior["ranked"],
            }
        )
        return MarketShare(
            year=as_of.year,
            month=month,
            region=region,
            welfare_ytd_fen=own["welfare"]["ytd_amount_fen"] or 0,
            sports_ytd_fen=own["sports"].get("ytd_amount_fen") or 0,
            welfare_ytd_yoy_pct=own["welfare"]["ytd_yoy_pct"],
            national_rank=own["rank"],
            regions_ranked=own["ranked"],
            national_welfare_ytd_fen=own["national"].get("ytd_amount_fen"),
            source=own["national"].get("note") or own["welfare"].get("note") or "",
            **before,
        )

    def _latest_table(self, year: int, max_month: int) -> list[dict]:
        """The rows of the latest table of `year` up to month `max_month`, each welfare and sports
        row with its national rank by year-to-date sales (None for 全国 and blanks)."""
        from fucai.sales.ingest.mof import NATIONAL

        mof = self.tables.arrow("mof").to_pylist()  # a few hundred rows a year
        year_rows = [r for r in mof if r["year"] == year and r["month"] <= max_month]
        latest = max((r["month"] for r in year_rows), default=None)
        rows = [r for r in year_rows if r["month"] == latest]
        ranked = [r for r in rows if r["region"] != NATIONAL and r["ytd_amount_fen"] is not None]
        for r in rows:
            r["rank"] = None
        for r in ranked:  # 1 + the regions above it in its lottery (ties share a rank)
            r["rank"] = 1 + sum(
                o["lottery"] == r["lottery"] and o["ytd_amount_fen"] > r["ytd_amount_fen"]
                for o in ranked
            )
        return rows

    @staticmethod
    def _own(rows: list[dict], region: str) -> dict | None:
        """The region's welfare and sports rows, the national welfare row and the region's rank
        among the regions ranked by welfare sales; None without the region's welfare row."""
        from fucai.sales.ingest.mof import NATIONAL

        welfare = str(MofLottery.WELFARE)
        ranks = {r["region"]: r["rank"] for r in rows if r["lottery"] == welfare and r["rank"]}
        cell = {(r["region"], r["lottery"]): r for r in rows}
        own_welfare = cell.get((region, welfare))
        if own_welfare is None:
            return None
        return {
            "welfare": own_welfare,
            "sports": cell.get((region, str(MofLottery.SPORTS))) or {},
            "national": cell.get((NATIONAL, welfare)) or {},
            "rank": ranks.get(region),
            "ranked": len(ranks),
        }


class LastSaleRunner(Runner):
    """The last day in [start, end] on which each station in scope sold anything (the daily
    facts; a station without a sale in the window is absent)."""

    @cached_result
    def run(self, start: dt.date, end: dt.date) -> dict[str, dt.date]:
        d = self.tables["daily"]
        sold = d.filter((d.date >= start) & (d.date <= end) & (d.amount_fen > 0))
        rows = sold.group_by("station_code").aggregate(last_day=sold.date.max()).to_pyarrow()
        return dict(
            zip(rows["station_code"].to_pylist(), rows["last_day"].to_pylist(), strict=True)
        )


class StationWindowsRunner(Runner):
    """Amounts per station in labelled windows of days (e.g. the last four weeks and the same
    weeks a year earlier), in one query: {(label, station code): fen}."""

    @cached_result
    def run(self, windows: tuple[tuple[int, dt.date, dt.date], ...]) -> dict[tuple, int]:
        if any(end < start for _label, start, end in windows):
            raise AnalyticsError("a window ends before it starts")
        rows = self.grouped(self.window_rows(list(windows)), ("station",))
        return summed(rows, ["window", "k_station"])
