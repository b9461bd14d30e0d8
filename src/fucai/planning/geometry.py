"""Planning geometry: positions in metres and who covers whom, without a distance matrix.

Everything fucai keeps is GCJ-02 (stations, leads, layers, boundaries); the H3 grid and any
imported population grid are WGS84, the earth's true positions. `to_wgs84` converts GCJ-02
arrays with coordTransform (the library the spacing check uses; its inverse is one step, good to
≈ 1 m); `to_gcj02` the other way, for showing cells on the GCJ-02 maps. `to_metres` projects
WGS84 onto a transverse Mercator centred on Jiangxi (central meridian 115.9°E, latitude of
origin 27.6°N; over the province's ±2.6° of longitude its scale error stays under 0.11 %, i.e. ≤
0.55 m on a 500 m radius), so that a radius is a plain Euclidean distance in a k-d tree (scipy's
cKDTree).

`cover_matrix` answers "which demand points does each site reach" as a sparse matrix, and
`covered_by` "is this demand point within its radius of any station": both query a k-d tree
once per distinct radius, so their cost grows with the pairs found, not with demand × sites."""

from __future__ import annotations

import functools

import numpy as np

CENTRAL_MERIDIAN = 115.9
LATITUDE_OF_ORIGIN = 27.6


@functools.cache
def _transformer():
    from pyproj import Transformer

    proj = (
        f"+proj=tmerc +lat_0={LATITUDE_OF_ORIGIN} +lon_0={CENTRAL_MERIDIAN} +k=1 "
        "+x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    )
    return Transformer.from_crs("EPSG:4326", proj, always_xy=True)


def to_metres(lon_wgs84, lat_wgs84) -> np.ndarray:
    """(n, 2) float64 metres on the planning projection of WGS84 longitudes and latitudes."""
    x, y = _transformer().transform(np.asarray(lon_wgs84, float), np.asarray(lat_wgs84, float))
    return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])


def to_wgs84(lon_gcj02, lat_gcj02) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitudes and latitudes of GCJ-02 ones (arrays of equal length)."""
    from coordTransform import gcj02_to_wgs84

    return _convert(gcj02_to_wgs84, lon_gcj02, lat_gcj02)


def to_gcj02(lon_wgs84, lat_wgs84) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 longitudes and latitudes of WGS84 ones (arrays of equal length)."""
    from coordTransform import wgs84_to_gcj02

    return _convert(wgs84_to_gcj02, lon_wgs84, lat_wgs84)


def _convert(function, lon, lat) -> tuple[np.ndarray, np.ndarray]:
    lon = np.asarray(lon, float).ravel()
    lat = np.asarray(lat, float).ravel()
    out = np.empty((lon.size, 2))
    for i, (a, b) in enumerate(zip(lon.tolist(), lat.tolist(), strict=True)):
        out[i] = function(a, b)
    return out[:, 0], out[:, 1]


def gcj02_metres(lon_gcj02, lat_gcj02) -> np.ndarray:
    """(n, 2) metres of GCJ-02 positions (converted to WGS84 first)."""
    return to_metres(*to_wgs84(lon_gcj02, lat_gcj02))


def cover_matrix(demand_xy: np.ndarray, demand_radius_m: np.ndarray, site_xy: np.ndarray):
    """Sparse (sites × demand) boolean CSR matrix: site j covers demand i when their distance is
    at most demand i's radius (the radius belongs to the demand: its area type)."""
    from scipy.sparse import csr_matrix
    from scipy.spatial import cKDTree

    demand_xy = np.asarray(demand_xy, float).reshape(-1, 2)
    site_xy = np.asarray(site_xy, float).reshape(-1, 2)
    radius = np.broadcast_to(np.asarray(demand_radius_m, float), (demand_xy.shape[0],))
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    if site_xy.shape[0] and demand_xy.shape[0]:
        sites = cKDTree(site_xy)
        for r in np.unique(radius):
            members = np.flatnonzero(radius == r)
            pairs = cKDTree(demand_xy[members]).sparse_distance_matrix(
                sites, float(r), output_type="ndarray"
            )
            rows.append(pairs["j"].astype(np.int64))
            cols.append(members[pairs["i"]])
    row = np.concatenate(rows) if rows else np.empty(0, np.int64)
    col = np.concatenate(cols) if cols else np.empty(0, np.int64)
    data = np.ones(row.size, dtype=bool)
    return csr_matrix((data, (row, col)), shape=(site_xy.shape[0], demand_xy.shape[0]))


def covered_by(
    demand_xy: np.ndarray, demand_radius_m: np.ndarray, station_xy: np.ndarray
) -> np.ndarray:
    """Boolean per demand point: some station lies within its radius."""
    from scipy.spatial import cKDTree

    demand_xy = np.asarray(demand_xy, float).reshape(-1, 2)
    station_xy = np.asarray(station_xy, float).reshape(-1, 2)
    radius = np.broadcast_to(np.asarray(demand_radius_m, float), (demand_xy.shape[0],))
    covered = np.zeros(demand_xy.shape[0], dtype=bool)
    if not station_xy.shape[0]:
        return covered
    tree = cKDTree(station_xy)
    for r in np.unique(radius):
        members = np.flatnonzero(radius == r)
        dist, _ = tree.query(demand_xy[members], k=1, distance_upper_bound=float(r) * (1 + 1e-12))
        covered[members] = dist <= r
    return covered
