"""The planning geometry: metres that agree with geodesics, and coverage that agrees with a
brute-force distance check."""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from fucai.planning.geometry import (
    cover_matrix,
    covered_by,
    gcj02_metres,
    to_gcj02,
    to_metres,
    to_wgs84,
)


def test_projected_distances_agree_with_geodesics_across_jiangxi_to_a_tenth_of_a_percent():
    geod = Geod(ellps="WGS84")
    # 婺源 (far north-east), 寻乌 (far south), 修水 (west): the province's corners
    for lon, lat in [(117.86, 29.25), (115.65, 24.95), (114.55, 29.03), (115.9, 27.6)]:
        lon2, lat2, _ = geod.fwd(lon, lat, 60.0, 500.0)
        xy = to_metres([lon, lon2], [lat, lat2])
        assert abs(np.hypot(*(xy[1] - xy[0])) - 500.0) < 0.55


def test_gcj02_round_trips_within_two_metres_and_moves_points_by_the_known_offset():
    # coordTransform's GCJ-02 → WGS84 is a one-step inverse (≈ 1 m)
    lon, lat = np.array([115.892151, 114.93]), np.array([28.676493, 25.83])
    wlon, wlat = to_wgs84(lon, lat)
    glon, glat = to_gcj02(wlon, wlat)
    back = to_metres(glon, glat) - to_metres(lon, lat)
    assert np.all(np.hypot(back[:, 0], back[:, 1]) < 2.0)
    shift = gcj02_metres(lon, lat) - to_metres(lon, lat)
    offset = np.hypot(shift[:, 0], shift[:, 1])
    assert np.all((offset > 100) & (offset < 1000))


def test_cover_matrix_equals_the_brute_force_distance_check_with_a_radius_per_demand_point():
    rng = np.random.default_rng(7)
    demand = rng.uniform(0, 5000, (300, 2))
    radius = rng.choice([500.0, 1000.0, 2000.0], 300)
    sites = rng.uniform(0, 5000, (40, 2))
    dist = np.hypot(*(sites[:, None, :] - demand[None, :, :]).transpose(2, 0, 1))
    expected = dist <= radius[None, :]
    assert (cover_matrix(demand, radius, sites).toarray() == expected).all()
    assert (covered_by(demand, radius, sites) == expected.any(axis=0)).all()


def test_coverage_of_nothing_is_empty():
    assert cover_matrix(np.empty((0, 2)), 500.0, np.ones((3, 2))).shape == (3, 0)
    assert not covered_by(np.ones((4, 2)), 500.0, np.empty((0, 2))).any()
