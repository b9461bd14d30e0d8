"""Sales analytics as small typed runners over Ibis expressions.

Every runner takes an AnalyticsContext (one backend, one consistent view of the store) and a
Scope; it reads tables only through `ScopedTables`, so the scope filter is applied in one place
(fucai.analytics.scope). The Ibis part aggregates (the same expression runs on DuckDB and
Spark); the small results are finished in Python with exact integers (fen) and Decimal.

Reading strategy: a window of days is split into whole months, read from the monthly rollup,
and the remaining days at its edges, read from the daily facts, so a year to date touches
~12 × stations × games rollup rows plus a few days of facts. Grouping by market manager needs
the day of each sale (managers change mid-month), so it reads daily facts only.

Definitions (docs/formats.md, "Analytics"):
- year to date as of D: [1 January of D's year, D]; prior window (compare="calendar"): the
  same dates a year earlier (29 February → 28 February);
- compare="selling_days": the prior window ends when the prior year has had as many draw-game
  selling days (days outside a closure that stops draw games, e.g. 春节休市) as the current
  window, so a Spring Festival falling in January one year and February the next does not
  distort the comparison;
- record high: the window's amount is above zero and above the same window (same rule) of
  every earlier year in the store;
- yoy_pct: (amount − prior) / prior × 100, rounded half-up to one decimal; None when prior is 0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import cached_property

import ibis
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
from fucai.sales.choices import GameCategory, MofLottery

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
        self.dims = context.dims

    def _map(self, table: str, key: str, name: str) -> dict[str, str]:
        t = self.dims.table(table)
        return dict(zip(t[key].to_pylist(), t[name].to_pylist(), strict=True))

    @cached_property
    def _maps(self) -> dict[str, dict[str, str]]:
        from fucai.network.choices import StationOperation, StationScene

        return {
            "city": self._map("stations", "city_code", "city_name"),
            "county": self._map("stations", "county_code", "county_name"),
            "station": self._map("stations", "station_code", "station_name"),
            "partner": {
                **self._map("stations", "partner_code", "partner_name"),
                "": _("无合作组织"),
            },
            "market_manager": {
                **self._map("assignments", "manager_code", "manager_name"),
                "": _("未分配"),
            },
            "game": self._map("games", "game", "game_name"),
            "game_category": {str(c.value): str(c.label) for c in GameCategory},
            "scene": {str(c.value): str(c.label) for c in StationScene},
            "operation": {str(c.value): str(c.label) for c in StationOperation},
            "party_member": {"yes": _("党员业主"), "no": _("非党员业主")},
        }

    @cached_property
    def province(self) -> tuple[str, str]:
        from fucai.geo.models import Division

        division = Division.objects.filter(level="province").order_by("code").first()
        return (division.code, division.name) if division else ("", _("全省"))

    def name(self, grouping: str, key: str) -> str:
        if grouping == "province":
            return self.province[1]
        return str(self._maps.get(grouping, {}).get(key, key))


# -- the runners ----------------------------------------------------------------------------------
class Runner:
    """Base: a context and a scope (required: no scope, no data)."""

    def __init__(self, context: AnalyticsContext, scope: Scope) -> None:
        self.context = context
        self.scope = scope
        self.tables = context.scoped(scope)

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
    ) -> list[dict]:
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
        return expr.to_pyarrow().to_pylist()


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
        by = parse_by(by)
        if compare not in COMPARES:
            raise AnalyticsError(f"compare must be one of {', '.join(COMPARES)}")
        windows = self.windows(as_of, compare, history)
        groupings = list(by) if "game_category" in by else [*by, "game_category"]
        rows = self.grouped(
            self.window_rows(
                [(y, w.start, w.end) for y, w in windows.items()], with_date="market_manager" in by
            ),
            groupings,
        )
        return self._assemble(as_of, compare, by, windows, rows)

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

    def _assemble(self, as_of, compare, by, windows, rows) -> YearToDate:
        year, prior = as_of.year, as_of.year - 1
        earlier = [y for y in windows if y < year]
        total: dict[int, int] = defaultdict(int)
        category: dict[tuple[str, int], int] = defaultdict(int)
        groups: dict[tuple[str, ...], dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for row in rows:
            y, amount = row["window"], row["amount_fen"] or 0
            total[y] += amount
            category[(row["k_game_category"], y)] += amount
            if by:
                groups[tuple(row.get(f"k_{g}", "") for g in by)][y] += amount

        def figures(by_year) -> Figures:
            current = by_year.get(year, 0)
            record = (
                current > 0 and bool(earlier) and all(current > by_year.get(y, 0) for y in earlier)
            )
            return Figures(current, by_year.get(prior, 0), record)

        names = GroupNames(self.context)
        province = names.province[0]
        group_list = [
            GroupFigures(
                key="/".join(key),
                name=" / ".join(names.name(g, k) for g, k in zip(by, key, strict=True)),
                keys=dict(zip(by, key, strict=True)),
                figures=figures(amounts),
            )
            for key, amounts in (
                (self._province_key(k, by, province), a) for k, a in groups.items()
            )
        ]
        group_list.sort(key=lambda g: (-g.amount_fen, g.key))
        return YearToDate(
            as_of=as_of,
            compare=compare,
            scope=self.scope.label,
            window=windows[year],
            prior_window=windows[prior],
            total=figures(total),
            by_category={
                str(c): figures({y: category[(c, y)] for y in windows}) for c in CATEGORIES
            },
            by=by,
            groups=group_list,
            history={y: total.get(y, 0) for y in windows},
        )

    @staticmethod
    def _province_key(key: tuple[str, ...], by: tuple[str, ...], province: str) -> tuple[str, ...]:
        return tuple(province if g == "province" else k for g, k in zip(by, key, strict=True))


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
        ytd = YearToDateRunner(self.context, self.scope).run(
            as_of, by=(by,), compare=compare, history=False
        )
        groups, without = list(ytd.groups), []
        if order == "growth":
            without = [g for g in groups if g.prior_amount_fen == 0]
            groups = [g for g in groups if g.prior_amount_fen != 0]

        def measure(g: GroupFigures):
            if order == "growth":
                return Fraction(g.amount_fen - g.prior_amount_fen, g.prior_amount_fen)
            return Fraction(g.amount_fen)

        groups.sort(key=lambda g: (measure(g) if bottom else -measure(g), g.key))
        entries = [RankedGroup(rank=i + 1, group=g) for i, g in enumerate(groups[: max(top, 0)])]
        return Ranking(
            as_of=as_of, by=by, order=order, bottom=bottom, entries=entries, without_base=without
        )


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
        windows = [
            (self.CURRENT, start, as_of),
            (self.PRIOR, dt.date(as_of.year - 2, 1, 1), same_day_in(as_of.year - 1, as_of)),
        ]
        parts = [self._month_rows(label, a, b, groupings) for label, a, b in windows]
        rows = self.grouped(_union(parts), groupings, extra=("window", "period"))
        shift = {self.CURRENT: lambda p: p, self.PRIOR: lambda p: p.replace(year=p.year + 1)}
        return self._series("month", start, as_of, groupings, rows, shift)

    @cached_result
    def daily(self, start: dt.date, end: dt.date, by: str | None = None) -> Series:
        """Every day in [start, end], each with the same day a year earlier."""
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
        names = GroupNames(self.context)
        amounts: dict[int, dict[tuple, int]] = {
            self.CURRENT: defaultdict(int),
            self.PRIOR: defaultdict(int),
        }
        for r in rows:
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
    return parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)


class MarketShareRunner(Runner):
    """Market share and national rank from the Ministry of Finance table of the latest month
    published in the as-of year, up to the as-of month (None if there is none)."""

    @cached_result
    def run(self, as_of: dt.date, region: str | None = None) -> MarketShare | None:
        from fucai.sales.ingest.mof import NATIONAL, short_region

        region = region or short_region(GroupNames(self.context).province[1])
        mof = self.tables["mof"]
        year = mof.filter((mof.year == as_of.year) & (mof.month <= as_of.month))
        # (a window function inside filter() compiles wrongly for Spark: mutate, then filter)
        marked = year.mutate(latest=year.month.max().over())
        latest = marked.filter(marked.month == marked.latest).drop("latest")
        ranked = latest.mutate(
            rank=ibis.cases(
                (
                    (latest.region != NATIONAL) & latest.ytd_amount_fen.notnull(),
                    ibis.rank().over(
                        group_by=[
                            latest.lottery,
                            latest.region == NATIONAL,
                            latest.ytd_amount_fen.isnull(),
                        ],
                        order_by=ibis.desc(latest.ytd_amount_fen),
                    )
                    + 1,
                ),
                else_=ibis.null("int64"),
            )
        )
        rows = ranked.to_pyarrow().to_pylist()
        if not rows:
            return None
        latest_month = rows[0]["month"]
        welfare = str(MofLottery.WELFARE)
        ranks = {r["region"]: r["rank"] for r in rows if r["lottery"] == welfare and r["rank"]}
        cell = {(r["region"], r["lottery"]): r for r in rows}
        own_welfare = cell.get((region, str(MofLottery.WELFARE)))
        if own_welfare is None:
            return None
        own_sports = cell.get((region, str(MofLottery.SPORTS))) or {}
        national = cell.get((NATIONAL, str(MofLottery.WELFARE))) or {}
        return MarketShare(
            year=as_of.year,
            month=latest_month,
            region=region,
            welfare_ytd_fen=own_welfare["ytd_amount_fen"] or 0,
            sports_ytd_fen=own_sports.get("ytd_amount_fen") or 0,
            welfare_ytd_yoy_pct=own_welfare["ytd_yoy_pct"],
            national_rank=ranks.get(region),
            regions_ranked=len(ranks),
            national_welfare_ytd_fen=national.get("ytd_amount_fen"),
        )
