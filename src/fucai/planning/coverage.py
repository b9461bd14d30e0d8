"""Coverage and blank areas as of a day (docs/planning.md): the stations open on that day
(`Station.objects.open_on`, the network's one definition) cover the demand cells within the
radius of each cell's area type (`fucai.planning.demand.radius_m`); what no station covers is
blank. Every open station counts, whichever city it belongs to (coverage does not stop at a
border), but a user is shown only the cells, counties and stations of their own cities."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import numpy as np

from fucai.planning.demand import DemandGrid, load_demand, radius_m


@dataclass
class AreaFigures:
    """Population and its covered part in one county or city."""

    code: str
    name: str
    city: str = ""
    city_name: str = ""
    cells: int = 0
    population: float = 0.0
    uncovered: float = 0.0
    uncovered_cells: int = 0

    @property
    def covered_share(self) -> float:
        return (1.0 - self.uncovered / self.population) if self.population else 1.0

    def to_dict(self) -> dict:
        out = asdict(self)
        out["population"] = round(self.population)
        out["uncovered"] = round(self.uncovered)
        out["covered_pct"] = round(self.covered_share * 100, 1)
        return out


@dataclass
class BlankPatch:
    """A blank patch: neighbouring uncovered cells of town or urban density (where a station
    would have customers), with the county holding most of its people and its centre."""

    rank: int
    cells: int
    population: float
    area_km2: float
    county: str
    county_name: str
    city: str
    city_name: str
    lon: float  # GCJ-02, population-weighted centre
    lat: float

    def to_dict(self) -> dict:
        out = asdict(self)
        out["population"] = round(self.population)
        out["area_km2"] = round(self.area_km2, 1)
        out["lon"], out["lat"] = round(self.lon, 5), round(self.lat, 5)
        return out


@dataclass
class BlankAreas:
    """The blank areas of a scope as of a day: the grid, which cells are covered, the figures."""

    as_of: dt.date
    grid: DemandGrid
    covered: np.ndarray
    stations: int
    counties: list[AreaFigures] = field(default_factory=list)
    cities: list[AreaFigures] = field(default_factory=list)
    patches: list[BlankPatch] = field(default_factory=list)

    @property
    def population(self) -> float:
        return float(self.grid.population.sum())

    @property
    def uncovered(self) -> float:
        return float(self.grid.population[~self.covered].sum())

    def to_dict(self) -> dict:
        """What the JSON answers carry (keys and values independent of the language)."""
        population = self.population
        return {
            "as_of": self.as_of.isoformat(),
            "stations": self.stations,
            "cells": len(self.grid),
            "population": round(population),
            "uncovered": round(self.uncovered),
            "covered_pct": round((1 - self.uncovered / population) * 100, 1) if population else 100,
            "cities": [c.to_dict() for c in self.cities],
            "counties": [c.to_dict() for c in self.counties],
            "patches": [p.to_dict() for p in self.patches],
        }


def open_station_positions(as_of: dt.date) -> np.ndarray:
    """(n, 2) metres of every station open at the end of `as_of` (all cities)."""
    from fucai.network.models import Station
    from fucai.planning.geometry import gcj02_metres

    rows = np.array(Station.objects.open_on(as_of).values_list("lon", "lat"), float).reshape(-1, 2)
    return gcj02_metres(rows[:, 0], rows[:, 1])


def covered_cells(grid: DemandGrid, as_of: dt.date) -> np.ndarray:
    """Boolean per cell: a station open on `as_of` lies within the cell's radius."""
    from fucai.planning.geometry import covered_by

    return covered_by(grid.xy, radius_m(grid.area_type), open_station_positions(as_of))


def blank_areas(
    as_of: dt.date, cities: list[str] | None = None, layer=None, user=None
) -> BlankAreas:
    """Coverage of the demand of `cities` (adcodes; None: the whole province) as of `as_of`,
    with the figures per county and per city, the largest uncovered population first. Every
    open station covers; `stations` counts those of `cities` that `user` sees (None: all)."""
    from fucai.network.models import Station

    grid = load_demand(layer)
    if cities is not None:
        grid = grid.subset(np.isin(grid.city, np.asarray(cities, dtype="<U6")))
    covered = covered_cells(grid, as_of)
    stations = Station.objects.restrict(user) if user is not None else Station.objects.all()
    stations = stations.open_on(as_of)
    if cities is not None:
        stations = stations.filter(city__code__in=cities)
    result = BlankAreas(as_of, grid, covered, stations.count())
    result.counties = _figures(grid, covered, grid.county)
    result.cities = _figures(grid, covered, grid.city)
    result.patches = blank_patches(grid, covered)
    return result


PATCH_TYPES = ("urban", "town")  # AreaType values a blank patch is made of
MAX_PATCHES = 200  # the largest patches kept (by uncovered population)


def blank_patches(grid: DemandGrid, covered: np.ndarray, limit: int = MAX_PATCHES):
    """The blank patches, largest population first: the connected components (H3 neighbours,
    scipy.sparse.csgraph) of the uncovered cells of town or urban density. Rural blank land is
    counted in the county figures; as one patch it would span the province."""
    from h3.api import basic_int as h3
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    blank = grid.subset(~covered & np.isin(grid.area_type, PATCH_TYPES) & (grid.population > 0))
    if not len(blank):
        return []
    order = np.argsort(blank.cell)
    blank = blank.subset(order)
    rows, cols = [], []
    for i, cell in enumerate(blank.cell.tolist()):
        ring = np.array(h3.grid_ring(cell, 1), dtype=np.uint64)
        at = np.searchsorted(blank.cell, ring)
        found = at[
            (at < blank.cell.size) & (blank.cell[np.minimum(at, blank.cell.size - 1)] == ring)
        ]
        rows.extend([i] * found.size)
        cols.extend(found.tolist())
    n = len(blank)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    count, label = connected_components(graph, directed=False)
    return _patches(blank, label, count, limit)


