"""Field visits (走访): recording one from a phone, exactly once, and the indicators per person.

A visit is recorded by `record_visit`, which the phone page, the API and the demo's tests share:
the station must be one the user may record visits at (`record_visits`, fucai.accounts.grants),
the distance from the phone to the station is computed here (the station's coordinates are
GCJ-02, as Chinese maps draw them; a phone's are WGS-84: the station's are converted, then the
geodesic distance on the WGS-84 ellipsoid is taken), and a visit sent again with the same
idempotency key (made up by the phone, kept with the visit in its offline queue) returns the
visit already stored instead of a second one.

`visit_indicators` gives, per person and month, what the evaluation reads: visits, stations
visited, and the stations in the person's care (those assigned to their market-manager record on
the day) that they have not visited in N days.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q

from fucai.accounts.grants import RECORD_VISITS
from fucai.network.models import FieldVisit, MarketManager, Station, StationAssignment

DEFAULT_N_DAYS = 30


def distance_m(station: Station, lon: float | Decimal, lat: float | Decimal) -> int:
    """Metres from a phone's WGS-84 position to the station (GCJ-02 coordinates)."""
    from coordTransform import gcj02_to_wgs84
    from pyproj import Geod

    station_lon, station_lat = gcj02_to_wgs84(float(station.lon), float(station.lat))
    _fwd, _back, metres = Geod(ellps="WGS84").inv(station_lon, station_lat, float(lon), float(lat))
    return round(metres)


def far_metres() -> int:
    return settings.VISIT_FAR_METRES


def recordable_stations(user):
    """The stations `user` may record visits at."""
    return Station.objects.restrict(user, RECORD_VISITS)


def manager_record(user) -> MarketManager | None:
    """The user's market-manager record, if they hold the role (their own record, by scope)."""
    from fucai.core.grant import grant_for

    ids = grant_for(user).view.persons_of("manager")
    return MarketManager.objects.filter(pk__in=ids).order_by("pk").first() if ids else None


@dataclass
class Recorded:
    visit: FieldVisit
    created: bool


def record_visit(user, station: Station, data: dict, key: uuid.UUID) -> Recorded:
    """Store a visit by `user` at `station` (one they may record visits at: the caller checks),
    or return the one already stored under `key` (created=False). `data`: visited_on, purpose,
    findings, advice, next_step, follow_up_on, lon, lat, accuracy_m."""
    existing = FieldVisit.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return Recorded(existing, False)
    visit = FieldVisit(
        station=station,
        visitor=user,
        manager=manager_record(user),
        visitor_name=(user.get_full_name() or user.username)[:60],
        idempotency_key=key,
        **{k: v for k, v in data.items() if k not in ("lon", "lat", "accuracy_m")},
    )
    lon, lat = data.get("lon"), data.get("lat")
    if lon is not None and lat is not None:
        visit.lon, visit.lat = (
            Decimal(str(lon)).quantize(Decimal("0.000001")),
            Decimal(str(lat)).quantize(Decimal("0.000001")),
        )
        visit.accuracy_m = data.get("accuracy_m")
        visit.distance_m = distance_m(station, lon, lat)
        visit.is_far = visit.distance_m > far_metres()
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:  # the same key, sent twice at once: the other request stored it
        return Recorded(FieldVisit.objects.get(idempotency_key=key), False)
    return Recorded(visit, True)


# -- indicators ------------------------------------------------------------------------------
@dataclass
class PersonMonth:
    """One person's visits in the month up to the as-of day."""

    person: str
    employee_code: str
    city: str
    month: str
    visits: int
    stations_visited: int
    far_visits: int
    stations_in_care: int | None  # None: no market-manager record, no stations in their care
    not_visited: int | None  # of those, not visited by them in the N days up to the as-of day
    not_visited_codes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class VisitIndicators:
    as_of: dt.date
    month_start: dt.date
    n_days: int
    rows: list[PersonMonth]

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "month": self.month_start.strftime("%Y-%m"),
            "month_start": self.month_start.isoformat(),
            "n_days": self.n_days,
            "people": [row.to_dict() for row in self.rows],
        }


