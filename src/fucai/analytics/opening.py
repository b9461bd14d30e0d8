"""Outlets' sales since they opened (e.g. the outlets opened with a partner, 联姻网点).

`SinceOpeningRunner` is the one computation of "an outlet's sales from its opening day to an
as-of date, and its year on year": each outlet has its own windows, so they are labelled
windows of days over the scoped facts (the same reading as `StationWindowsRunner`: whole months
from the monthly rollup, the edges from the daily facts), in one query.

Definitions (docs/formats.md, "Analytics" for yoy_pct):
- since opening: [opened_on, as_of]; nothing when the outlet had not opened by as_of;
- this year: [max(1 January of as_of's year, opened_on), as_of];
- same period last year: the same dates a year earlier (29 February → 28 February), only when
  the outlet was already open on its first day (a whole prior period; otherwise None and no
  year on year: a partial year would make any outlet "grow").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from fucai.analytics.backends import cached_result
from fucai.analytics.results import Window
from fucai.analytics.runners import AnalyticsError, Runner, same_day_in, summed
from fucai.analytics.scope import Scope
from fucai.sales.money import yoy_pct, yuan_text


@dataclass(frozen=True)
class OutletSales:
    """One outlet's sales since opening and this year against the same period last year (fen)."""

    code: str
    opened_on: dt.date | None
    since_opening: Window | None
    amount_fen: int  # since opening
    year: Window | None
    year_fen: int
    prior: Window | None  # None: no whole prior period to compare with
    prior_fen: int | None

    @property
    def yoy_pct(self) -> Decimal | None:
        return None if self.prior_fen is None else yoy_pct(self.year_fen, self.prior_fen)

    def to_dict(self) -> dict:
        def window(w: Window | None):
            return w.to_dict() if w else None

        return {
            "code": self.code,
            "opened_on": self.opened_on.isoformat() if self.opened_on else None,
            "since_opening": window(self.since_opening),
            "sales_fen": self.amount_fen,
            "sales_yuan": yuan_text(self.amount_fen),
            "year": window(self.year),
            "year_fen": self.year_fen,
            "prior": window(self.prior),
            "prior_fen": self.prior_fen,
            "yoy_pct": None if self.yoy_pct is None else str(self.yoy_pct),
        }


def outlet_windows(opened_on: dt.date | None, as_of: dt.date):
    """(since opening, this year, same period last year) of an outlet; see the module docstring."""
    if opened_on is None or opened_on > as_of:
        return None, None, None
    since = Window(opened_on, as_of)
    year = Window(max(dt.date(as_of.year, 1, 1), opened_on), as_of)
    prior_start = same_day_in(as_of.year - 1, year.start)
    prior = None
    if opened_on <= prior_start:
        prior = Window(prior_start, same_day_in(as_of.year - 1, as_of))
    return since, year, prior


def narrowed(scope: Scope, codes: Iterable[str], city_codes: Iterable[str]) -> Scope:
    """`scope` narrowed to the outlets `codes` (never widened): those it sees, by their city or
    by themselves."""
    codes = set(codes)
    if not scope.everything and not set(city_codes) <= scope.city_codes:
        codes &= scope.station_codes
    return Scope.stations(codes, label=scope.label)


class SinceOpeningRunner(Runner):
    """Sales of outlets since their opening day to `as_of`, with year on year (module docstring):
    `run(((code, city code, opened_on), …), as_of)` → {code: OutletSales} for the outlets the
    scope sees (by their city or by themselves)."""

    @cached_result
    def run(
        self, outlets: tuple[tuple[str, str, dt.date | None], ...], as_of: dt.date
    ) -> dict[str, OutletSales]:
        scope = self.scope
        outlets = tuple(
            (code, opened_on)
            for code, city, opened_on in outlets
            if scope.everything or city in scope.city_codes or code in scope.station_codes
        )
        plans = {code: outlet_windows(opened_on, as_of) for code, opened_on in outlets}
        labels: dict[Window, int] = {}
        for windows in plans.values():
            for window in windows:
                if window is not None and window not in labels:
                    if window.end < window.start:
                        raise AnalyticsError("a window ends before it starts")
                    labels[window] = len(labels)
        amounts: dict[tuple, int] = {}
        if labels:
            rows = self.grouped(
                self.window_rows([(i, w.start, w.end) for w, i in labels.items()]), ("station",)
            )
            amounts = summed(rows, ["window", "k_station"])
        out = {}
        for code, opened_on in outlets:
            since, year, prior = plans[code]

            def fen(window: Window | None, code=code) -> int:
                return 0 if window is None else amounts.get((labels[window], code), 0)

            out[code] = OutletSales(
                code=code,
                opened_on=opened_on,
                since_opening=since,
                amount_fen=fen(since),
                year=year,
                year_fen=fen(year),
                prior=prior,
                prior_fen=None if prior is None else fen(prior),
            )
        return out
