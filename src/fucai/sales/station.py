"""One station's sales, for its page: the cockpit's figures narrowed to the station.

`StationCockpit` is the cockpit (fucai.sales.cockpit) with the user's Scope narrowed to one
station they may see (`Scope.within_station`): year to date with YoY and record highs, the monthly
trend against last year and the game mix come from the same runners, tables and chart JSON.

The station's rank in its county and city is the one figure read outside the user's scope: it is
computed over the city's stations (Scope.city) and only the station's position and the number of
stations ranked leave this module, never another station's name or amount. An owner learns
"3rd of 12 in 兴国县", nothing more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import YearToDateRunner
from fucai.analytics.scope import Scope
from fucai.network.models import Station
from fucai.sales.activity import Idle, days_without_sales
from fucai.sales.cockpit import Cockpit
from fucai.sales.tables.cockpit import (
    AMOUNT,
    DELTA,
    RANK,
    CockpitTable,
    TableColumn,
    figures_row,
    window_notes,
)


@dataclass(frozen=True)
class Rank:
    """A station's position by year-to-date sales among the stations of an area that sold in
    the window (`rank` None: the station sold nothing)."""

    area: str
    rank: int | None
    of: int


def rank_among(amounts: list[int], own: int) -> int | None:
    """1 + the number of amounts above `own` (ties share a rank); None for no sales."""
    if own <= 0:
        return None
    return 1 + sum(1 for a in amounts if a > own)


class StationCockpit(Cockpit):
    """The cockpit of one station for one user (who may see it) on one day."""

    def __init__(
        self,
        user,
        station: Station,
        as_of: dt.date,
        compare: str = "calendar",
        context: AnalyticsContext | None = None,
    ) -> None:
        super().__init__(user, as_of, compare, context=context)
        self.station = station
        self.scope = self.scope.within_station(station.code, station.city.code)

    @property
    def label(self) -> str:
        return f"{self.station.code} {self.station.name}"

    # -- figures --------------------------------------------------------------------------------
    @cached_property
    def ranks(self) -> list[Rank]:
        """Rank in the county and in the city (one runner call over the city's stations)."""
        station = self.station
        city = Scope.city(station.city.code, station.city.name)
        ytd = YearToDateRunner(self.context, city).run(
            self.as_of, by=("county", "station"), compare=self.compare, history=False
        )
        sold = [g for g in ytd.groups if g.amount_fen > 0]
        own = next((g.amount_fen for g in sold if g.keys["station"] == station.code), 0)
        county = [g.amount_fen for g in sold if g.keys["county"] == station.county.code]
        return [
            Rank(station.county.name, rank_among(county, own), len(county)),
            Rank(station.city.name, rank_among([g.amount_fen for g in sold], own), len(sold)),
        ]

    @cached_property
    def target(self) -> dict | None:
        """The station's own target as of the day (its completion and 序时进度), or the card's
        "no target" when it has none the user may see."""
        from fucai.sales.cockpit import completion_card
        from fucai.sales.targets import completion

        rows = completion(self.as_of, "station", user=self.user, scope=self.scope,
                          context=self.context)  # fmt: skip
        return completion_card([r for r in rows if r.code == self.station.code], self.as_of)

    @cached_property
    def idle(self) -> Idle | None:
        """Days without sales (fucai.sales.activity; None: the station is not open that day)."""
        stations = Station.objects.filter(pk=self.station.pk)
        idle = days_without_sales(self.context, self.scope, stations, self.as_of)
        return idle.get(self.station.code)

    # -- tables ---------------------------------------------------------------------------------
    def year_to_date_table(self) -> CockpitTable:
        ytd = self.year_to_date
        columns = [
            TableColumn("name", _("Sales")),
            TableColumn("amount", _("Year to date"), AMOUNT),
            TableColumn("prior", _("Same period last year"), AMOUNT),
            TableColumn("yoy", _("YoY"), DELTA),
            TableColumn("record", _("Record high")),
        ]
        parts = [
            (_("Total"), ytd.total),
            (_("Draw games"), ytd.by_category["draw"]),
            (_("Instant tickets"), ytd.by_category["instant"]),
        ]
        rows = [
            {"name": name, **figures_row(f), "record": _("Yes") if f.record_high else ""}
            for name, f in parts
        ]
        table = CockpitTable("ytd", _("Sales year to date"), columns, rows)
        table.notes = self._notes()
        return table

    def position_table(self) -> CockpitTable:
        columns = [
            TableColumn("area", _("Ranked in")),
            TableColumn("rank", _("Rank"), RANK),
            TableColumn("of", _("Stations with sales"), RANK),
        ]
        rows = [{"area": r.area, "rank": r.rank, "of": r.of} for r in self.ranks]
        table = CockpitTable("position", _("Rank by sales year to date"), columns, rows)
        idle = self.idle
        table.notes = [
            *self._notes(),
            (_("Days without sales"), "—" if idle is None else idle.days),
            (_("Last sale"), idle.last_sale if idle and idle.last_sale else "—"),
        ]
        return table

    def table(self, name: str) -> CockpitTable | None:
        builders = {
            "ytd": self.year_to_date_table,
            "position": self.position_table,
            "games": self.games,
            "monthly": self.monthly,
        }
        builder = builders.get(name)
        return builder() if builder else None

    def _notes(self, ytd=None) -> list[tuple[str, object]]:
        return [
            *window_notes(ytd or self.year_to_date, self.label),
            (_("Exported by"), self.user.username),
        ]
