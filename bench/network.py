"""A quick bulk builder of a bench station network (no geometry, no owners, no managers).

Stations are spread over Jiangxi's counties in proportion to population; codes follow the
real rule (36 + the city's lottery number + a 4-digit serial). Most stations are open from
before the first day of sales; some open during the period and a few close, so the facts have
the gaps a real network has (and the importer's "station not open" rule has work to do).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

BATCH = 2_000
OPENED_BEFORE = dt.date(2019, 6, 1)
NEW_SHARE = 0.06  # open during the period
CLOSED_SHARE = 0.02  # close during the period
SCENE_WEIGHTS = {
    "street": 0.45,
    "supermarket": 0.12,
    "business_district": 0.08,
    "community": 0.2,
    "shopping_complex": 0.04,
    "tourism_street": 0.03,
    "instant_kiosk": 0.02,
    "welfare_post": 0.06,
}


@dataclass(frozen=True)
class BenchStation:
    code: str
    city_id: int
    county_id: int
    scene: str
    operation: str
    opened: dt.date
    closed: dt.date | None


def plan_stations(count: int, first: dt.date, days: int, seed: int) -> list[BenchStation]:
    from fucai.geo.models import Division

    rng = np.random.default_rng([seed, 1])
    counties = list(Division.objects.counties().select_related("parent").order_by("code"))
    weights = np.array([c.population for c in counties], dtype=float)
    per_county = np.floor(weights / weights.sum() * count).astype(int)
    per_county[np.argsort(-weights)[: count - per_county.sum()]] += 1
    serial: dict[int, int] = {}
    scenes, scene_p = list(SCENE_WEIGHTS), np.array(list(SCENE_WEIGHTS.values()))
    stations = []
    for county, n in zip(counties, per_county, strict=True):
        city = county.parent
        for _ in range(n):
            serial[city.pk] = serial.get(city.pk, 0) + 1
            opened, closed = OPENED_BEFORE, None
            draw = rng.random()
            if draw < NEW_SHARE:
                opened = first + dt.timedelta(days=int(rng.integers(1, days - 30)))
            elif draw < NEW_SHARE + CLOSED_SHARE:
                closed = first + dt.timedelta(days=int(rng.integers(30, days - 1)))
            stations.append(
                BenchStation(
                    code=f"36{city.lottery_code}{serial[city.pk]:04d}",
                    city_id=city.pk,
                    county_id=county.pk,
                    scene=str(rng.choice(scenes, p=scene_p)),
                    operation="dedicated" if rng.random() < 0.55 else "shared",
                    opened=opened,
                    closed=closed,
                )
            )
    return sorted(stations, key=lambda s: s.code)


def write_network(stations: list[BenchStation]) -> None:
    """Replace the database's stations with the bench network (bulk inserts, no signals)."""
    from django.db import transaction

    from fucai.geo.models import Division
    from fucai.network.models import Station, StationStatusChange

    seats = {d.pk: (d.seat_lon, d.seat_lat) for d in Division.objects.counties()}
    with transaction.atomic():
        StationStatusChange.objects.all().delete()
        Station.objects.all().delete()
        rows = [
            Station(
                code=s.code,
                name=f"福彩投注站{s.code}",
                city_id=s.city_id,
                county_id=s.county_id,
                address="",
                lon=seats[s.county_id][0] + Decimal(i % 97) / 10_000,
                lat=seats[s.county_id][1] + Decimal(i % 89) / 10_000,
                scene=s.scene,
                operation=s.operation,
                status="closed" if s.closed else "open",
                opened_on=s.opened,
            )
            for i, s in enumerate(stations)
        ]
        Station.objects.bulk_create(rows, batch_size=BATCH)
        changes = []
        for s, row in zip(stations, rows, strict=True):
            changes.append(StationStatusChange(station=row, status="open", date=s.opened))
            if s.closed:
                changes.append(StationStatusChange(station=row, status="closed", date=s.closed))
        StationStatusChange.objects.bulk_create(changes, batch_size=BATCH)


def stations_dimension():
    """The station dimension the raw queries join: code, city and county (codes and names)."""
    import pyarrow as pa

    from fucai.network.models import Station

    rows = list(
        Station.objects.order_by("code").values_list(
            "code", "city__code", "city__name", "county__code", "county__name", "scene"
        )
    )
    names = ["station_code", "city_code", "city_name", "county_code", "county_name", "scene"]
    return pa.table([list(c) for c in zip(*rows, strict=True)], names=names)
