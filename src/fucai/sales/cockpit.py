"""The province sales cockpit's figures, for one user and one as-of day.

Everything here reads sales through the analytics runners with the user's own Scope
(`Scope.for_user`), and stations through `Station.objects.restrict(user)`: a city agency gets the
same cockpit for its city, a market manager for their territory. One runner call per card group
or chart; the runners memoise their results per store version, so the page and its JSON
endpoints share them. Amounts stay integer fen until the tables and the JSON format them. The one
thing read outside a scope is the store's span of days (`sales_span`), which is a property of the
store like the runners' `data_years()`: a date, never a figure or a row.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.results import Figures, MarketShare, YearToDate
from fucai.analytics.runners import (
    MarketShareRunner,
    RankingRunner,
    SeriesRunner,
    YearToDateRunner,
)
from fucai.analytics.scope import Scope
from fucai.geo.models import Division
from fucai.network.filtersets import scoped_cities
from fucai.network.models import Station
from fucai.network.summary import NetworkSummary, network_summary
from fucai.sales.forms import SalesSpan
from fucai.sales.money import share_pct, yoy_pct, yuan_text
from fucai.sales.tables.cockpit import (
    CockpitTable,
    games_table,
    month_rows,
    monthly_table,
    ranking_table,
    window_notes,
)

RANKING_LIMIT = 10_000  # every group: a province has 11 cities, a city ~10 counties
_spans: dict[tuple, SalesSpan | None] = {}
_spans_lock = threading.Lock()


def sales_span(context: AnalyticsContext) -> SalesSpan | None:
    """First and last day of the store's sales facts (None: no facts), read from the Parquet
    statistics of the latest year's file. Like `context.data_years()`, which the runners use for
    record highs, it is a property of the store, the same for every user: a date, not a row, so
    that a city whose last sale is older still opens on the province's day."""
    key = context.cache_key
    with _spans_lock:
        if key in _spans:
            return _spans[key]
    span = _read_span(context)
    with _spans_lock:
        if len(_spans) > 64:
            _spans.clear()
        _spans[key] = span
    return span


def _read_span(context: AnalyticsContext) -> SalesSpan | None:
    years = context.data_years()
    if not years:
        return None
    files = context.manifest.daily_files(max(years))  # by month: the last one holds the last day
    if not files:
        return None
    relative = files[max(files)]
    path = context.store.root / relative
    last = _max_from_statistics(path)
    if last is None:  # no statistics written: read the one column
        column = pq.read_table(path, columns=["date"])["date"]
        last = pc.max(column).as_py()
    return None if last is None else SalesSpan(first=dt.date(min(years), 1, 1), last=last)


def _max_from_statistics(path) -> dt.date | None:
    metadata = pq.ParquetFile(path).metadata
    index = metadata.schema.names.index("date")
    last = None
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(index).statistics
        if stats is None or not stats.has_min_max:
            return None
        last = stats.max if last is None else max(last, stats.max)
    return last


def kept_network_summary(context: AnalyticsContext, stations, as_of: dt.date) -> NetworkSummary:
    """network_summary(stations, as_of), kept in the context's memo: the context is replaced
    whenever the network changes (AnalyticsContext.current), so it is exact; the key is the
    queryset's SQL, i.e. exactly which stations."""
    try:
        key = ("network_summary", str(stations.query), as_of)
    except EmptyResultSet:  # no station at all (e.g. a user administrator): nothing to keep
        return network_summary(stations, as_of)
    if key not in context.memo:
        context.memo[key] = network_summary(stations, as_of)
    return context.memo[key]


@dataclass(frozen=True)
class Cards:
    """The figures on the cockpit's cards."""

    ytd: YearToDate
    network: NetworkSummary
    market: MarketShare | None

    @property
    def total(self) -> Figures:
        return self.ytd.total

    @property
    def draw(self) -> Figures:
        return self.ytd.by_category["draw"]

    @property
    def instant(self) -> Figures:
        return self.ytd.by_category["instant"]

    @property
    def instant_share_pct(self) -> Decimal | None:
        return share_pct(self.instant.amount_fen, self.total.amount_fen)

    @property
    def prior_instant_share_pct(self) -> Decimal | None:
        return share_pct(self.instant.prior_amount_fen, self.total.prior_amount_fen)


