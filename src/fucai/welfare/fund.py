"""The fund raised (公益金筹集): Σ sales × the public-welfare fund rate of the sale's game on the
sale's day, by city and game, year to date as of a day, with the same window a year earlier.

How it is computed (docs/welfare.md, "Fund raised"):
- the rate of a sale is its game's rate on the sale's day, else its category's (电脑票, 即开票);
- the sales are read by `FundRaisedRunner`, a runner of fucai.analytics over ScopedTables
  (the caller's scope, like every sales figure): each year-to-date window is cut at every day a
  rate starts or ends, so each piece has one rate per game; the pieces are summed by city and
  game in one query (whole months from the monthly rollup, the rest from the daily facts);
- rounding: the rate is applied to the exact sales (fen) of each (city, game, rate period) and
  the product rounded half-up to the fen once; the by-city rows, the by-game rows and the total
  are sums of those fen, so they add up exactly;
- sales of a game on a day without a rate raise nothing and are reported (`unrated_sales`);
- rows by city need the whole city (a scope of some stations, e.g. a market manager's, sees its
  total and its games, not a city row that would be only part of the city).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from fucai.analytics.backends import cached_result
from fucai.analytics.runners import GroupNames, Runner, same_day_in, summed_columns
from fucai.analytics.slices import DimensionLookup
from fucai.sales.money import yoy_pct, yuan_text

ONE_DAY = dt.timedelta(days=1)
BYS = ("city", "game")


@dataclass(frozen=True)
class RatePeriod:
    """One rate as the runner takes it: hashable, so results are cached per set of rates."""

    id: int
    game: str  # "" for a category's rate
    valid_from: dt.date
    valid_to: dt.date | None  # included; None: open
    rate: Decimal
    category: str = ""  # a category's rate: its games without a rate of their own

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def rate_periods() -> tuple[RatePeriod, ...]:
    """Every stored rate (a few rows: published figures, public)."""
    from fucai.welfare.models import FundRate

    rows = FundRate.objects.order_by("category", "game__code", "valid_from").values_list(
        "pk", "game__code", "valid_from", "valid_to", "rate", "category"
    )
    return tuple(
        RatePeriod(pk, game or "", start, end, rate, category)
        for pk, game, start, end, rate, category in rows
    )


def rate_on(rates: Sequence[RatePeriod], game: str, category: str, day: dt.date):
    """The rate of a game's sales on a day: the game's own, else its category's, else None."""
    own = next((r for r in rates if r.game == game and r.covers(day)), None)
    if own is not None or not category:
        return own
    return next((r for r in rates if not r.game and r.category == category and r.covers(day)), None)


