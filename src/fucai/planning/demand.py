"""Demand: where the people are, on the H3 grid, for coverage and siting (docs/planning.md).

A demand layer is a set of H3 cells at resolution 8 (≈ 0.74 km² a cell, edge ≈ 0.46 km: fine
enough for a 500 m urban radius, ≈ 230,000 cells over Jiangxi's 167,000 km²), each with its
centre (WGS84 and GCJ-02), county and city adcodes, area type and population (a float). Two
sources make one:

- the census model (`build_census_layer`): each county's 2020 census population, a share
  (FUCAI_PLANNING_URBAN_SHARE, default 0.6044, Jiangxi's 2020 urbanisation rate) concentrated
  around the county seat with an exponential decay of the distance (scale FUCAI_PLANNING_DECAY_KM,
  default 1.5 km), the rest spread evenly over the county's cells (the cells whose centres lie in
  its polygon, converted from GCJ-02 to WGS84 before h3). Each county's cells add up to its
  census population;
- an imported grid (`import_demand_file`): points (a CSV of lon, lat, weight; WGS84 or GCJ-02)
  or the pixels of a population raster (a GeoTIFF such as WorldPop's, read with rasterio in the
  raster's own coordinate system, each pixel's value placed at its centre) summed into the cells
  that hold them, each cell given the county (and city) whose polygon holds its centre.

Either way the area type follows the density: urban from URBAN_DENSITY people per km², town from
TOWN_DENSITY, rural below. The cells are a Parquet file per layer, read back by `load_demand`.

The API the siting and the pages use:

    grid = load_demand()            # the newest layer (or load_demand(layer))
    grid.cell, grid.lon, grid.lat   # uint64 H3 ids, GCJ-02 centres (float64)
    grid.xy                         # (n, 2) metres (fucai.planning.geometry.to_metres)
    grid.population, grid.county, grid.city, grid.area_type
    radius_m(grid.area_type)        # metres per cell, from the settings
    grid.subset(grid.city == "361000")
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fucai.planning.choices import AreaType, DemandSource, LayerStatus

RESOLUTION = 8
URBAN_DENSITY = 1500.0  # people per km²: urban from here
TOWN_DENSITY = 300.0  # people per km²: town from here, rural below
CRS_CHOICES = ("wgs84", "gcj02")
Progress = Callable[[str, int | None], None]


def _no_progress(step: str, count: int | None = None) -> None:
    return None


@dataclass(frozen=True)
class DemandGrid:
    """The cells of a demand layer as numpy arrays of equal length (one row per H3 cell)."""

    cell: np.ndarray  # uint64 H3 index (h3.int_to_str gives the hex id)
    lon: np.ndarray  # GCJ-02 centre, float64 (what the maps and stations use)
    lat: np.ndarray
    lon_wgs84: np.ndarray  # WGS84 centre, float64
    lat_wgs84: np.ndarray
    xy: np.ndarray  # (n, 2) float64 metres on the planning projection
    population: np.ndarray  # float64 people
    county: np.ndarray  # county adcode, str ("361002")
    city: np.ndarray  # city adcode, str ("361000")
    area_type: np.ndarray  # AreaType value, str ("urban" | "town" | "rural")

    def __len__(self) -> int:
        return int(self.cell.size)

    def subset(self, mask: np.ndarray) -> DemandGrid:
        """The cells where `mask` (a boolean or index array) holds."""
        return DemandGrid(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})

    @property
    def cell_ids(self) -> list[str]:
        """The cells' H3 ids as hex strings."""
        from h3.api import basic_int as h3

        return [h3.int_to_str(int(c)) for c in self.cell.tolist()]


def radius_m(area_type: np.ndarray | Iterable[str]) -> np.ndarray:
    """The covering radius in metres of each cell, by its area type (FUCAI_PLANNING_RADIUS_*_M:
    500 m urban, 1 km town, 2 km rural by default)."""
    area_type = np.asarray(area_type)
    radius = np.full(area_type.shape, float(settings.PLANNING_RADIUS_RURAL_M))
    radius[area_type == AreaType.URBAN.value] = settings.PLANNING_RADIUS_URBAN_M
    radius[area_type == AreaType.TOWN.value] = settings.PLANNING_RADIUS_TOWN_M
    return radius


