"""Network figures as of any date: the one place where "open stations", "net new this year" and
friends are defined. Used by the CLI, the overview page and the API.

Definitions (for an as-of day D in year Y):
- open on a day: the station's latest status change dated on or before that day is `open`;
- open_at_year_start: open at the end of Y-1-12-31, i.e. when Y began (年初);
- net_new_this_year: open on D minus open_at_year_start;
- opened_this_year: stations whose first-ever opening is dated in [Y-01-01, D];
- closed_this_year: stations closed in [Y-01-01, D];
- core_urban_new_this_year: opened this year in 商业综合体, 商圈 or 文旅街区;
- jobs_created_this_year: staff of the stations opened this year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Literal

from django.utils.translation import gettext_lazy

from fucai.network.choices import CORE_URBAN_SCENES, StationScene, StationStatus

GroupBy = Literal["city", "county", "scene"]
GROUP_BYS: tuple[str, ...] = ("city", "county", "scene")
# How the groupings and figures are named on the overview page, in its Excel file and in
# `fucai network summary --format table`.
GROUPING_LABELS = {
    "city": gettext_lazy("City"),
    "county": gettext_lazy("County"),
    "scene": gettext_lazy("Scene"),
}
FIGURE_LABELS = (
    ("open_stations", gettext_lazy("Open stations")),
    ("net_new_this_year", gettext_lazy("Net new since 1 January")),
    ("opened_this_year", gettext_lazy("Opened this year")),
    ("closed_this_year", gettext_lazy("Closed this year")),
    ("core_urban_new_this_year", gettext_lazy("New in core urban scenes")),
    ("jobs_created_this_year", gettext_lazy("Jobs created this year")),
    ("open_at_year_start", gettext_lazy("Open at start of year")),
)


@dataclass
class NetworkFigures:
    open_stations: int = 0
    open_at_year_start: int = 0
    net_new_this_year: int = 0
    opened_this_year: int = 0
    closed_this_year: int = 0
    core_urban_new_this_year: int = 0
    jobs_created_this_year: int = 0

    def add(self, station: _StationFacts) -> None:
        self.open_stations += station.open_on_day
        self.open_at_year_start += station.open_at_year_start
        self.opened_this_year += station.opened_this_year
        self.closed_this_year += station.closed_this_year
        self.core_urban_new_this_year += (
            station.opened_this_year and station.scene in CORE_URBAN_SCENES
        )
        self.jobs_created_this_year += station.staff_count if station.opened_this_year else 0
        self.net_new_this_year = self.open_stations - self.open_at_year_start


@dataclass
class NetworkGroup(NetworkFigures):
    code: str = ""
    name: str = ""


@dataclass
class NetworkSummary(NetworkFigures):
    as_of: str = ""
    year_start: str = ""
    by: str | None = None
    groups: list[NetworkGroup] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _StationFacts:
    scene: str
    staff_count: int
    open_on_day: bool = False
    open_at_year_start: bool = False
    opened_this_year: bool = False
    closed_this_year: bool = False


def _status_at(history: list[tuple[dt.date, str]], day: dt.date) -> str | None:
    status = None
    for date, value in history:
        if date > day:
            break
        status = value
    return status


def open_on_day(history: list[tuple[dt.date, str]], day: dt.date) -> bool:
    """Is a station with this status history (dated changes, in order) open at the end of `day`?
    The Python face of `Station.objects.open_on` (the latest change on or before the day)."""
    return _status_at(history, day) == StationStatus.OPEN


def _facts(station: dict, history: list[tuple[dt.date, str]], as_of: dt.date) -> _StationFacts:
    year_start = dt.date(as_of.year, 1, 1)
    first_open = next((d for d, s in history if s == StationStatus.OPEN), None)
    return _StationFacts(
        scene=station["scene"],
        staff_count=station["staff_count"],
        open_on_day=open_on_day(history, as_of),
        open_at_year_start=open_on_day(history, year_start - dt.timedelta(days=1)),
        opened_this_year=first_open is not None and year_start <= first_open <= as_of,
        closed_this_year=any(
            s == StationStatus.CLOSED and year_start <= d <= as_of for d, s in history
        ),
    )


def _group_key(station: dict, by: str) -> tuple[str, str]:
    if by == "city":
        return station["city__code"], station["city__name"]
    if by == "county":
        return station["county__code"], station["county__name"]
    return station["scene"], str(StationScene(station["scene"]).label)


def network_summary(stations, as_of: dt.date, by: str | None = None) -> NetworkSummary:
    """Figures for the given (already scope-restricted) Station queryset as of `as_of`."""
    from fucai.network.models import StationStatusChange

    if by is not None and by not in GROUP_BYS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUP_BYS)}")
    rows = list(
        stations.values(
            "pk", "scene", "staff_count", "city__code", "city__name", "county__code", "county__name"
        )
    )
    histories: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    changes = (
        StationStatusChange.objects.filter(station__in=stations.values("pk"), date__lte=as_of)
        .order_by("station_id", "date", "pk")
        .values_list("station_id", "date", "status")
    )
    for station_id, date, status in changes.iterator(chunk_size=5000):
        histories[station_id].append((date, status))

    summary = NetworkSummary(
        as_of=as_of.isoformat(), year_start=dt.date(as_of.year, 1, 1).isoformat(), by=by
    )
    groups: dict[tuple[str, str], NetworkGroup] = {}
    for row in rows:
        facts = _facts(row, histories.get(row["pk"], []), as_of)
        summary.add(facts)
        if by:
            code, name = _group_key(row, by)
            groups.setdefault((code, name), NetworkGroup(code=code, name=name)).add(facts)
    summary.groups = sorted(groups.values(), key=lambda g: g.code)
    return summary