def fund_fen(sales_fen: int, rate: Decimal) -> int:
    """sales × rate, rounded half-up to the fen: fund_fen(1001, Decimal('0.36')) = 360
    (360.36), fund_fen(1250, Decimal('0.2')) = 250, fund_fen(125, Decimal('0.34')) = 43 (42.5)."""
    return int((Decimal(int(sales_fen)) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class FundRow:
    """Sales and the fund they raised in the window and the same window a year earlier."""

    key: str
    name: str
    sales_fen: int = 0
    fund_fen: int = 0
    prior_sales_fen: int = 0
    prior_fund_fen: int = 0

    @property
    def yoy_pct(self) -> Decimal | None:
        return yoy_pct(self.fund_fen, self.prior_fund_fen)

    @property
    def share_pct(self) -> Decimal | None:
        """The fund as a share of the sales, in percent (one decimal, half-up)."""
        if not self.sales_fen:
            return None
        return (Decimal(self.fund_fen) * 100 / self.sales_fen).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def to_dict(self) -> dict:
        pct = self.yoy_pct
        share = self.share_pct
        return {
            "key": self.key,
            "name": self.name,
            "sales_yuan": yuan_text(self.sales_fen),
            "fund_yuan": yuan_text(self.fund_fen),
            "fund_fen": self.fund_fen,
            "prior_sales_yuan": yuan_text(self.prior_sales_fen),
            "prior_fund_yuan": yuan_text(self.prior_fund_fen),
            "prior_fund_fen": self.prior_fund_fen,
            "yoy_pct": None if pct is None else str(pct),
            "share_pct": None if share is None else str(share),
        }


@dataclass(frozen=True)
class FundRaised:
    """The fund raised year to date as of a day, in one scope: the total, per city (whole
    cities only) and per game, and the sales of days without a rate."""

    as_of: dt.date
    scope: str
    start: dt.date
    prior_start: dt.date
    prior_end: dt.date
    total: FundRow
    by_city: list[FundRow] = field(default_factory=list)
    by_game: list[FundRow] = field(default_factory=list)
    unrated_sales_fen: int = 0
    notice: str = ""  # why the day is not the one asked (before the first sales day, …)

    def rows(self, by: str) -> list[FundRow]:
        return self.by_city if by == "city" else self.by_game

    def to_dict(self, by: str | None = None) -> dict:
        """The JSON shape of `fucai welfare raised` and the API: yuan as strings with two
        decimals, fen as integers; `rows` by `by` (city or game; both without it)."""
        out = {
            "as_of": self.as_of.isoformat(),
            "scope": self.scope,
            "window": {"start": self.start.isoformat(), "end": self.as_of.isoformat()},
            "prior_window": {
                "start": self.prior_start.isoformat(),
                "end": self.prior_end.isoformat(),
            },
            "fund_yuan": yuan_text(self.total.fund_fen),
            "fund_fen": self.total.fund_fen,
            "sales_yuan": yuan_text(self.total.sales_fen),
            "prior_fund_yuan": yuan_text(self.total.prior_fund_fen),
            "prior_fund_fen": self.total.prior_fund_fen,
            "yoy_pct": self.total.to_dict()["yoy_pct"],
            "share_pct": self.total.to_dict()["share_pct"],
            "unrated_sales_yuan": yuan_text(self.unrated_sales_fen),
            "notice": self.notice or None,
            "rounding": (
                "sales x rate per (city, game, rate period), rounded half-up to the fen once; "
                "rows and totals are sums of those fen"
            ),
        }
        if by:
            out["by"] = by
            out["rows"] = [r.to_dict() for r in self.rows(by)]
        else:
            out["by_city"] = [r.to_dict() for r in self.by_city]
            out["by_game"] = [r.to_dict() for r in self.by_game]
        return out


def pieces(
    start: dt.date, end: dt.date, rates: Sequence[RatePeriod]
) -> list[tuple[dt.date, dt.date]]:
    """[start, end] cut at every day a rate starts or ends after, so that no rate starts or
    ends inside a piece."""
    cuts = {start, end + ONE_DAY}
    for r in rates:
        cuts.add(r.valid_from)
        if r.valid_to is not None:
            cuts.add(r.valid_to + ONE_DAY)
    days = sorted(d for d in cuts if start <= d <= end + ONE_DAY)
    return [(a, b - ONE_DAY) for a, b in pairwise(days)]


class FundRaisedRunner(Runner):
    """The fund raised year to date as of a day and a year earlier, by city and game."""

    CURRENT, PRIOR = 0, 1

    @cached_result
    def run(self, as_of: dt.date, rates: tuple[RatePeriod, ...]) -> FundRaised:
        prior_end = same_day_in(as_of.year - 1, as_of)
        windows = {
            self.CURRENT: (dt.date(as_of.year, 1, 1), as_of),
            self.PRIOR: (dt.date(as_of.year - 1, 1, 1), prior_end),
        }
        labelled = []  # (label, window, start, end): label = position in this list
        for window, (start, end) in windows.items():
            for a, b in pieces(start, end, rates):
                labelled.append((len(labelled), window, a, b))
        rows = self.grouped(
            self.window_rows([(label, a, b) for label, _w, a, b in labelled]), ("city", "game")
        )
        sales = summed_columns(rows, ["window", "k_city", "k_game"], ["amount_fen"])
        catalogue = DimensionLookup.of(self.context).table("games")
        category_of = dict(
            zip(catalogue["game"].to_pylist(), catalogue["category"].to_pylist(), strict=True)
        )
        # exact sales per (window, city, game, rate); None: no rate that day
        by_rate: dict[tuple, int] = defaultdict(int)
        for (label, city, game), (fen,) in sales.items():
            _label, window, a, _b = labelled[label]
            rate = rate_on(rates, game, category_of.get(game) or "", a)
            by_rate[(window, city, game, rate)] += fen
        return self._assemble(as_of, windows, by_rate)

    def _assemble(self, as_of, windows, by_rate) -> FundRaised:
        names = GroupNames.of(self.context)
        sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        unrated = 0
        for (window, city, game, rate), fen in by_rate.items():
            raised = fund_fen(fen, rate.rate) if rate is not None else 0
            if rate is None and window == self.CURRENT:
                unrated += fen
            offset = 0 if window == self.CURRENT else 2
            for key in (("total", ""), ("city", city), ("game", game)):
                sums[key][offset] += fen
                sums[key][offset + 1] += raised

        def row(kind: str, key: str) -> FundRow:
            s = sums.get((kind, key), [0, 0, 0, 0])
            name = names.province[1] if kind == "total" else names.name(kind, key)
            return FundRow(key, name, *s)

        def whole(city: str) -> bool:
            return self.scope.everything or city in self.scope.city_codes

        cities = [row("city", k) for (kind, k) in sums if kind == "city" and whole(k)]
        games = [row("game", k) for (kind, k) in sums if kind == "game"]
        order = lambda r: (-r.fund_fen, r.key)  # noqa: E731
        return FundRaised(
            as_of=as_of,
            scope=self.scope.label,
            start=windows[self.CURRENT][0],
            prior_start=windows[self.PRIOR][0],
            prior_end=windows[self.PRIOR][1],
            total=row("total", ""),
            by_city=sorted(cities, key=order),
            by_game=sorted(games, key=order),
            unrated_sales_fen=unrated,
        )


def raised_as_asked(user_or_scope, data, context=None):
    """The day the fund raised is computed for — the sales cockpit's rule (`CockpitForm`): no
    day or a bad one → the latest sales day, a day before the first sales day → that day, after
    the last → the last, each move told in `notice` — and the fund raised then. The one
    definition for the page, the API and the command: (the form, the FundRaised)."""
    from dataclasses import replace

    from fucai.analytics.backends import AnalyticsContext
    from fucai.sales.cockpit import sales_span
    from fucai.sales.forms import CockpitForm

    context = context or AnalyticsContext.current()
    form = CockpitForm(data or None, span=sales_span(context))
    result = fund_raised(user_or_scope, form.as_of_date, context)
    return form, replace(result, notice=str(form.notice or ""))


def fund_raised(user_or_scope, as_of: dt.date, context=None) -> FundRaised:
    """The fund raised in a user's scope (or a Scope) as of a day, with the stored rates."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.scope import Scope

    context = context or AnalyticsContext.current()
    scope = user_or_scope if isinstance(user_or_scope, Scope) else Scope.for_user(user_or_scope)
    return FundRaisedRunner(context, scope).run(as_of, rate_periods())


def fund_workbook(result: FundRaised, by: str | None = None):
    """The fund raised as an Excel workbook: one sheet per grouping (or the one asked), amounts
    in yuan with two decimals, and a notes sheet (as of, scope, rounding)."""
    from django.utils.translation import gettext as _

    from fucai.core.excel import add_notes_sheet, table_workbook
    from fucai.sales.money import fen_to_yuan

    columns = [
        _("Code"),
        _("Name"),
        _("Sales (yuan)"),
        _("Fund raised (yuan)"),
        _("Share of sales (%)"),
        _("Same period last year (yuan)"),
        _("Year on year (%)"),
    ]

    def lines(rows: list[FundRow]):
        for r in [*rows, result.total]:
            yield [
                r.key if r is not result.total else "",
                r.name if r is not result.total else _("Total"),
                fen_to_yuan(r.sales_fen),
                fen_to_yuan(r.fund_fen),
                r.share_pct,
                fen_to_yuan(r.prior_fund_fen),
                r.yoy_pct,
            ]

    titles = {"city": _("By city"), "game": _("By game")}
    chosen = (by,) if by else BYS
    wb = table_workbook(columns, lines(result.rows(chosen[0])), title=titles[chosen[0]])
    for other in chosen[1:]:
        from fucai.core.excel import write_table

        write_table(wb.create_sheet(titles[other]), columns, lines(result.rows(other)))
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("As of"), result.as_of.isoformat()),
            (_("Window"), f"{result.start.isoformat()} – {result.as_of.isoformat()}"),
            (
                _("Same period last year"),
                f"{result.prior_start.isoformat()} – {result.prior_end.isoformat()}",
            ),
            (_("Scope"), result.scope),
            (
                _("Rounding"),
                _(
                    "Sales × rate for each city, game and rate period, rounded half-up to the "
                    "fen once; rows and totals add those fen."
                ),
            ),
            (_("Sales without a rate (yuan)"), fen_to_yuan(result.unrated_sales_fen)),
        ],
    )
    return wb