def area_types(population: np.ndarray, resolution: int = RESOLUTION) -> np.ndarray:
    """Urban / town / rural of cells of this population, by density (people per km²)."""
    from h3.api import basic_int as h3

    density = np.asarray(population, float) / h3.average_hexagon_area(resolution, unit="km^2")
    out = np.full(density.shape, AreaType.RURAL.value, dtype="<U5")
    out[density >= TOWN_DENSITY] = AreaType.TOWN.value
    out[density >= URBAN_DENSITY] = AreaType.URBAN.value
    return out


# -- the census model ---------------------------------------------------------------------------
def _wgs84_shape(shape):
    """A GCJ-02 shapely geometry in WGS84 (every vertex converted)."""
    import shapely

    from fucai.planning.geometry import to_wgs84

    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(shape, convert)


def county_cells(shape_gcj02, resolution: int = RESOLUTION) -> np.ndarray:
    """uint64 ids of the H3 cells whose centres lie in this GCJ-02 county polygon."""
    from h3.api import basic_int as h3

    cells = h3.geo_to_cells(_wgs84_shape(shape_gcj02).__geo_interface__, resolution)
    return np.array(sorted(cells), dtype=np.uint64)


def _counties(cities: Iterable[str] | None = None) -> list[dict]:
    """The counties (of `cities`, adcodes; default all): code, city, population, seat (GCJ-02),
    from the Division rows."""
    from fucai.geo.models import Division

    rows = Division.objects.counties().order_by("code")
    if cities is not None:
        rows = rows.filter(parent__code__in=list(cities))
    return [
        {
            "code": d.code,
            "city": d.parent.code,
            "population": d.population,
            "seat": (float(d.seat_lon), float(d.seat_lat)),
        }
        for d in rows.select_related("parent")
    ]


def census_population(
    cells: np.ndarray, seat_xy: np.ndarray, population: float, share: float, decay_m: float
) -> np.ndarray:
    """One county's population over its cells: `share` of it by exp(-distance to the seat /
    decay), the rest evenly; the cells add up to `population`."""
    xy = cell_metres(cells)
    distance = np.hypot(xy[:, 0] - seat_xy[0], xy[:, 1] - seat_xy[1])
    weight = np.exp(-(distance - distance.min()) / decay_m)
    urban = share * population * weight / weight.sum()
    return urban + (1.0 - share) * population / cells.size


