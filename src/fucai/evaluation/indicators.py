"""The indicators of a scheme computed from fucai's own data (issue 13 point 2):
`build_inputs(scheme, period)` → an InputTable for the cities (city_agencies) or the market
managers (market_managers). Each indicator calls the one definition its module keeps — nothing
is restated here (docs/evaluation.md, "Indicators"):

- target_completion: sales in the period up to the as-of day / the whole period's target
  (fucai.sales.targets: the current target version; a year: the annual target — 完成率 as of
  the day —, a quarter or a month: the sum of its monthly targets);
- ytd_yoy_growth: year-to-date sales as of the period's end against the same dates a year
  earlier, (amount − prior) / prior (YearToDateRunner, calendar comparison);
- instant_growth: the same for instant tickets (即开票) only;
- net_new_stations, closures, core_urban_new_outlets: fucai.network.summary's net new, closed
  and opened-in-core-urban-scenes, over the period (as of its end minus as of the day before it
  starts, within the year);
- visits_per_station_month: Σ visits / Σ stations in care over the months of the period
  (fucai.network.visits.visit_indicators, month by month; a city: its managers');
- onboarding_overdue: tasks overdue on the period's end (fucai.network.onboarding.overdue_q);
- party_compliance: the periods met / the periods ended of every 三会一课 meeting type of the
  city's branch in the year, as of the period's end (fucai.party.compliance.compliance);
- manual: the latest manual-input set of the scheme and period (fucai.evaluation.manual), or
  the `manual` mapping given.

A market manager's stations (for the network figures) are those assigned to them on the
period's end, and a station no longer assigned then (closed) goes to its last manager within
the period. A manager's sales are their stations' on the days assigned to them (the analytics'
market_manager grouping). Values are floats (rates as fractions: 0.674 = 67.4 %); None where
there is nothing to compute from (no target, no prior-year sales, no branch)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from fucai.evaluation.inputs import InputTable
from fucai.evaluation.scheme import MANUAL

ONE_DAY = dt.timedelta(days=1)


class PeriodError(ValueError):
    """A period that is not "2023", "2023-Q3" or "2023-07" (the message is the user's)."""


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """ "2023" → the year, "2023-Q3" → July … September, "2023-07" → July (inclusive ends)."""
    text = str(period).strip()
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, q = int(m[1]), int(m[2])
        last = 3 * q
        return dt.date(year, last - 2, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return dt.date(year, month, 1), dt.date(
                year, month, calendar.monthrange(year, month)[1]
            )
    raise PeriodError(
        _("period %(period)r: use a year (2023), a quarter (2023-Q3) or a month (2023-07)")
        % {"period": period}
    )


# The pages behind the values (URL name → path; the commands' settings load no URLconf, a test
# checks these against `reverse`).
PAGES = {
    "sales:cockpit": "/sales/",
    "sales:targets": "/sales/targets/",
    "network:overview": "/network/",
    "network:station_list": "/network/stations/",
    "network:visit_indicators": "/network/visits/indicators/",
    "network:onboarding_overdue": "/network/onboarding/overdue/",
    "party:compliance": "/party/compliance/",
}


def link(name: str, **params) -> str:
    """A page's path with its query (the data behind a value)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return PAGES[name] + (f"?{query}" if query else "")


def ratio(part, whole) -> float | None:
    return None if not whole else float(Fraction(part) / Fraction(whole))


def growth(amount: int, prior: int) -> float | None:
    return None if not prior else float(Fraction(amount - prior, prior))


@dataclass
class Population:
    """The alternatives: ids, names and cities."""

    kind: str  # "city_agencies" | "market_managers"
    ids: list[str]
    labels: dict[str, str]
    cities: dict[str, str]


def population(kind: str, start: dt.date, end: dt.date) -> Population:
    """The 11 cities; or every market manager with a station assigned to them in the period, or
    active at its end."""
    from django.db.models import Q

    from fucai.geo.models import Division
    from fucai.network.choices import ManagerStatus
    from fucai.network.models import MarketManager, StationAssignment

    if kind == "city_agencies":
        rows = Division.objects.filter(level="prefecture").order_by("code")
        return Population(
            kind,
            [c.code for c in rows],
            {c.code: c.name for c in rows},
            {c.code: c.code for c in rows},
        )
    assigned = StationAssignment.objects.filter(
        Q(valid_from__lte=end) & (Q(valid_to__isnull=True) | Q(valid_to__gt=start))
    ).values("manager")
    managers = (
        MarketManager.objects.filter(Q(pk__in=assigned) | Q(status=ManagerStatus.ACTIVE))
        .select_related("city")
        .order_by("employee_code")
    )
    return Population(
        kind,
        [m.employee_code for m in managers],
        {m.employee_code: m.name for m in managers},
        {m.employee_code: m.city.code for m in managers},
    )


class Indicators:
    """The computations for one population and period (each indicator a method)."""

    def __init__(self, people: Population, start: dt.date, end: dt.date, context=None, last=None):
        from fucai.analytics.backends import AnalyticsContext

        self.people, self.start, self.end = people, start, end
        self.last = last or end  # the period's last day (end: the as-of day, on or before it)
        self.context = context or AnalyticsContext.current()
        self.cities = people.kind == "city_agencies"
        self.grouping = "city" if self.cities else "market_manager"

    # -- sales ---------------------------------------------------------------------------------
    def _ytd(self, day: dt.date, by: str):
        from fucai.analytics.runners import YearToDateRunner
        from fucai.analytics.scope import Scope

        return YearToDateRunner(self.context, Scope.province()).run(day, by=by, history=False)

    def _sales(self, day: dt.date) -> dict[str, int]:
        if day < dt.date(self.end.year, 1, 1):
            return {}
        result = self._ytd(day, self.grouping)
        return {g.keys[self.grouping]: g.amount_fen for g in result.groups}

    def _source_sales(self, ident: str) -> str:
        """A city's cockpit; a manager's row of the targets page (sales to date, target,
        completion: the cockpit has no manager filter)."""
        if self.cities:
            return link("sales:cockpit", city=ident, as_of=self.end.isoformat())
        page = link("sales:targets", level="manager", as_of=self.end.isoformat())
        return f"{page}#target-{ident}"

    def target_completion(self):
        """Sales of the period to its as-of day / its target to date (fucai.sales.targets.
        target_to_date: the one 序时进度, by monthly targets when set, else by calendar days);
        for a year to D exactly the cockpit's and the command's completion_to_date. No target:
        missing, not 0."""
        from fucai.sales.models import SalesTarget, SalesTargetSet, TargetLevel
        from fucai.sales.targets import target_to_date

        level = TargetLevel.CITY if self.cities else TargetLevel.MANAGER
        target_set = SalesTargetSet.objects.current(self.end.year)
        targets = {}
        if target_set is not None:
            targets = {
                t.code: t for t in SalesTarget.objects.filter(target_set=target_set, level=level)
            }
        sales = self._sales(self.end)
        before = self._sales(self.start - ONE_DAY) if self.start.month > 1 else {}
        values, sources = {}, {}
        for ident in self.people.ids:
            target = targets.get(ident)
            amount = target_to_date(target, self.start, self.end) if target else None
            sold = sales.get(ident, 0) - before.get(ident, 0)
            values[ident] = ratio(sold, amount)
            sources[ident] = self._source_sales(ident)
        return values, sources

    def ytd_yoy_growth(self):
        result = self._ytd(self.end, self.grouping)
        by_key = {g.keys[self.grouping]: g for g in result.groups}
        values = {
            i: growth(g.amount_fen, g.prior_amount_fen) if (g := by_key.get(i)) else None
            for i in self.people.ids
        }
        return values, {i: self._source_sales(i) for i in self.people.ids}

    def instant_growth(self):
        from fucai.sales.choices import GameCategory

        result = self._ytd(self.end, f"{self.grouping},game_category")
        by_key = {
            g.keys[self.grouping]: g
            for g in result.groups
            if g.keys["game_category"] == str(GameCategory.INSTANT)
        }
        values = {
            i: growth(g.amount_fen, g.prior_amount_fen) if (g := by_key.get(i)) else None
            for i in self.people.ids
        }
        return values, {i: self._source_sales(i) for i in self.people.ids}

    # -- the network ---------------------------------------------------------------------------
    def _network(self, figure: str):
        """A network_summary figure over the period for each alternative."""
        from fucai.network.models import Station
        from fucai.network.summary import network_summary

        def over_period(stations) -> int:
            at_end = getattr(network_summary(stations, self.end), figure)
            if self.start.month == 1 and self.start.day == 1:
                return at_end
            return at_end - getattr(network_summary(stations, self.start - ONE_DAY), figure)

        values, sources = {}, {}
        if self.cities:
            end_groups = {
                g.code: getattr(g, figure)
                for g in network_summary(Station.objects.all(), self.end, by="city").groups
            }
            if not (self.start.month == 1 and self.start.day == 1):
                before = network_summary(Station.objects.all(), self.start - ONE_DAY, by="city")
                for g in before.groups:
                    end_groups[g.code] = end_groups.get(g.code, 0) - getattr(g, figure)
            for ident in self.people.ids:
                values[ident] = float(end_groups.get(ident, 0))
                sources[ident] = link("network:overview", city=ident, as_of=self.end.isoformat())
            return values, sources
        stations = self._manager_stations()
        for ident in self.people.ids:
            mine = Station.objects.filter(pk__in=stations.get(ident, ()))
            values[ident] = float(over_period(mine)) if stations.get(ident) else 0.0
            sources[ident] = link("network:station_list", manager=ident)
        return values, sources

    def _manager_stations(self) -> dict[str, set[int]]:
        if hasattr(self, "_stations_of"):
            return self._stations_of
        from django.db.models import Q

        from fucai.network.models import StationAssignment

        rows = (
            StationAssignment.objects.filter(
                Q(valid_from__lte=self.end)
                & (Q(valid_to__isnull=True) | Q(valid_to__gt=self.start))
            )
            .order_by("station_id", "valid_from")
            .values_list("station_id", "manager__employee_code")
        )
        last: dict[int, str] = {}
        for station_id, code in rows:  # the latest assignment in the period wins
            last[station_id] = code
        out: dict[str, set[int]] = defaultdict(set)
        for station_id, code in last.items():
            out[code].add(station_id)
        self._stations_of = out
        return out

    def net_new_stations(self):
        return self._network("net_new_this_year")

    def closures(self):
        return self._network("closed_this_year")

    def core_urban_new_outlets(self):
        return self._network("core_urban_new_this_year")

    def visits_per_station_month(self):
        from fucai.geo.models import Division
        from fucai.network.visits import visit_indicators

        code_of = dict(Division.objects.filter(level="prefecture").values_list("name", "code"))
        visits: dict[str, int] = defaultdict(int)
        care: dict[str, Fraction] = defaultdict(Fraction)
        month = dt.date(self.start.year, self.start.month, 1)
        while month <= self.end:
            month_end = dt.date(
                month.year, month.month, calendar.monthrange(month.year, month.month)[1]
            )
            last = min(self.end, month_end)
            # the as-of day's month counts its elapsed days only: a station in care for 3 of
            # September's 30 days is 0.1 station-month
            part = Fraction(last.day, month_end.day)
            for row in visit_indicators(None, last).rows:
                if row.stations_in_care is None:
                    continue  # not a market manager (a Party cadre)
                key = code_of.get(row.city, "") if self.cities else row.employee_code
                visits[key] += row.visits
                care[key] += row.stations_in_care * part
            month = last + ONE_DAY
        values = {i: ratio(visits[i], care[i]) for i in self.people.ids}
        sources = {
            i: link("network:visit_indicators", as_of=self.end.isoformat()) for i in self.people.ids
        }
        return values, sources

    def onboarding_overdue(self):
        from fucai.network.onboarding import overdue_tasks

        counts: dict[str, int] = defaultdict(int)
        rows = overdue_tasks(None, self.end).values_list(
            "plan__station__city__code", "manager__employee_code"
        )
        for city, manager in rows:
            counts[city if self.cities else (manager or "")] += 1
        values = {i: float(counts[i]) for i in self.people.ids}
        sources = {
            i: link(
                "network:onboarding_overdue",
                as_of=self.end.isoformat(),
                city=i if self.cities else self.people.cities.get(i),
            )
            for i in self.people.ids
        }
        return values, sources

    def party_compliance(self):
        from fucai.party.compliance import compliance
        from fucai.party.models import Branch

        branches = {
            b.city.code: b for b in Branch.objects.filter(city__isnull=False).select_related("city")
        }
        values, sources = {}, {}
        for ident in self.people.ids:
            city = self.people.cities.get(ident)
            branch = branches.get(city)
            if branch is None:
                values[ident] = None
                sources[ident] = ""
                continue
            ended = met = 0
            for item in compliance(branch, self.end.year, self.end):
                periods = item.required // item.per_period if item.per_period else 0
                ended += periods
                met += periods - len(item.missing_periods)
            values[ident] = ratio(met, ended)
            sources[ident] = link("party:compliance", branch=branch.code, year=self.end.year)
        return values, sources


def data_version(context=None) -> str:
    """The sales store's version and the network's last change (the audit trail's latest row)."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.core.models import ObjectChange

    context = context or AnalyticsContext.current()
    last = ObjectChange.objects.order_by("-pk").values_list("pk", "time").first()
    network = f"change {last[0]} {last[1].isoformat(timespec='seconds')}" if last else "none"
    return f"sales v{context.manifest.version}; network {network}"


def build_inputs(
    scheme, period: str, *, as_of=None, manual=None, scope=None, context=None
) -> InputTable:
    """The InputTable of `scheme` for `period` ("2023", "2023-Q3", "2023-07"), computed from
    fucai's data as of `as_of` (default: the period's end; it must lie in the period).

    `manual`: {alternative id: {indicator name: value}} for the manual indicators (default: the
    latest manual-input set of the scheme and period). `scope`: a user; only the alternatives
    they see are returned (grades by quota need the whole population: evaluate it unscoped and
    show each user their rows, as `fucai evaluate period --user` does). `context`: the analytics
    context (default: the current one)."""
    from fucai.evaluation.manual import current_values

    start, end = period_bounds(period)
    last = end
    if as_of is not None:
        if not start <= as_of <= end:
            raise PeriodError(
                _("--as-of %(day)s is not in the period %(period)s")
                % {"day": as_of.isoformat(), "period": period}
            )
        end = as_of
    people = population(scheme.population, start, end)
    computer = Indicators(people, start, end, context, last=last)
    manual = current_values(scheme.name, period) if manual is None else manual
    values: dict[str, dict] = {}
    sources: dict[str, dict] = {}
    done: dict[str, tuple] = {}
    for indicator in scheme.indicators:
        if indicator.source == MANUAL:
            values[indicator.name] = {
                i: _number(manual.get(i, {}).get(indicator.name)) for i in people.ids
            }
            sources[indicator.name] = {
                i: _("manual input (%(scheme)s, %(period)s)")
                % {"scheme": scheme.name, "period": period}
                for i in people.ids
            }
            continue
        if indicator.source not in done:
            done[indicator.source] = getattr(computer, indicator.source)()
        values[indicator.name], sources[indicator.name] = done[indicator.source]
    ids = people.ids
    if scope is not None:
        visible = visible_ids(people, scope)
        ids = [i for i in ids if i in visible]
    return InputTable(
        population=scheme.population,
        period=str(period),
        start=start,
        end=end,
        ids=tuple(ids),
        labels={i: people.labels[i] for i in ids},
        cities={i: people.cities[i] for i in ids},
        values={n: {i: v[i] for i in ids} for n, v in values.items()},
        sources={n: {i: s[i] for i in ids} for n, s in sources.items()},
        data_version=data_version(computer.context),
    )


def _number(value) -> float | None:
    return None if value is None else float(value)


def visible_ids(people: Population, user) -> set[str]:
    """The alternatives `user` may see: city agencies in their view; a market manager's result
    by the manager records they see (a city: its managers; a manager: themself)."""
    from fucai.core.grant import grant_for
    from fucai.geo.models import Division
    from fucai.network.models import MarketManager

    if people.kind == "city_agencies":
        reach = grant_for(user).view
        if reach.everything:
            return set(people.ids)
        return set(Division.objects.filter(pk__in=reach.cities).values_list("code", flat=True))
    return set(MarketManager.objects.restrict(user).values_list("employee_code", flat=True))


MISSING_RULE = "worst"  # the one rule for a value not entered or not computable


def worst_value(indicator, known: list[float], elapsed: float = 1.0) -> float:
    """The value a missing cell counts as (MISSING_RULE "worst", docs/evaluation.md "Missing
    values"): the worst the indicator's normalisation can give. With goalposts the worse
    goalpost (a benefit its lower, a cost its upper; beyond it whether the goalposts are scaled
    or the counts annualised before the period's end), so that it normalises to 0 whatever the
    others entered; otherwise the worst value of the others (a benefit their minimum, a cost
    their maximum; 0 when nobody has one)."""
    spec = indicator.normalisation
    if spec is not None and spec.method == "goalpost":
        if indicator.direction == "benefit":
            return min(spec.lower, spec.lower * elapsed)
        return max(spec.upper, spec.upper * elapsed)
    if not known:
        return 0.0
    return min(known) if indicator.direction == "benefit" else max(known)


def completed_matrix(table: InputTable, scheme):
    """The decision matrix of a table for the engine, and the cells it had to fill: a missing
    value (None) counts as the worst (`worst_value`). Returns (matrix, [(id, indicator)])."""
    import numpy as np

    names = [i.name for i in scheme.indicators]
    rows = table.matrix(names)
    filled = []
    matrix = np.zeros((len(rows), len(names)))
    elapsed = table.elapsed
    for j, indicator in enumerate(scheme.indicators):
        worst = worst_value(indicator, [row[j] for row in rows if row[j] is not None], elapsed)
        for i, row in enumerate(rows):
            if row[j] is None:
                filled.append((table.ids[i], indicator.name))
                matrix[i, j] = worst
            else:
                matrix[i, j] = row[j]
    return matrix, filled
