"""Where the demo stations are: a point inside the county's boundary (GCJ-02, 6 decimals),
clustered around the county seat and a few made-up towns, dense in city districts; no two 专营
stations closer than 200 m. Also gives each station its town, name and address.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

import shapely

from fucai.network.choices import CORE_URBAN_SCENES, StationScene
from fucai.network.demo import names
from fucai.network.demo import targets as T
from fucai.network.demo.plan import County, NetworkPlan, PlannedStation, rng_for

KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON_EQUATOR = 111.320
GRID_LAT0 = 27.3  # the middle of Jiangxi, for the metric grid hash
GRID_CELL_M = 250.0  # > 200 m plus the grid's scale error over the province (≤ 4 %)
SPACING_M = T.DEDICATED_MIN_SPACING_M + 5.0  # a margin for rounding to 6 decimals
SEAT_TOWN_OVERRIDES = {"360732": "潋江镇"}  # 兴国县's seat, as in the seed's example station name
MAX_TRIES = 400


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


class SpacingGrid:
    """A metric grid hash of the 专营 stations placed so far, to keep them 200 m apart."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
        self.kx = KM_PER_DEG_LON_EQUATOR * 1000 * math.cos(math.radians(GRID_LAT0)) / GRID_CELL_M
        self.ky = KM_PER_DEG_LAT * 1000 / GRID_CELL_M

    def _cell(self, lon: float, lat: float) -> tuple[int, int]:
        return math.floor(lon * self.kx), math.floor(lat * self.ky)

    def is_free(self, lon: float, lat: float) -> bool:
        cx, cy = self._cell(lon, lat)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in self.cells.get((cx + dx, cy + dy), ()):
                    if distance_m(lon, lat, *other) < SPACING_M:
                        return False
        return True

    def add(self, lon: float, lat: float) -> None:
        self.cells.setdefault(self._cell(lon, lat), []).append((lon, lat))


@dataclass
class Town:
    name: str
    lon: float
    lat: float


@dataclass
class CountyLayout:
    """The county's polygon, its seat and its towns, and how stations cluster in it."""

    county: County
    geometry: object
    seat: Town
    towns: list[Town]
    seat_sigma_km: float
    town_sigma_km: float
    seat_share: float

    def contains(self, lon: float, lat: float) -> bool:
        return bool(shapely.contains_xy(self.geometry, lon, lat))


def uniform_point(rng: random.Random, geometry) -> tuple[float, float]:
    minx, miny, maxx, maxy = geometry.bounds
    while True:
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(geometry, lon, lat):
            return lon, lat


def county_layout(county: County, geometry, rng: random.Random) -> CountyLayout:
    shapely.prepare(geometry)
    side = math.sqrt(county.area_km2)
    if county.is_district:
        town_count = min(10, max(2, round(county.area_km2 / 30)))
        seat_sigma = min(4.0, max(0.8, 0.22 * side))
        seat_share = 0.92 if county.density >= 1000 else 0.65
    else:
        town_count = min(24, max(3, round(county.area_km2 / 160)))
        seat_sigma = min(2.5, max(1.0, 0.05 * side))
        seat_share = 0.55 if county.name.endswith("市") else 0.45
    town_names = names.town_names(rng, town_count, county.is_district)
    towns = [Town(name, *uniform_point(rng, geometry)) for name in town_names]
    seat_name = SEAT_TOWN_OVERRIDES.get(county.code) or names.seat_town_name(rng, county.name)
    seat = Town(seat_name, county.seat_lon, county.seat_lat)
    town_sigma = 0.5 if county.is_district else 0.8
    return CountyLayout(county, geometry, seat, towns, seat_sigma, town_sigma, seat_share)


def seat_share_for(station: PlannedStation, layout: CountyLayout) -> float:
    if station.scene == StationScene.TOURISM_STREET:
        return 0.5
    if station.scene in CORE_URBAN_SCENES or station.special:
        return 1.0 if station.special else 0.9
    if station.scene == StationScene.SUPERMARKET:
        return max(layout.seat_share, 0.6)
    return layout.seat_share


