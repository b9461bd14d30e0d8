"""Typed results of the analytics runners, with their JSON form (amounts as yuan strings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from fucai.core.bounds import month_end
from fucai.sales.money import share_pct, yoy_pct, yuan_text


def _pct_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Window:
    """A closed range of days [start, end]."""

    start: dt.date
    end: dt.date

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Figures:
    """Sales in a window and in the comparison window, in fen. `record_high`: the window's
    amount beats the same window of every earlier year compared (and is above zero); `since`:
    the first year compared (daily facts, and before them the monthly archive where the scope
    and grouping allow), None when there was none."""

    amount_fen: int = 0
    prior_amount_fen: int = 0
    record_high: bool = False
    since: int | None = None

    @property
    def yoy_pct(self) -> Decimal | None:
        return yoy_pct(self.amount_fen, self.prior_amount_fen)

    def to_dict(self) -> dict:
        return {
            "amount_yuan": yuan_text(self.amount_fen),
            "prior_amount_yuan": yuan_text(self.prior_amount_fen),
            "yoy_pct": _pct_text(self.yoy_pct),
            "record_high": self.record_high,
            "since": self.since,
        }


@dataclass(frozen=True)
class GroupFigures:
    """Figures of one group (e.g. 赣州市, or 赣州市 × 即开票)."""

    key: str
    name: str
    keys: dict[str, str]
    figures: Figures

    @property
    def amount_fen(self) -> int:
        return self.figures.amount_fen

    @property
    def prior_amount_fen(self) -> int:
        return self.figures.prior_amount_fen

    def to_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "keys": self.keys, **self.figures.to_dict()}


@dataclass(frozen=True)
class YearToDate:
    """Year to date as of a day, against the comparison window of the year before."""

    as_of: dt.date
    compare: str
    scope: str
    window: Window
    prior_window: Window
    total: Figures
    by_category: dict[str, Figures]
    by: tuple[str, ...] = ()
    groups: list[GroupFigures] = field(default_factory=list)
    history: dict[int, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "compare": self.compare,
            "scope": self.scope,
            "window": self.window.to_dict(),
            "prior_window": self.prior_window.to_dict(),
            "total": self.total.to_dict(),
            "by_category": {k: v.to_dict() for k, v in self.by_category.items()},
            "by": list(self.by),
            "groups": [g.to_dict() for g in self.groups],
            "history": {str(y): yuan_text(a) for y, a in sorted(self.history.items())},
        }


@dataclass(frozen=True)
class RankedGroup:
    rank: int
    group: GroupFigures

    def to_dict(self) -> dict:
        return {"rank": self.rank, **self.group.to_dict()}


@dataclass(frozen=True)
class Ranking:
    """The top (or bottom) N groups by year-to-date amount or by growth."""

    as_of: dt.date
    by: str
    order: str
    bottom: bool
    entries: list[RankedGroup]
    without_base: list[GroupFigures] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "by": self.by,
            "order": self.order,
            "bottom": self.bottom,
            "entries": [e.to_dict() for e in self.entries],
            "without_base": [g.to_dict() for g in self.without_base],
        }


@dataclass(frozen=True)
class SeriesPoint:
    period: dt.date
    key: str
    name: str
    amount_fen: int
    prior_amount_fen: int | None = None

    def to_dict(self) -> dict:
        data = {
            "period": self.period.isoformat(),
            "key": self.key,
            "name": self.name,
            "amount_yuan": yuan_text(self.amount_fen),
        }
        if self.prior_amount_fen is not None:
            data["prior_amount_yuan"] = yuan_text(self.prior_amount_fen)
            data["yoy_pct"] = _pct_text(yoy_pct(self.amount_fen, self.prior_amount_fen))
        return data


@dataclass(frozen=True)
class Series:
    """Amounts per month (or day), optionally per group, with the same period a year earlier."""

    freq: str
    start: dt.date
    end: dt.date
    by: str | None
    points: list[SeriesPoint]

    def to_dict(self) -> dict:
        return {
            "freq": self.freq,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "by": self.by,
            "points": [p.to_dict() for p in self.points],
        }


@dataclass(frozen=True)
class MarketShare:
    """The welfare lottery's share of the province's lottery sales and the province's national
    rank, year to date, from the Ministry of Finance's table, beside the same figures a year
    earlier.

    - The table used is the latest one published for the as-of year whose month has fully
      elapsed on the as-of day (`months_elapsed`): on 2023-09-03 the August table, which covers
      1 January – 31 August ("截至8月"); the prior figures come from the same month's table of
      the year before (None if it was not imported).
    - Welfare share = the province's welfare sales ÷ (its welfare + its sports lottery sales),
      year to date, in %.
    - National rank = the province's place among the regions by welfare sales year to date
      (1 = largest; 全国 is not ranked; ties share a rank).
    """

    year: int
    month: int
    region: str
    welfare_ytd_fen: int
    sports_ytd_fen: int
    welfare_ytd_yoy_pct: Decimal | None
    national_rank: int | None
    regions_ranked: int
    national_welfare_ytd_fen: int | None = None
    prior_welfare_ytd_fen: int | None = None
    prior_sports_ytd_fen: int | None = None
    prior_national_rank: int | None = None
    prior_regions_ranked: int | None = None
    source: str = ""

    @property
    def welfare_share_pct(self) -> Decimal | None:
        return share_pct(self.welfare_ytd_fen, self.welfare_ytd_fen + self.sports_ytd_fen)

    @property
    def prior_welfare_share_pct(self) -> Decimal | None:
        if self.prior_welfare_ytd_fen is None:
            return None
        return share_pct(
            self.prior_welfare_ytd_fen,
            self.prior_welfare_ytd_fen + (self.prior_sports_ytd_fen or 0),
        )

    @property
    def share_change_points(self) -> Decimal | None:
        """The welfare share's change on the year before, in percentage points."""
        now, before = self.welfare_share_pct, self.prior_welfare_share_pct
        return None if now is None or before is None else now - before

    @property
    def rank_change(self) -> int | None:
        """Places gained on the year before (positive: moved up, "进位")."""
        if self.national_rank is None or self.prior_national_rank is None:
            return None
        return self.prior_national_rank - self.national_rank

    @property
    def national_share_pct(self) -> Decimal | None:
        if not self.national_welfare_ytd_fen:
            return None
        return share_pct(self.welfare_ytd_fen, self.national_welfare_ytd_fen)

    def to_dict(self) -> dict:
        return {
            "period": f"{self.year}-{self.month:02d}",
            "prior_period": f"{self.year - 1}-{self.month:02d}",
            "window": {
                "start": f"{self.year}-01-01",
                "end": month_end(self.year, self.month).isoformat(),
            },
            "region": self.region,
            "welfare_ytd_yuan": yuan_text(self.welfare_ytd_fen),
            "sports_ytd_yuan": yuan_text(self.sports_ytd_fen),
            "welfare_ytd_yoy_pct": _pct_text(self.welfare_ytd_yoy_pct),
            "welfare_share_pct": _pct_text(self.welfare_share_pct),
            "prior_welfare_share_pct": _pct_text(self.prior_welfare_share_pct),
            "share_change_points": _pct_text(self.share_change_points),
            "national_rank": self.national_rank,
            "prior_national_rank": self.prior_national_rank,
            "rank_change": self.rank_change,
            "provinces": self.regions_ranked,
            "regions_ranked": self.regions_ranked,
            "national_share_pct": _pct_text(self.national_share_pct),
            "source": self.source,
        }