def visit_indicators(user, as_of: dt.date, n_days: int = DEFAULT_N_DAYS) -> VisitIndicators:
    """Per person, for the month of `as_of` (from its first day to `as_of`): visits, stations
    visited, far visits; and, for market managers, the stations assigned to them on `as_of`
    (open that day) that they did not visit in the `n_days` days up to `as_of` (the day itself
    included). Only visits and managers in `user`'s scope (None: everything) count; every
    manager in scope gets a row, visits or not; other visitors (Party cadres) a row once they
    visited in the month."""
    visits = FieldVisit.objects.all() if user is None else FieldVisit.objects.restrict(user)
    managers = MarketManager.objects.all() if user is None else MarketManager.objects.restrict(user)
    month_start = as_of.replace(day=1)
    window_start = as_of - dt.timedelta(days=n_days - 1)
    in_month = visits.filter(visited_on__gte=month_start, visited_on__lte=as_of)
    month_by_manager = {
        r["manager"]: r
        for r in in_month.filter(manager__isnull=False)
        .values("manager")
        .annotate(
            n=Count("pk"),
            stations=Count("station", distinct=True),
            far=Count("pk", filter=Q(is_far=True)),
        )
    }
    assigned: dict[int, set[int]] = {}
    rows_of = StationAssignment.objects.active_on(as_of).filter(
        manager__in=managers, station__in=Station.objects.open_on(as_of)
    )
    for manager_id, station_id in rows_of.values_list("manager_id", "station_id"):
        assigned.setdefault(manager_id, set()).add(station_id)
    recent: dict[int, set[int]] = {}
    window = visits.filter(
        manager__in=managers, visited_on__gte=window_start, visited_on__lte=as_of
    ).values_list("manager_id", "station_id")
    for manager_id, station_id in window.distinct():
        recent.setdefault(manager_id, set()).add(station_id)
    codes = dict(
        Station.objects.filter(pk__in=set().union(*assigned.values())).values_list("pk", "code")
    )
    rows = []
    for manager in managers.select_related("city").order_by("city__code", "employee_code"):
        figures = month_by_manager.get(manager.pk, {})
        care = assigned.get(manager.pk, set())
        missing = sorted(codes[s] for s in care - recent.get(manager.pk, set()))
        if not care and not figures and manager.status != "active":
            continue
        rows.append(
            PersonMonth(
                person=manager.name,
                employee_code=manager.employee_code,
                city=manager.city.name,
                month=month_start.strftime("%Y-%m"),
                visits=figures.get("n", 0),
                stations_visited=figures.get("stations", 0),
                far_visits=figures.get("far", 0),
                stations_in_care=len(care),
                not_visited=len(missing),
                not_visited_codes=missing,
            )
        )
    others = (
        in_month.filter(manager__isnull=True)
        .values("visitor", "visitor_name", "station__city__name")
        .annotate(
            n=Count("pk"),
            stations=Count("station", distinct=True),
            far=Count("pk", filter=Q(is_far=True)),
            last=Max("visited_on"),
        )
        .order_by("visitor_name", "visitor")
    )
    people: dict[tuple, PersonMonth] = {}
    for r in others:
        key = (r["visitor"], r["visitor_name"])
        row = people.get(key)
        if row is None:
            people[key] = PersonMonth(
                person=r["visitor_name"],
                employee_code="",
                city=r["station__city__name"],
                month=month_start.strftime("%Y-%m"),
                visits=r["n"],
                stations_visited=r["stations"],
                far_visits=r["far"],
                stations_in_care=None,
                not_visited=None,
            )
        else:  # the same person in another city: add up (stations are distinct per city)
            row.visits += r["n"]
            row.stations_visited += r["stations"]
            row.far_visits += r["far"]
            row.city = f"{row.city}、{r['station__city__name']}"
    rows.extend(people.values())
    return VisitIndicators(as_of, month_start, n_days, rows)


INDICATOR_COLUMNS = (
    ("person", "Person"),
    ("employee_code", "Employee code"),
    ("city", "City"),
    ("month", "Month"),
    ("visits", "Visits"),
    ("stations_visited", "Stations visited"),
    ("far_visits", "Far visits"),
    ("stations_in_care", "Stations in care"),
    ("not_visited", "Not visited in N days"),
)


def indicator_labels(n_days: int) -> dict[str, str]:
    """The indicators' column headings in the active language (pages, Excel, the command)."""
    from django.utils.translation import gettext as _

    return {
        "person": _("Person"),
        "employee_code": _("Employee code"),
        "city": _("City"),
        "month": _("Month"),
        "visits": _("Visits"),
        "stations_visited": _("Stations visited"),
        "far_visits": _("Far visits"),
        "stations_in_care": _("Stations in care"),
        "not_visited": _("Not visited in %(n)s days") % {"n": n_days},
    }


def indicators_workbook(indicators: VisitIndicators, notes: list[tuple[str, object]]):
    """The indicators as an Excel workbook (one row per person), with a notes sheet."""
    from django.utils.translation import gettext as _

    from fucai.core.excel import Column, add_notes_sheet, table_workbook

    labels = indicator_labels(indicators.n_days)
    columns = [
        Column(labels[key], number_format="@") if key == "employee_code" else labels[key]
        for key, _label in INDICATOR_COLUMNS
    ]
    rows = [[getattr(r, key) for key, _label in INDICATOR_COLUMNS] for r in indicators.rows]
    wb = table_workbook(columns, rows, title=_("Visit indicators"))
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("As of"), indicators.as_of),
            (_("Month from"), indicators.month_start),
            (_("N days"), indicators.n_days),
            *notes,
        ],
    )
    return wb


def visits_workbook(visits, notes: list[tuple[str, object]]):
    """A list of visits as an Excel workbook (rows as tuples, one query)."""
    from django.utils.translation import gettext as _

    from fucai.core.excel import DATE_FORMAT, Column, add_notes_sheet, table_workbook
    from fucai.network.choices import VisitPurpose

    purposes = dict(VisitPurpose.choices)
    columns = [
        Column(_("Visited on"), number_format=DATE_FORMAT),
        Column(_("Station code"), number_format="@"),
        _("Station"),
        _("City"),
        _("County"),
        _("Visitor"),
        Column(_("Employee code"), number_format="@"),
        _("Purpose"),
        _("Findings"),
        _("Sales advice"),
        _("Next step"),
        Column(_("Follow up on"), number_format=DATE_FORMAT),
        _("Distance (m)"),
        _("Far"),
    ]
    fields = (
        "visited_on",
        "station__code",
        "station__name",
        "station__city__name",
        "station__county__name",
        "visitor_name",
        "manager__employee_code",
        "purpose",
        "findings",
        "advice",
        "next_step",
        "follow_up_on",
        "distance_m",
        "is_far",
    )
    rows = []
    for values in visits.values_list(*fields):
        row = list(values)
        row[7] = str(purposes.get(row[7], row[7]))
        row[13] = _("Yes") if row[13] else ""
        rows.append(row)
    wb = table_workbook(columns, rows, title=_("Field visits"))
    add_notes_sheet(wb, _("Notes"), notes)
    return wb