def place_station(
    station: PlannedStation, layout: CountyLayout, grid: SpacingGrid, rng: random.Random
) -> None:
    """Rejection sampling: a point near the seat or a town, inside the county, spaced if 专营."""
    near_seat = rng.random() < seat_share_for(station, layout)
    town = layout.seat if near_seat else rng.choice(layout.towns)
    sigma = layout.seat_sigma_km if near_seat else layout.town_sigma_km
    for attempt in range(MAX_TRIES):
        spread = sigma * (1.0 + max(0, attempt - 40) / 40)  # widen when the cluster is full
        lat = round(town.lat + rng.gauss(0.0, spread) / KM_PER_DEG_LAT, 6)
        lon = round(
            town.lon
            + rng.gauss(0.0, spread) / (KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(town.lat))),
            6,
        )
        if not layout.contains(lon, lat):
            continue
        if station.dedicated and not grid.is_free(lon, lat):
            continue
        if station.dedicated:
            grid.add(lon, lat)
        station.lon, station.lat, station.town = f"{lon:.6f}", f"{lat:.6f}", town.name
        return
    raise RuntimeError(f"could not place station {station.code} in {layout.county.name}")


def place_stations(plan: NetworkPlan, shapes: dict) -> None:
    """Coordinates and towns for every station, county by county in code order."""
    grid = SpacingGrid()
    by_county: dict[str, list[PlannedStation]] = {}
    for station in plan.stations:
        by_county.setdefault(station.county.code, []).append(station)
    for county in sorted(plan.counties, key=lambda c: c.code):
        rng = rng_for(plan.seed, f"place:{county.code}")
        layout = county_layout(county, shapes[county.code], rng)
        # The special station first, so it sits in the seat cluster whatever else is placed.
        for station in sorted(by_county.get(county.code, []), key=lambda s: (not s.special, s.key)):
            place_station(station, layout, grid, rng)


# --- names and addresses ---------------------------------------------------------------------

MAX_NAME_DRAWS = 12
PARTNER_SCENE = "partner"  # the partner group's outlets are named after its malls


def ledger_name(station: PlannedStation) -> str:
    """The numbered style of the old ledgers (兴国县潋江镇福彩0214投注站): the seed's example
    station keeps it, and a station whose drawn names are all taken falls back on it."""
    return f"{station.county.name}{station.town}福彩{station.serial:04d}投注站"


def name_stations(plan: NetworkPlan) -> None:
    """Names drawn from the scene's patterns (unique in the province) and matching addresses."""
    rng = rng_for(plan.seed, "addresses")
    taken: set[str] = set()
    for station in sorted(plan.stations, key=lambda s: s.key):
        county = station.county
        parts = station_parts(station, plan, rng)
        if station.special:
            station.name = ledger_name(station)
        else:
            station.name, parts = drawn_name(station, plan, parts, taken, rng)
        taken.add(station.name)
        station.address = (
            f"{county.city_name}{county.name}{station.town}{parts.street}{parts.number}号"
            f"{address_detail(station, parts, rng)}"
        )


def station_parts(station: PlannedStation, plan: NetworkPlan, rng: random.Random):
    parts = names.name_parts(rng, station.scene, station.county.name, station.town)
    if station.partner:
        branch = names.short_county_name(station.county.name)
        mall = rng.choice(names.COMPLEXES)
        parts = replace(parts, shop=f"{plan.partner_name[:3]}{mall}{branch}店")
    return parts


def drawn_name(
    station: PlannedStation,
    plan: NetworkPlan,
    parts: names.NameParts,
    taken: set[str],
    rng: random.Random,
) -> tuple[str, names.NameParts]:
    """A name from the scene's patterns not yet taken, and the parts it was made of (other
    streets and shops are drawn while the names are taken; the ledger style at last)."""
    for _ in range(MAX_NAME_DRAWS):
        scene = PARTNER_SCENE if station.partner else station.scene
        name = names.station_name(rng, scene, parts)
        if station.brand:
            name = f"{station.brand}·{name}"
        if name not in taken:
            return name, parts
        parts = station_parts(station, plan, rng)
    return ledger_name(station), parts


def address_detail(station: PlannedStation, parts: names.NameParts, rng: random.Random) -> str:
    scene = station.scene
    if station.partner or scene == StationScene.SHOPPING_COMPLEX:
        return f"{parts.shop}{rng.randint(1, 5)}层"
    if scene == StationScene.SUPERMARKET:
        return f"{parts.shop}内"
    if scene == StationScene.TOURISM_STREET:
        return f"{parts.shop}{rng.randint(1, 120)}号铺"
    if scene == StationScene.COMMUNITY:
        return f"{parts.shop}门口"
    if scene == StationScene.BUSINESS_DISTRICT:
        return f"{parts.shop}{rng.randint(1, 200)}号"
    return ""


def lay_out(plan: NetworkPlan, shapes: Sequence | dict) -> None:
    place_stations(plan, shapes)
    name_stations(plan)
