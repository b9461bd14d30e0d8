"""The sales calendar in Python: which days draw games sell, and the selling-day alignment used to
compare year to date around the Spring Festival (docs/sales-calendar.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fucai.sales.choices import GameCategory

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Closure:
    name: str
    start: dt.date
    end: dt.date
    stops_draw: bool
    stops_instant: bool

    def covers(self, day: dt.date, category: str) -> bool:
        stops = self.stops_draw if category == GameCategory.DRAW else self.stops_instant
        return stops and self.start <= day <= self.end


@dataclass(frozen=True)
class SalesCalendar:
    """The market closures (SalesSuspension rows) as an immutable value."""

    closures: tuple[Closure, ...] = ()

    @classmethod
    def load(cls) -> SalesCalendar:
        from fucai.sales.models import SalesSuspension

        rows = SalesSuspension.objects.order_by("start").values_list(
            "name", "start", "end", "draw_games_stop", "instant_stops"
        )
        return cls(tuple(Closure(*row) for row in rows))

    def is_closed(self, day: dt.date, category: str = GameCategory.DRAW) -> bool:
        return any(c.covers(day, category) for c in self.closures)

    def closed_days(
        self, start: dt.date, end: dt.date, category: str = GameCategory.DRAW
    ) -> list[dt.date]:
        """Days in [start, end] on which `category` does not sell (for generators and charts)."""
        days = []
        for c in self.closures:
            if c.stops_draw if category == GameCategory.DRAW else c.stops_instant:
                day = max(c.start, start)
                while day <= min(c.end, end):
                    days.append(day)
                    day += ONE_DAY
        return sorted(set(days))

    def selling_days(self, start: dt.date, end: dt.date) -> int:
        """Days in [start, end] on which draw games sell."""
        if end < start:
            return 0
        return (end - start).days + 1 - len(self.closed_days(start, end))

    def aligned_end(self, year: int, selling_days: int) -> dt.date:
        """The day of `year` on which its `selling_days`-th draw-game selling day falls (counting
        from 1 January); 31 December if the year has fewer."""
        day, count = dt.date(year, 1, 1), 0
        last = dt.date(year, 12, 31)
        closed = set(self.closed_days(day, last))
        while day < last:
            if day not in closed:
                count += 1
                if count >= selling_days:
                    return day
            day += ONE_DAY
        return last
