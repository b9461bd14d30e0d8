"""The demo's 2023 sales targets (销售任务): one version, for the 11 cities, every market manager
with stations in 2023 and every station open at some time in 2023.

How they are set (plausible, not the seed's — the seed gives no targets):
- each city gets a growth target: its own 2023 growth to 3 September (the demo's day) plus a
  draw in [−6, +4] points, to whole points; its annual target is its 2022 sales × (1 + growth);
- a station's is its 2022 sales × (1 + its city's growth); a station first opened in 2023 gets
  60 % of its city's median station target for a full year, pro rata from its opening day;
- a market manager's is the sum of their stations' targets for the days assigned to them;
- the months follow the city's 2022 monthly profile (a station's and a manager's months pro rata
  by the days open and assigned); amounts are whole yuan, the year the sum of its months (the
  cities' too: each month rounded half up).
So the demo's 2023 completion on 3 September is around the 序时进度 (67.4 %): some cities ahead,
some behind."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.utils.translation import gettext_lazy

YEAR = 2023
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
GROWTH_DRAW = (-0.06, 0.04)
NEW_STATION_SHARE = 0.6


def month_days(first: dt.date, last: dt.date) -> list[int]:
    """Days of [first, last] (within the year) falling in each month."""
    days = [0] * 12
    first, last = max(first, START), min(last, END)
    for m in range(1, 13):
        lo = max(first, dt.date(YEAR, m, 1))
        hi = min(last, dt.date(YEAR, m, calendar.monthrange(YEAR, m)[1]))
        days[m - 1] = max(0, (hi - lo).days + 1)
    return days


def whole_yuan(value: float) -> int:
    """Fen rounded half up to whole yuan (in fen)."""
    return int(Decimal(value / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100


class TargetsDemoBuilder:
    """The 2023 targets of the cities, market managers and stations (one version)."""

    label = gettext_lazy("Sales targets (demo)")

    def is_current(self, ctx) -> bool:
        from fucai.sales.models import SalesTargetSet

        return SalesTargetSet.objects.filter(year=YEAR).exists()

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.sales.models import SalesTargetSet

        SalesTargetSet.objects.all().delete()

    def build(self, ctx) -> None:
        from fucai.core.context import acting_as
        from fucai.network.demo.writer import DEMO_SOURCE
        from fucai.sales.targets import save_targets

        rows = self.rows(random.Random(f"{ctx.seed}:sales-targets"))
        with acting_as(None, DEMO_SOURCE):
            save_targets(YEAR, rows, source="demo", note=str(self.label))
        ctx.progress(str(self.label), len(rows))

    def rows(self, rng: random.Random):
        from fucai.analytics.backends import AnalyticsContext
        from fucai.analytics.runners import YearToDateRunner
        from fucai.analytics.scope import Scope
        from fucai.network.models import Station, StationAssignment
        from fucai.sales.demo.targets import DEMO_AS_OF
        from fucai.sales.targets import ParsedTarget, TargetLevel

        context = AnalyticsContext.current()
        runner = YearToDateRunner(context, Scope.province())

        def by(grouping: str, day: dt.date) -> dict[str, int]:
            result = runner.run(day, by=grouping, history=False)
            return {g.keys[grouping]: g.amount_fen for g in result.groups}

        now = runner.run(DEMO_AS_OF, by="city", history=False)
        growth = {}
        for g in now.groups:
            actual = g.amount_fen / g.figures.prior_amount_fen - 1
            growth[g.keys["city"]] = round(actual + rng.uniform(*GROWTH_DRAW), 2)
        # the cities' 2022 monthly profiles
        ends = [dt.date(YEAR - 1, m, calendar.monthrange(YEAR - 1, m)[1]) for m in range(1, 13)]
        cumulative = [by("city", end) for end in ends]
        profile = {}
        for city in growth:
            months = [cumulative[0].get(city, 0)] + [
                cumulative[m].get(city, 0) - cumulative[m - 1].get(city, 0) for m in range(1, 12)
            ]
            profile[city] = [v / sum(months) for v in months]
        year_2022 = cumulative[-1]
        out = []
        for city in sorted(growth):
            monthly = [whole_yuan(year_2022[city] * (1 + growth[city]) * s) for s in profile[city]]
            out.append(ParsedTarget(TargetLevel.CITY, city, sum(monthly), monthly))
        # stations: a full-year target and the days open in 2023
        sold = by("station", END.replace(year=YEAR - 1))
        stations = list(
            Station.objects.filter(city__code__in=growth).values_list(
                "pk", "code", "city__code", "opened_on"
            )
        )
        full: dict[int, float] = {}
        first_day: dict[int, dt.date] = {}
        for pk, code, city, _opened in stations:
            if sold.get(code):
                full[pk], first_day[pk] = sold[code] * (1 + growth[city]), START
        typical = defaultdict(list)
        for pk, _code, city, _opened in stations:
            if pk in full:
                typical[city].append(full[pk])
        for pk, _code, city, opened in stations:
            if pk not in full and opened is not None and START <= opened <= END:
                full[pk], first_day[pk] = NEW_STATION_SHARE * median(typical[city]), opened
        city_of = {pk: city for pk, _code, city, _opened in stations}

        def months_of(pk: int, first: dt.date, last: dt.date) -> list[float]:
            days = month_days(max(first, first_day[pk]), last)
            return [
                full[pk] * profile[city_of[pk]][m] * days[m] / calendar.monthrange(YEAR, m + 1)[1]
                for m in range(12)
            ]

        for pk, code, _city, _opened in sorted(stations, key=lambda s: s[1]):
            if pk in full:
                monthly = [whole_yuan(v) for v in months_of(pk, START, END)]
                out.append(ParsedTarget(TargetLevel.STATION, code, sum(monthly), monthly))
        managers: dict[str, list[float]] = defaultdict(lambda: [0.0] * 12)
        assignments = StationAssignment.objects.filter(
            station_id__in=full, valid_from__lte=END
        ).values_list("station_id", "manager__employee_code", "valid_from", "valid_to")
        for pk, manager, valid_from, valid_to in assignments:
            last = END if valid_to is None else valid_to - dt.timedelta(days=1)
            if last < START:
                continue
            for m, value in enumerate(months_of(pk, valid_from, last)):
                managers[manager][m] += value
        for manager in sorted(managers):
            monthly = [whole_yuan(v) for v in managers[manager]]
            if sum(monthly) > 0:
                out.append(ParsedTarget(TargetLevel.MANAGER, manager, sum(monthly), monthly))
        return out