class PlaceNotInScope(PermissionDenied):
    """A drill-down to a city or county the user does not see, or that does not exist (the two
    are one answer: out of scope looks like absent)."""


@dataclass(frozen=True)
class Crumb:
    """One level of the drill-down's breadcrumb: its name and the cockpit's link to it."""

    label: str
    url: str


class Cockpit:
    """The cockpit of one user on one day, for their whole scope or drilled down to one of their
    cities (`city`, an adcode) or counties (`county`). A drill-down only narrows the user's own
    scope (`Scope.within_city`, their stations in the county); a place they do not see raises
    PlaceNotInScope. Raises ScopeRequired for a user without a scope."""

    def __init__(
        self,
        user,
        as_of: dt.date,
        compare: str = "calendar",
        context: AnalyticsContext | None = None,
        city: str | None = None,
        county: str | None = None,
        scope: Scope | None = None,
    ) -> None:
        self.user = user
        self.scope = self.user_scope = scope or Scope.for_user(user)
        self.as_of = as_of
        self.compare = compare
        self.context = context or AnalyticsContext.current()
        self.city: dict | None = None  # the drilled city, {code, name}
        self.county: dict | None = None  # the drilled county, {code, name}
        self._drill(city or None, county or None)

    # -- drill-down -----------------------------------------------------------------------------
    def _drill(self, city: str | None, county: str | None) -> None:
        if county is not None:
            found = self._county(county)
            city = city or found["city"]
            if found["city"] != city:
                raise PlaceNotInScope(_("This county is not in your scope."))
            self.county = {"code": found["code"], "name": found["name"]}
        if city is None:
            return
        self.city = next((c for c in self.cities if c["code"] == city), None)
        if self.city is None:
            raise PlaceNotInScope(_("This city is not in your scope."))
        self.scope = self.user_scope.within_city(city, self.city["name"])
        if self.county is not None:
            self.scope = Scope.stations(self._stations_seen().values_list("code", flat=True))

    def _county(self, code: str) -> dict:
        """A county of one of the user's cities, or PlaceNotInScope."""
        cities = [c["code"] for c in self.cities]
        row = (
            Division.objects.counties()
            .filter(code=code, parent__code__in=cities)
            .values("code", "name", "parent__code")
            .first()
        )
        if row is None:
            raise PlaceNotInScope(_("This county is not in your scope."))
        return {"code": row["code"], "name": row["name"], "city": row["parent__code"]}

    def _stations_seen(self):
        """The user's stations in the drilled place (all of them without a drill-down)."""
        stations = Station.objects.restrict(self.user)
        if self.county is not None:
            return stations.filter(county__code=self.county["code"])
        if self.city is not None:
            return stations.filter(city__code=self.city["code"])
        return stations

    def drill_url(self, city: str | None = None, county: str | None = None) -> str:
        """The cockpit on the same day and comparison, drilled to `city` / `county`."""
        query = QueryDict(mutable=True)
        query.update({"as_of": self.as_of.isoformat(), "compare": self.compare})
        if city:
            query["city"] = city
        if county:
            query["county"] = county
        return f"{reverse('sales:cockpit')}?{query.urlencode()}"

    @property
    def drill_query(self) -> str:
        """`&city=…&county=…` of the drill-down, for the chart API's URLs ('' at the top)."""
        query = QueryDict(mutable=True)
        if self.city:
            query["city"] = self.city["code"]
        if self.county:
            query["county"] = self.county["code"]
        return f"&{query.urlencode()}" if query else ""

    def breadcrumb(self) -> list[Crumb]:
        """The user's whole scope, then the drilled city and county; the last is where we are."""
        crumbs = [Crumb(self.user.scope_label, self.drill_url())]
        if self.city is not None and self.map_level_of_user == "city":
            crumbs.append(Crumb(self.city["name"], self.drill_url(self.city["code"])))
        if self.county is not None:
            crumbs.append(
                Crumb(self.county["name"], self.drill_url(self.city["code"], self.county["code"]))
            )
        return crumbs

    @property
    def scope_label(self) -> str:
        """What the figures cover: the user's scope and the drill-down (赣州市 · 兴国县)."""
        return " · ".join(crumb.label for crumb in self.breadcrumb())

    # -- who sees what --------------------------------------------------------------------------
    @cached_property
    def cities(self) -> list[dict]:
        """The cities on the user's map (fucai.geo.api.scope): code and name."""
        return list(scoped_cities(self.user).order_by("code").values("code", "name"))

    @property
    def map_level_of_user(self) -> str:
        """The map's top level for the user: cities when they see several, else one's counties."""
        return "city" if self.user_scope.everything or len(self.cities) > 1 else "county"

    @property
    def map_level(self) -> str:
        """The map's level here: the user's top level, or a drilled city's counties."""
        return "county" if self.city is not None else self.map_level_of_user

    @property
    def map_city(self) -> str | None:
        """The city whose counties the map shows (None: the map shows cities)."""
        if self.city is not None:
            return self.city["code"]
        if self.map_level == "county" and self.cities:
            return self.cities[0]["code"]
        return None

    @property
    def grouping(self) -> str:
        """What the ranking ranks: cities for the province, counties for a city, stations for a
        county, a market manager's territory or an owner's stations."""
        if self.scope.everything:
            return "city"
        if self.scope.city_code is not None:
            return "county"
        return "station"

    @property
    def share_label(self) -> str:
        if self.scope.everything:
            return _("Share of province")
        if self.scope.city_code is not None:
            return _("Share of city")
        if self.county is not None:
            return _("Share of county")
        return _("Share of scope")

    def ranking_links(self) -> dict[str, str]:
        """Where each ranked group leads: a city or county drills the cockpit down, a station
        opens its page."""
        grouping = self.grouping
        if grouping == "city":
            return {c["code"]: self.drill_url(c["code"]) for c in self.cities}
        if grouping == "county":
            city = self.scope.city_code
            counties = Division.objects.counties().filter(parent__code=city)
            codes = counties.values_list("code", flat=True)
            return {code: self.drill_url(city, code) for code in codes}
        codes = self.scope.station_codes or self._stations_seen().values_list("code", flat=True)
        return {code: reverse("network:station_detail", args=[code]) for code in codes}

    # -- cards ----------------------------------------------------------------------------------
    @cached_property
    def year_to_date(self) -> YearToDate:
        """Total and draw/instant split with record highs: one runner call."""
        runner = YearToDateRunner(self.context, self.scope)
        return runner.run(self.as_of, compare=self.compare)

    def cards(self) -> Cards:
        return Cards(ytd=self.year_to_date, network=self.network, market=self.market)

    @cached_property
    def market(self) -> MarketShare | None:
        """None unless the scope is everything (the runner's rule: Jiangxi's rows are its sales)."""
        return MarketShareRunner(self.context, self.scope).run(self.as_of)

    @cached_property
    def target(self) -> dict | None:
        """The sales target of what is shown here, as of the day (fucai.sales.targets): the
        drilled or only city's, the province's (its cities' added up), else the targets the
        user holds (a manager's own, an owner's stations'); None in a county or without one."""
        return target_card(self.user, self.user_scope, self.city, self.county, self.as_of,
                           self.context)  # fmt: skip

    @property
    def network(self) -> NetworkSummary:
        """The network figures of the stations seen here, kept in the context's memo: the context
        is replaced whenever the network changes (AnalyticsContext.current), so they are exact;
        the key is the restricted queryset's SQL, i.e. exactly which stations."""
        return kept_network_summary(self.context, self._stations_seen(), self.as_of)

    def warm(self) -> None:
        """Compute what the page shows (the runners keep it: fucai.core.warmup)."""
        for name in ("year_to_date", "market", "ranked", "by_game", "monthly_series"):
            getattr(self, name)

    # -- tables ---------------------------------------------------------------------------------
    @cached_property
    def ranked(self):
        return RankingRunner(self.context, self.scope).run(
            self.as_of, by=self.grouping, top=RANKING_LIMIT, compare=self.compare
        )

    def ranking(self) -> CockpitTable:
        table = ranking_table(
            self.ranked, self.year_to_date.total, self.share_label, self.ranking_links()
        )
        table.notes = self._notes()
        return table

    @cached_property
    def by_game(self) -> YearToDate:
        runner = YearToDateRunner(self.context, self.scope)
        return runner.run(self.as_of, by="game", compare=self.compare, history=False)

    def games(self) -> CockpitTable:
        table = games_table(self.by_game, self._game_categories())
        table.notes = self._notes(self.by_game)
        return table

    @cached_property
    def monthly_series(self):
        return SeriesRunner(self.context, self.scope).monthly(self.as_of)

    def months(self):
        return month_rows(self.monthly_series, self.as_of)

    def monthly(self) -> CockpitTable:
        table = monthly_table(self.months(), self.as_of)
        table.notes = self._notes()
        return table

    def table(self, name: str) -> CockpitTable | None:
        builders = {"ranking": self.ranking, "games": self.games, "monthly": self.monthly}
        builder = builders.get(name)
        return builder() if builder else None

    def _notes(self, ytd: YearToDate | None = None) -> list[tuple[str, object]]:
        return [
            *window_notes(ytd or self.year_to_date, self.scope_label),
            (_("Exported by"), self.user.username),
        ]

    @staticmethod
    def _game_categories() -> dict[str, str]:
        from fucai.sales.models import Game

        return {g.code: str(g.get_category_display()) for g in Game.objects.all()}

    # -- chart data -----------------------------------------------------------------------------
    def monthly_json(self) -> dict:
        rows = self.months()
        return {
            "as_of": self.as_of.isoformat(),
            "year": self.as_of.year,
            "prior_year": self.as_of.year - 1,
            "months": [
                {
                    "month": row.month.month,
                    "amount_yuan": None if row.amount_fen is None else yuan_text(row.amount_fen),
                    "same_period_yuan": (
                        None if row.same_period_fen is None else yuan_text(row.same_period_fen)
                    ),
                    "last_year_yuan": yuan_text(row.last_year_fen),
                    "yoy_pct": None if row.yoy_pct is None else str(row.yoy_pct),
                    "partial": row.partial,
                }
                for row in rows
            ],
        }

    def games_json(self) -> dict:
        ytd = self.by_game
        categories = self._game_categories()
        total, prior = ytd.total.amount_fen, ytd.total.prior_amount_fen
        return {
            "as_of": self.as_of.isoformat(),
            "year": self.as_of.year,
            "prior_year": self.as_of.year - 1,
            "total": ytd.total.to_dict(),
            "games": [
                {
                    "key": g.key,
                    "name": g.name,
                    "category": categories.get(g.key, ""),
                    **g.figures.to_dict(),
                    "share_pct": _text(share_pct(g.amount_fen, total)),
                    "prior_share_pct": _text(share_pct(g.prior_amount_fen, prior)),
                }
                for g in ytd.groups
            ],
        }

    def map_json(self, city: str | None = None) -> dict:
        """Regions coloured by YoY: the cities, or the counties of one city (then with its
        stations, sized by year-to-date amount). `city` must be one of the user's cities."""
        if city is None and self.map_level == "city":
            return self._city_map()
        if city is None:
            city = self.map_city or ""  # no city at all (a user administrator): refused
        if self.city is not None and city != self.city["code"]:
            raise PermissionDenied(_("This city is not in your scope."))
        if city not in {c["code"] for c in self.cities}:
            raise PermissionDenied(_("This city is not in your scope."))
        return self._county_map(city)

    def _city_map(self) -> dict:
        ytd = YearToDateRunner(self.context, self.scope).run(
            self.as_of, by="city", compare=self.compare, history=False
        )
        return {
            **self._map_head(ytd, "city", None),
            "regions": [_region(g.key, g.name, g.figures) for g in ytd.groups],
            "stations": [],
        }

    def _county_map(self, city: str) -> dict:
        """One runner call by county and station: counties are the sums of their stations."""
        ytd = YearToDateRunner(self.context, self._scope_in(city)).run(
            self.as_of, by=("city", "county", "station"), compare=self.compare, history=False
        )
        groups = [g for g in ytd.groups if g.keys["city"] == city]
        counties: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        names: dict[str, str] = {}
        for g in groups:
            county = counties[g.keys["county"]]
            county[0] += g.amount_fen
            county[1] += g.prior_amount_fen
            names[g.keys["county"]] = g.name.split(" / ")[1]
        regions = [
            _region(code, names[code], Figures(amount, prior))
            for code, (amount, prior) in sorted(counties.items(), key=lambda kv: -kv[1][0])
        ]
        return {
            **self._map_head(ytd, "county", city),
            "regions": regions,
            "stations": self._stations(city, groups),
        }

    def _scope_in(self, city: str) -> Scope:
        """The user's scope narrowed to one of their cities (never widened)."""
        name = next((c["name"] for c in self.cities if c["code"] == city), city)
        return self.scope.within_city(city, name)

    def _stations(self, city: str, groups) -> list[dict]:
        amounts = {g.keys["station"]: g.figures for g in groups if g.amount_fen > 0}
        rows = (
            self._stations_seen()
            .filter(city__code=city, code__in=list(amounts))
            .order_by("code")
            .values_list("code", "name", "lon", "lat", "county__name")
        )
        stations = []
        for code, name, lon, lat, county in rows:
            figures = amounts[code]
            stations.append(
                {
                    "code": code,
                    "name": name,
                    "county": county,
                    "lon": float(lon),
                    "lat": float(lat),
                    "amount_yuan": yuan_text(figures.amount_fen),
                    "prior_amount_yuan": yuan_text(figures.prior_amount_fen),
                    "yoy_pct": _text(figures.yoy_pct),
                }
            )
        return stations

    def _map_head(self, ytd: YearToDate, level: str, city: str | None) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "level": level,
            "city": city,
            "window": ytd.window.to_dict(),
            "prior_window": ytd.prior_window.to_dict(),
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _region(code: str, name: str, figures: Figures) -> dict:
    return {
        "code": code,
        "name": name,
        "amount_yuan": yuan_text(figures.amount_fen),
        "prior_amount_yuan": yuan_text(figures.prior_amount_fen),
        "yoy_pct": _text(yoy_pct(figures.amount_fen, figures.prior_amount_fen)),
    }


