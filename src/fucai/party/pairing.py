"""Pairing rules and figures (docs/party.md, "Pairing"): the one-to-one check, a pairing's visits,
and the coverage per city as of a day.

A pairing's visits are the field visits (fucai.network.models.FieldVisit) of purpose 结对帮扶 to
its station on a day it lasted (from `started_on`, before `ended_on`). Where two pairings of a
station overlap (a scheme that is not one to one), a visit goes to the pairing whose cadre made
it (their user account, else their name), else to the earlier pairing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

STALE_DAYS = 90  # a pairing without a visit in this many days is flagged
AVERAGE_MONTH_DAYS = 365.25 / 12


def overlapping(queryset, start: dt.date, end: dt.date | None):
    """Rows of an ActiveQuerySet whose [started_on, ended_on) overlaps [start, end)."""
    rows = queryset.filter(Q(ended_on=None) | Q(ended_on__gt=start))
    return rows if end is None else rows.filter(started_on__lt=end)


def pairing_conflicts(pairing) -> dict[str, str]:
    """What a one-to-one scheme forbids for `pairing`: its cadre or its station already paired
    (in the same scheme) on a day the pairing lasts. {} for a scheme that is not one to one."""
    from fucai.party.models import Pairing

    if not pairing.scheme.one_to_one:
        return {}
    others = overlapping(
        Pairing.objects.filter(scheme=pairing.scheme).exclude(pk=pairing.pk),
        pairing.started_on,
        pairing.ended_on,
    )
    problems = {}
    if others.filter(member=pairing.member_id).exists():
        problems["member"] = _("This cadre is already paired with a station on these days.")
    if others.filter(station=pairing.station_id).exists():
        problems["station"] = _("This station is already paired with a cadre on these days.")
    return problems


def _lasts_on(pairing, day: dt.date) -> bool:
    return pairing.started_on <= day and (pairing.ended_on is None or day < pairing.ended_on)


def _made_by(pairing, visit) -> bool:
    member = pairing.member
    if member.user_id and visit.visitor_id:
        return member.user_id == visit.visitor_id
    return bool(visit.visitor_name) and visit.visitor_name == member.name


def visits_by_pairing(pairings, until: dt.date | None = None) -> dict[int, list]:
    """Pairing pk → its visits (FieldVisit rows, oldest first), on or before `until`."""
    from fucai.network.choices import VisitPurpose
    from fucai.network.models import FieldVisit

    by_station = defaultdict(list)
    for pairing in pairings:
        by_station[pairing.station_id].append(pairing)
    out: dict[int, list] = {p.pk: [] for p in pairings}
    if not by_station:
        return out
    visits = FieldVisit.objects.filter(
        station_id__in=list(by_station), purpose=VisitPurpose.PAIRED
    ).only("station_id", "visitor_id", "visitor_name", "visited_on")
    if until is not None:
        visits = visits.filter(visited_on__lte=until)
    for visit in visits.order_by("visited_on", "pk"):
        lasting = [p for p in by_station[visit.station_id] if _lasts_on(p, visit.visited_on)]
        if not lasting:
            continue
        made = [p for p in lasting if _made_by(p, visit)] if len(lasting) > 1 else lasting
        out[(made or lasting)[0].pk].append(visit)
    return out


@dataclass
class PairingRow:
    """One pairing as the pages list it, as of a day."""

    pairing: object
    visits: int  # in the period
    last_visit: dt.date | None  # on or before the day
    stale: bool  # no visit in the last N days (and paired longer than that)
    as_of: dt.date

    @property
    def days_since(self) -> int | None:
        return None if self.last_visit is None else (self.as_of - self.last_visit).days


@dataclass
class CityPairing:
    """Pairing coverage of one city as of a day."""

    code: str
    name: str
    cadres: int = 0  # cadres with a pairing lasting on the day
    stations: int = 0  # stations with a pairing lasting on the day
    open_stations: int = 0  # the city's stations open on the day (that the user sees)
    pairings: int = 0  # pairings lasting on the day
    visits: int = 0  # visits in the period
    pairing_months: float = 0.0  # months paired in the period, summed over pairings
    stale: int = 0  # lasting pairings without a visit in the last N days

    @property
    def visits_per_pairing_month(self) -> float | None:
        return round(self.visits / self.pairing_months, 2) if self.pairing_months else None

    @property
    def paired_share(self) -> float | None:
        return round(self.stations / self.open_stations * 100, 1) if self.open_stations else None

    def to_dict(self) -> dict:
        return {
            "city": self.code,
            "name": self.name,
            "cadres": self.cadres,
            "stations": self.stations,
            "open_stations": self.open_stations,
            "paired_pct": self.paired_share,
            "pairings": self.pairings,
            "visits": self.visits,
            "visits_per_pairing_month": self.visits_per_pairing_month,
            "stale": self.stale,
        }


@dataclass
class PairingCoverage:
    """Coverage per city, and every pairing lasting on the day, of what a user sees."""

    as_of: dt.date
    since: dt.date
    stale_days: int
    cities: list[CityPairing] = field(default_factory=list)
    rows: list[PairingRow] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat(),
            "stale_days": self.stale_days,
            "cities": [c.to_dict() for c in self.cities],
        }


def _months_paired(pairing, since: dt.date, as_of: dt.date) -> float:
    start = max(since, pairing.started_on)
    end = as_of if pairing.ended_on is None else min(as_of, pairing.ended_on - dt.timedelta(1))
    return max(0, (end - start).days + 1) / AVERAGE_MONTH_DAYS


def coverage(
    pairings, as_of: dt.date, since: dt.date | None = None, stale_days: int = STALE_DAYS, user=None
) -> PairingCoverage:
    """Coverage per city of `pairings` (a restricted Pairing queryset) as of `as_of`: cadres and
    stations paired, visits per pairing per month since `since` (default: 1 January of the
    year), and the pairings without a visit in `stale_days` days. `open_stations` counts the
    city's stations open on the day that `user` sees (None: all)."""
    from fucai.network.models import Station

    since = since or as_of.replace(month=1, day=1)
    lasting = list(
        overlapping(pairings, since, as_of + dt.timedelta(days=1))
        .select_related("member", "station__city", "scheme")
        .order_by("station__city__code", "station__code", "started_on")
    )
    visits = visits_by_pairing(lasting, until=as_of)
    result = PairingCoverage(as_of, since, stale_days)
    cities: dict[str, CityPairing] = {}
    cadres, stations = defaultdict(set), defaultdict(set)
    for pairing in lasting:
        city = pairing.station.city
        figures = cities.setdefault(city.code, CityPairing(city.code, city.name))
        seen = visits[pairing.pk]
        in_period = [v for v in seen if v.visited_on >= since]
        figures.visits += len(in_period)
        figures.pairing_months += _months_paired(pairing, since, as_of)
        if not _lasts_on(pairing, as_of):
            continue
        last = seen[-1].visited_on if seen else None
        stale = (as_of - (last or pairing.started_on)).days > stale_days
        figures.pairings += 1
        figures.stale += stale
        cadres[city.code].add(pairing.member_id)
        stations[city.code].add(pairing.station_id)
        result.rows.append(PairingRow(pairing, len(in_period), last, stale, as_of))
    visible = Station.objects.restrict(user) if user is not None else Station.objects.all()
    open_counts = dict(
        visible.open_on(as_of)
        .filter(city__code__in=list(cities))
        .values_list("city__code")
        .annotate(n=Count("pk"))
    )
    for code, figures in cities.items():
        figures.cadres, figures.stations = len(cadres[code]), len(stations[code])
        figures.open_stations = open_counts.get(code, 0)
    result.cities = sorted(cities.values(), key=lambda c: c.code)
    return result