def _patches(blank: DemandGrid, label: np.ndarray, count: int, limit: int) -> list[BlankPatch]:
    from h3.api import basic_int as h3

    from fucai.geo.models import Division

    population = np.bincount(label, weights=blank.population, minlength=count)
    cells = np.bincount(label, minlength=count)
    cell_km2 = h3.average_hexagon_area(h3.get_resolution(int(blank.cell[0])), unit="km^2")
    largest = sorted(range(count), key=lambda k: (-population[k], k))[:limit]
    names = dict(Division.objects.values_list("code", "name"))
    out = []
    for rank, k in enumerate(largest, start=1):
        members = label == k
        people = blank.population[members]
        county = _heaviest(blank.county[members], people)
        city = _heaviest(blank.city[members], people)
        out.append(
            BlankPatch(
                rank=rank,
                cells=int(cells[k]),
                population=float(population[k]),
                area_km2=float(cells[k] * cell_km2),
                county=county,
                county_name=names.get(county, county),
                city=city,
                city_name=names.get(city, city),
                lon=float(np.average(blank.lon[members], weights=people)),
                lat=float(np.average(blank.lat[members], weights=people)),
            )
        )
    return out


def _heaviest(codes: np.ndarray, weights: np.ndarray) -> str:
    """The code holding the largest total weight."""
    values, inverse = np.unique(codes, return_inverse=True)
    return str(values[np.argmax(np.bincount(inverse, weights=weights))])


def _figures(grid: DemandGrid, covered: np.ndarray, keys: np.ndarray) -> list[AreaFigures]:
    from fucai.geo.models import Division

    codes, inverse = np.unique(keys, return_inverse=True)
    population = np.bincount(inverse, weights=grid.population, minlength=codes.size)
    blank = np.bincount(inverse, weights=grid.population * ~covered, minlength=codes.size)
    cells = np.bincount(inverse, minlength=codes.size)
    blank_cells = np.bincount(inverse, weights=~covered, minlength=codes.size)
    divisions = {
        d.code: d for d in Division.objects.filter(code__in=codes.tolist()).select_related("parent")
    }
    out = []
    for i, code in enumerate(codes.tolist()):
        division = divisions.get(code)
        parent = division.parent if division is not None and division.level == "county" else None
        out.append(
            AreaFigures(
                code=code,
                name=division.name if division else code,
                city=parent.code if parent else "",
                city_name=parent.name if parent else "",
                cells=int(cells[i]),
                population=float(population[i]),
                uncovered=float(blank[i]),
                uncovered_cells=int(blank_cells[i]),
            )
        )
    out.sort(key=lambda a: (-a.uncovered, a.code))
    return out


# -- what the map and the GeoJSON export show ---------------------------------------------------
MAP_POINTS = 20_000  # the most points the map is sent: coarser cells beyond


def uncovered_points(result: BlankAreas, limit: int = MAP_POINTS) -> dict:
    """The uncovered population as [lon, lat, people] points (GCJ-02) for the heat layer: the
    cells themselves, or their parents a resolution or two up when there are more than `limit`."""
    from h3.api import basic_int as h3

    from fucai.planning.geometry import to_gcj02

    blank = result.grid.subset(~result.covered)
    cells, population, lon, lat = blank.cell, blank.population, blank.lon, blank.lat
    resolution = h3.get_resolution(int(cells[0])) if cells.size else 8
    while cells.size > limit and resolution > 0:
        resolution -= 1
        parents = np.array([h3.cell_to_parent(int(c), resolution) for c in cells.tolist()])
        cells, inverse = np.unique(parents.astype(np.uint64), return_inverse=True)
        population = np.bincount(inverse, weights=population, minlength=cells.size)
        centres = np.array([h3.cell_to_latlng(int(c)) for c in cells.tolist()]).reshape(-1, 2)
        lon, lat = to_gcj02(centres[:, 1], centres[:, 0])
    points = [
        [round(a, 5), round(b, 5), round(p, 1)]
        for a, b, p in zip(lon.tolist(), lat.tolist(), population.tolist(), strict=True)
    ]
    return {"resolution": resolution, "fields": ["lon", "lat", "uncovered"], "points": points}


def uncovered_geojson(result: BlankAreas) -> dict:
    """The uncovered cells as GeoJSON hexagons (GCJ-02, like the boundaries) with their people."""
    from h3.api import basic_int as h3

    from fucai.planning.geometry import to_gcj02

    blank = result.grid.subset(~result.covered)
    features = []
    for i, cell in enumerate(blank.cell.tolist()):
        ring = np.array(h3.cell_to_boundary(cell))
        lon, lat = to_gcj02(ring[:, 1], ring[:, 0])
        coordinates = [[round(a, 6), round(b, 6)] for a, b in zip(lon, lat, strict=True)]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [coordinates + coordinates[:1]]},
                "properties": {
                    "cell": h3.int_to_str(cell),
                    "county": str(blank.county[i]),
                    "city": str(blank.city[i]),
                    "area_type": str(blank.area_type[i]),
                    "population": round(float(blank.population[i]), 1),
                },
            }
        )
    return {"type": "FeatureCollection", "as_of": result.as_of.isoformat(), "features": features}