def target_card(user, scope: Scope, city: dict | None, county, as_of: dt.date, context=None):
    """Completion and 序时进度 of the targets behind a cockpit (`completion_card`), or None in a
    county (targets are set for cities, managers and stations)."""
    from fucai.sales.targets import completion

    if county is not None:
        return None
    if city is not None or scope.whole_cities:
        rows = completion(as_of, "city", user=user, scope=scope, context=context)
        if city is not None:
            rows = [r for r in rows if r.code == city["code"]]
    else:
        rows = completion(as_of, "manager", user=user, scope=scope, context=context) or (
            completion(as_of, "station", user=user, scope=scope, context=context)
        )
    return completion_card(rows, as_of)


def completion_card(rows, as_of: dt.date) -> dict:
    """The card of completion rows added up (fucai.sales.targets.total_completion: a province
    of its cities, by their own monthly targets): rate, time_share, rate_to_date (Decimals or
    None), basis, target_fen, to_date_fen, sales_fen, version, ahead; `missing` (with the
    year) when there is no target: "no target", never 0 %."""
    from fucai.sales.targets import fen, total_completion

    total = total_completion(rows)
    if total is None:
        return {"missing": True, "year": as_of.year}
    return {
        "missing": False,
        "year": as_of.year,
        "rate": total.rate,
        "time_share": total.time_share,
        "rate_to_date": total.rate_to_date,
        "basis": total.basis,
        "gap": total.gap,
        "target_fen": total.target_fen,
        "to_date_fen": None if total.to_date is None else fen(total.to_date),
        "sales_fen": total.sales_fen,
        "version": total.version,
        "ahead": total.to_date is not None and total.sales_fen >= total.to_date,
    }