def cell_centres(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitudes and latitudes of the cells' centres."""
    from h3.api import basic_int as h3

    points = np.array([h3.cell_to_latlng(int(c)) for c in cells.tolist()], float)
    points = points.reshape(-1, 2)
    return points[:, 1], points[:, 0]


def cell_metres(cells: np.ndarray) -> np.ndarray:
    from fucai.planning.geometry import to_metres

    return to_metres(*cell_centres(cells))


def build_census_cells(
    progress: Progress = _no_progress, cities: Iterable[str] | None = None
) -> dict[str, np.ndarray]:
    """The census model's cells as columns (see the module docstring), of the whole province or
    of `cities` (adcodes)."""
    from h3.api import basic_int as h3

    from fucai.geo.loader import boundary_shapes
    from fucai.planning.geometry import gcj02_metres, to_wgs84

    shapes = boundary_shapes("county")
    share, decay_m = settings.PLANNING_URBAN_SHARE, settings.PLANNING_DECAY_KM * 1000
    counties = _counties(cities)
    cells_of = _unique_cells([county_cells(shapes[c["code"]]) for c in counties])
    parts: dict[str, list] = {"cell": [], "population": [], "county": [], "city": []}
    for county, cells in zip(counties, cells_of, strict=True):
        if not cells.size:  # a county smaller than a cell: its seat's cell
            lon, lat = to_wgs84([county["seat"][0]], [county["seat"][1]])
            cells = np.array([h3.latlng_to_cell(lat[0], lon[0], RESOLUTION)], dtype=np.uint64)
        seat_xy = gcj02_metres([county["seat"][0]], [county["seat"][1]])[0]
        parts["cell"].append(cells)
        parts["population"].append(
            census_population(cells, seat_xy, county["population"], share, decay_m)
        )
        parts["county"].append(np.full(cells.size, county["code"]))
        parts["city"].append(np.full(cells.size, county["city"]))
        progress(county["code"], int(cells.size))
    return {key: np.concatenate(value) for key, value in parts.items()}


def _unique_cells(per_county: list[np.ndarray]) -> list[np.ndarray]:
    """Each county's cells without those an earlier county already has (neighbouring polygons
    may overlap by a sliver): a cell belongs to one county only."""
    sizes = [cells.size for cells in per_county]
    every = np.concatenate(per_county) if per_county else np.empty(0, np.uint64)
    keep = np.zeros(every.size, dtype=bool)
    keep[np.unique(every, return_index=True)[1]] = True
    masks = np.split(keep, np.cumsum(sizes)[:-1]) if sizes else []
    return [cells[mask] for cells, mask in zip(per_county, masks, strict=True)]


# -- an imported grid ---------------------------------------------------------------------------
class DemandImportError(ValueError):
    """A demand file that cannot be read: every problem with its file, row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


MAX_IMPORT_ERRORS = 50


def read_points_csv(data: bytes, filename: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lon, lat, weight arrays of a CSV with those three columns (a header row naming them),
    or DemandImportError naming the file, row and column of each problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DemandImportError([_("%(file)s: not UTF-8 text.") % {"file": filename}]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("lon", "lat", "weight") if c not in header]
    if missing:
        raise DemandImportError(
            [
                _("%(file)s, row 1: missing column(s) %(columns)s (need lon, lat, weight).")
                % {"file": filename, "columns": ", ".join(missing)}
            ]
        )
    reader.fieldnames = header
    problems: list[str] = []
    values: list[tuple[float, float, float]] = []
    for number, row in enumerate(reader, start=2):
        parsed = _point(row, number, filename, problems)
        if parsed is not None:
            values.append(parsed)
        if len(problems) >= MAX_IMPORT_ERRORS:
            break
    if not problems and not values:
        problems.append(_("%(file)s: no points.") % {"file": filename})
    if problems:
        raise DemandImportError(problems)
    array = np.array(values, float)
    return array[:, 0], array[:, 1], array[:, 2]


BOUNDS = {"lon": (-180.0, 180.0), "lat": (-90.0, 90.0), "weight": (0.0, math.inf)}


def _point(row: dict, number: int, filename: str, problems: list[str]):
    out = []
    for column, (low, high) in BOUNDS.items():
        raw = (row.get(column) or "").strip()
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and low <= value <= high):
            problems.append(
                _("%(file)s, row %(row)s, column %(column)s: %(value)r is not a valid %(column)s.")
                % {"file": filename, "row": number, "column": column, "value": raw}
            )
            return None
        out.append(value)
    return tuple(out)


def aggregate_points(
    lon_wgs84: np.ndarray, lat_wgs84: np.ndarray, weight: np.ndarray
) -> dict[str, np.ndarray]:
    """Points summed into their cells, each cell given the county and city whose polygon holds
    its centre; cells outside every county are dropped (`dropped_weight` says how much)."""
    from h3.api import basic_int as h3

    ids = np.array(
        [
            h3.latlng_to_cell(b, a, RESOLUTION)
            for a, b in zip(lon_wgs84.tolist(), lat_wgs84.tolist(), strict=True)
        ],
        dtype=np.uint64,
    )
    cells, inverse = np.unique(ids, return_inverse=True)
    population = np.bincount(inverse, weights=weight, minlength=cells.size)
    county, city = locate_cells(cells)
    keep = county != ""
    return {
        "cell": cells[keep],
        "population": population[keep],
        "county": county[keep],
        "city": city[keep],
        "dropped_weight": np.array([population[~keep].sum()]),
    }


def locate_cells(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """County and city adcodes of the county polygons holding each cell's centre ("" outside)."""
    import shapely

    from fucai.geo.loader import boundary_shapes
    from fucai.planning.geometry import to_gcj02

    lon, lat = to_gcj02(*cell_centres(cells))
    county = np.full(cells.size, "", dtype="<U6")
    for code, shape in boundary_shapes("county").items():
        inside = shapely.contains_xy(shape, lon, lat) & (county == "")
        county[inside] = code
    parents = _county_parents()
    city = np.array([parents.get(c, "") for c in county.tolist()], dtype="<U6")
    return county, city


def _county_parents() -> dict[str, str]:
    from fucai.geo.models import Division

    return dict(Division.objects.counties().values_list("code", "parent__code"))


# -- layers: build, import, save, load ---------------------------------------------------------
def build_census_layer(
    name: str = "",
    progress: Progress = _no_progress,
    cities: Iterable[str] | None = None,
    layer=None,
):
    """A new census-model DemandLayer with its cells file (the province, or only `cities`);
    `layer`: fill this (building) layer instead of creating one."""
    columns = build_census_cells(progress, cities)
    note = _(
        "2020 census by county; %(share)s%% around the seat (exponential decay, scale %(km)s km), "
        "the rest evenly over the county."
    ) % {"share": f"{settings.PLANNING_URBAN_SHARE * 100:.2f}", "km": settings.PLANNING_DECAY_KM}
    return save_layer(columns, name or _("Census model 2020"), DemandSource.CENSUS, note, layer)


GEOTIFF_SUFFIXES = (".tif", ".tiff")


def is_geotiff(filename: str) -> bool:
    """Whether a file is taken as a population raster (by its name: .tif, .tiff)."""
    return Path(filename).suffix.lower() in GEOTIFF_SUFFIXES


def read_points_geotiff(data: bytes, filename: str, crs: str = "wgs84"):
    """lon, lat (WGS84) and weight of the pixels of a GeoTIFF's first band that hold people
    (nodata and zero pixels skipped), each at its pixel's centre, reprojected from the raster's
    coordinate system; a raster without one is taken as longitude and latitude in `crs`.
    DemandImportError names the file and, for a bad value, the pixel's row and column."""
    import rasterio
    from rasterio.errors import RasterioIOError
    from rasterio.io import MemoryFile

    try:
        with MemoryFile(data) as memory, memory.open() as raster:
            band = raster.read(1, masked=True)
            transform, source_crs = raster.transform, raster.crs
    except (RasterioIOError, ValueError) as exc:
        message = _("%(file)s: not a GeoTIFF that can be read (%(error)s).")
        raise DemandImportError([message % {"file": filename, "error": exc}]) from None
    values = np.ma.filled(band.astype(float), 0.0)
    _check_pixels(values, filename)
    rows, cols = np.nonzero(values > 0)
    if not rows.size:
        raise DemandImportError([_("%(file)s: no pixel holds people.") % {"file": filename}])
    xs, ys = rasterio.transform.xy(transform, rows, cols, offset="center")
    lon, lat = _raster_lonlat(np.asarray(xs), np.asarray(ys), source_crs, crs, filename)
    return lon, lat, values[rows, cols]


def _check_pixels(values: np.ndarray, filename: str) -> None:
    """Every pixel a finite, non-negative number of people, else the first problems by pixel."""
    bad = ~np.isfinite(values) | (values < 0)
    if not bad.any():
        return
    message = _("%(file)s, pixel row %(row)s, column %(col)s: %(value)s is not a population.")
    problems = [
        message % {"file": filename, "row": r + 1, "col": c + 1, "value": values[r, c]}
        for r, c in zip(*np.nonzero(bad), strict=True)
    ]
    raise DemandImportError(problems[:MAX_IMPORT_ERRORS])


def _raster_lonlat(xs, ys, source_crs, crs: str, filename: str):
    from rasterio.warp import transform as reproject

    from fucai.planning.geometry import to_wgs84

    if source_crs is not None:
        lon, lat = reproject(source_crs, "EPSG:4326", xs.tolist(), ys.tolist())
        return np.asarray(lon), np.asarray(lat)
    if not (np.abs(xs) <= 180).all() or not (np.abs(ys) <= 90).all():
        message = _("%(file)s: the raster has no coordinate system and is not in degrees.")
        raise DemandImportError([message % {"file": filename}])
    return to_wgs84(xs, ys) if crs == "gcj02" else (xs, ys)


def import_demand_file(data: bytes, filename: str, crs: str = "wgs84", name: str = "", layer=None):
    """A new imported DemandLayer from a CSV of points (lon, lat, weight) in `crs` or a GeoTIFF
    population raster (in its own coordinate system; `crs` only when it has none); `layer`:
    fill this (building) layer instead of creating one."""
    from fucai.planning.geometry import to_wgs84

    if crs not in CRS_CHOICES:
        raise DemandImportError([_("Unknown coordinate system %(crs)s.") % {"crs": crs}])
    if is_geotiff(filename):
        lon, lat, weight = read_points_geotiff(data, filename, crs)
        kind = pgettext("demand import", "raster pixels")
    else:
        lon, lat, weight = read_points_csv(data, filename)
        if crs == "gcj02":
            lon, lat = to_wgs84(lon, lat)
        kind = pgettext("demand import", "points")
    columns = aggregate_points(lon, lat, weight)
    dropped = float(columns.pop("dropped_weight")[0])
    if not columns["cell"].size:
        raise DemandImportError(
            [_("%(file)s: no point lies in the province.") % {"file": filename}]
        )
    note = _(
        "Imported from %(file)s (%(crs)s, %(n)s %(kind)s; weight outside the province: %(w)s)."
    )
    note %= {
        "file": filename,
        "crs": _("the raster's own") if is_geotiff(filename) else crs.upper(),
        "n": f"{lon.size:,}",
        "kind": kind,
        "w": f"{dropped:,.0f}",
    }
    return save_layer(columns, name or Path(filename).stem, DemandSource.IMPORTED, note, layer)


def save_layer(columns: dict[str, np.ndarray], name: str, source: str, note: str, layer=None):
    """Write the cells (adding centres and area types) and create their DemandLayer (or fill
    `layer`, which then becomes ready)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.db import transaction

    from fucai.planning.geometry import to_gcj02
    from fucai.planning.models import DemandLayer

    cells = columns["cell"]
    lon_wgs84, lat_wgs84 = cell_centres(cells)
    lon, lat = to_gcj02(lon_wgs84, lat_wgs84)
    table = pa.table(
        {
            "cell": pa.array(cells, pa.uint64()),
            "lon_wgs84": lon_wgs84,
            "lat_wgs84": lat_wgs84,
            "lon": lon,
            "lat": lat,
            "county": pa.array(columns["county"].astype(str)).dictionary_encode(),
            "city": pa.array(columns["city"].astype(str)).dictionary_encode(),
            "area_type": pa.array(area_types(columns["population"])).dictionary_encode(),
            "population": np.asarray(columns["population"], float),
        }
    )
    with transaction.atomic():
        layer = layer or DemandLayer(name=name[:80])
        layer.source, layer.resolution, layer.note = source, RESOLUTION, note
        layer.cell_count = table.num_rows
        layer.total_population = float(np.sum(columns["population"]))
        layer.status, layer.progress = LayerStatus.READY, 100
        layer.save()
        layer.file = f"planning/demand-{layer.pk}.parquet"
        layer.save(update_fields=["file"])
        layer.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = layer.path.with_suffix(".tmp")
        pq.write_table(table, temporary, compression="zstd")
        temporary.replace(layer.path)
    _read.cache_clear()
    return layer


def latest_layer():
    """The newest ready demand layer, or None."""
    from fucai.planning.models import DemandLayer

    ready = DemandLayer.objects.filter(status=LayerStatus.READY)
    return ready.order_by("-built_at", "-pk").first()


class NoDemandLayer(LookupError):
    """No demand layer has been built or imported yet."""


def load_demand(layer=None) -> DemandGrid:
    """The cells of `layer` (default: the newest one) as a DemandGrid; NoDemandLayer when there
    is none. Read once per file and process (the arrays are shared: do not modify them)."""
    layer = layer if layer is not None else latest_layer()
    if layer is None or not layer.file or not layer.path.is_file():
        raise NoDemandLayer(_("No demand layer yet: build one with fucai planning demand build."))
    return _read(str(layer.path), layer.path.stat().st_mtime_ns)


def _read_uncached(path: str, _mtime: int) -> DemandGrid:
    import pyarrow.parquet as pq

    from fucai.planning.geometry import to_metres

    table = pq.read_table(path)

    def column(name: str, dtype=None) -> np.ndarray:
        values = table.column(name).to_numpy()
        return values.astype(dtype) if dtype else values

    lon_wgs84, lat_wgs84 = column("lon_wgs84"), column("lat_wgs84")
    return DemandGrid(
        cell=column("cell"),
        lon=column("lon"),
        lat=column("lat"),
        lon_wgs84=lon_wgs84,
        lat_wgs84=lat_wgs84,
        xy=to_metres(lon_wgs84, lat_wgs84),
        population=column("population"),
        county=column("county", "<U6"),
        city=column("city", "<U6"),
        area_type=column("area_type", "<U5"),
    )


def _cached(function):
    import functools

    return functools.lru_cache(maxsize=2)(function)


_read = _cached(_read_uncached)
