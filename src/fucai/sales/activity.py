"""Whether stations sell: days without sales and the sales alerts a market manager needs.

"Days without sales" has one definition (`days_without_sales`), used by the station page and by
the "no sales for N selling days" alert: the selling days (days the sales calendar does not close
for draw games, fucai.sales.selling_days) since the station's last sale on which the station was
open (`fucai.network.summary.open_on_day`, the Python face of `Station.objects.open_on`). A
station not open on the day (planned, suspended, closed) is not "without sales": it has no count.
The count looks back at most LOOKBACK_DAYS days.

The alerts (settings ALERT_NO_SALES_DAYS and ALERT_DROP_PCT) list the stations in the user's
scope, open on the day, that have had no sales for N selling days or whose last four weeks fell
by more than X % against the same four weeks (same weekdays, 52 weeks earlier) a year before.
Sales are read by the analytics runners with the user's own Scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import LastSaleRunner, StationWindowsRunner
from fucai.analytics.scope import Scope
from fucai.network.models import Station, StationStatusChange
from fucai.network.summary import open_on_day
from fucai.sales.money import yoy_pct
from fucai.sales.selling_days import SalesCalendar
from fucai.sales.tables.cockpit import (
    AMOUNT,
    CODE,
    DELTA,
    RANK,
    STATION_PAGE,
    CockpitTable,
    TableColumn,
)

ONE_DAY = dt.timedelta(days=1)
LOOKBACK_DAYS = 366
WEEKS = 4
YEAR_OF_WEEKS = dt.timedelta(weeks=52)  # the same weekdays a year earlier
RECENT, PRIOR = 0, 1


@dataclass(frozen=True)
class Idle:
    """How long a station open on the day has gone without sales: `days` selling days on which
    it was open, since `last_sale` (None: no sale in the LOOKBACK_DAYS looked at)."""

    days: int
    last_sale: dt.date | None


def station_histories(stations, as_of: dt.date) -> dict[str, list[tuple[dt.date, str]]]:
    """Status changes up to `as_of` of some stations (a queryset), by station code, in order."""
    rows = (
        StationStatusChange.objects.filter(station__in=stations.values("pk"), date__lte=as_of)
        .order_by("station_id", "date", "pk")
        .values_list("station__code", "date", "status")
    )
    histories: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for code, date, status in rows.iterator(chunk_size=5000):
        histories[code].append((date, status))
    return histories


def idle_days(
    history: list[tuple[dt.date, str]],
    last_sale: dt.date | None,
    as_of: dt.date,
    calendar: SalesCalendar,
) -> Idle | None:
    """Days without sales of one station (see the module docstring); None: not open on as_of."""
    if not open_on_day(history, as_of):
        return None
    start = as_of - dt.timedelta(days=LOOKBACK_DAYS - 1)
    day = last_sale + ONE_DAY if last_sale else start
    count = 0
    while day <= as_of:
        if not calendar.is_closed(day) and open_on_day(history, day):
            count += 1
        day += ONE_DAY
    return Idle(count, last_sale)


def days_without_sales(
    context: AnalyticsContext, scope: Scope, stations, as_of: dt.date
) -> dict[str, Idle | None]:
    """Days without sales of the stations of `stations` (a queryset already restricted to the
    user) as of a day, read through `scope`: {station code: Idle, or None if not open}; a
    station without any status change up to the day (never open) is left out."""
    start = as_of - dt.timedelta(days=LOOKBACK_DAYS - 1)
    last_sales = LastSaleRunner(context, scope).run(start, as_of)
    return {
        code: idle_days(history, last_sales.get(code), as_of, context.calendar)
        for code, history in station_histories(stations, as_of).items()
    }


def four_weeks(as_of: dt.date) -> tuple[tuple[int, dt.date, dt.date], ...]:
    """The last four weeks to as_of, and the same four weeks (same weekdays) a year earlier."""
    start = as_of - dt.timedelta(weeks=WEEKS) + ONE_DAY
    return (
        (RECENT, start, as_of),
        (PRIOR, start - YEAR_OF_WEEKS, as_of - YEAR_OF_WEEKS),
    )


@dataclass
class SalesAlerts:
    """The stations of one user's scope that need attention on one day."""

    as_of: dt.date
    no_sales_days: int
    drop_pct: Decimal
    rows: list[dict] = field(default_factory=list)

    @classmethod
    def for_user(cls, user, as_of: dt.date, context: AnalyticsContext | None = None) -> SalesAlerts:
        context = context or AnalyticsContext.current()
        scope = Scope.for_user(user)
        stations = Station.objects.restrict(user)
        alerts = cls(
            as_of,
            settings.ALERT_NO_SALES_DAYS,
            Decimal(str(settings.ALERT_DROP_PCT)),
        )
        idle = days_without_sales(context, scope, stations, as_of)
        windows = four_weeks(as_of)
        sums = StationWindowsRunner(context, scope).run(windows)
        flagged = {}
        for code, station_idle in idle.items():
            if station_idle is None:
                continue
            row = alerts.check(code, station_idle, sums.get((RECENT, code), 0), sums)
            if row is not None:
                flagged[code] = row
        alerts.rows = alerts.named(flagged, stations)
        return alerts

    def check(self, code: str, idle: Idle, recent: int, sums: dict) -> dict | None:
        """The alert row of one open station, or None when nothing is wrong."""
        prior = sums.get((PRIOR, code), 0)
        change = yoy_pct(recent, prior)
        silent = idle.days >= self.no_sales_days
        fell = change is not None and change < -self.drop_pct
        if not (silent or fell):
            return None
        reasons = []
        if silent:
            reasons.append(_("No sales for %(n)s selling days") % {"n": idle.days})
        if fell:
            reasons.append(_("Last 4 weeks %(pct)s%% on last year") % {"pct": f"{change:+.1f}"})
        return {
            "code": code,
            "days": idle.days,
            "last_sale": idle.last_sale.isoformat() if idle.last_sale else "—",
            "recent": recent,
            "prior": prior,
            "change": change,
            "reason": "; ".join(reasons),
        }

    @staticmethod
    def named(flagged: dict[str, dict], stations) -> list[dict]:
        """The flagged rows with their stations' names, the longest silence first."""
        names = stations.filter(code__in=list(flagged)).values_list("code", "name", "county__name")
        for code, name, county in names:
            flagged[code].update(name=name, county=county)
        return sorted(
            flagged.values(), key=lambda r: (-r["days"], r["change"] or Decimal(0), r["code"])
        )

    def table(self) -> CockpitTable:
        columns = [
            TableColumn("code", _("Code"), CODE),
            TableColumn("name", _("Station"), link="url"),
            TableColumn("county", _("County")),
            TableColumn("days", _("Days without sales"), RANK),
            TableColumn("last_sale", _("Last sale")),
            TableColumn("recent", _("Last 4 weeks"), AMOUNT),
            TableColumn("prior", _("Same weeks last year"), AMOUNT),
            TableColumn("change", _("Change"), DELTA),
            TableColumn("reason", _("Why")),
        ]
        title = _("Sales alerts")
        rows = [{**row, "url": reverse(STATION_PAGE, args=[row["code"]])} for row in self.rows]
        table = CockpitTable("alerts", title, columns, rows)
        recent, prior = four_weeks(self.as_of)
        table.notes = [
            (_("As of"), self.as_of),
            (_("No sales for at least (selling days)"), self.no_sales_days),
            (_("Fall of more than (%)"), self.drop_pct),
            (_("Last 4 weeks"), f"{recent[1]} – {recent[2]}"),
            (_("Same weeks last year"), f"{prior[1]} – {prior[2]}"),
        ]
        return table
