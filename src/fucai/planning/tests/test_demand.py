"""The demand layer: the census model's county sums and area types, the radii, the cells file."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import override_settings

from fucai.planning.demand import (
    NoDemandLayer,
    area_types,
    build_census_cells,
    build_census_layer,
    load_demand,
    radius_m,
)

XINYU = "360500"  # 渝水区 927,950 and 分宜县 274,549 people in 2020


@pytest.fixture(scope="module")
def xinyu_cells(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return build_census_cells(cities=[XINYU])


def test_each_county_of_xinyu_adds_up_to_its_2020_census_population(xinyu_cells):
    county, population = xinyu_cells["county"], xinyu_cells["population"]
    assert (county == "360502").sum() == 2723 and (county == "360521").sum() == 2074
    assert population[county == "360502"].sum() == pytest.approx(927_950, abs=1e-6)
    assert population[county == "360521"].sum() == pytest.approx(274_549, abs=1e-6)
    assert np.unique(xinyu_cells["cell"]).size == county.size  # no cell in two counties


def test_the_census_model_makes_the_seat_urban_a_town_ring_around_it_and_the_rest_rural(
    xinyu_cells,
):
    yushui = xinyu_cells["county"] == "360502"
    types = area_types(xinyu_cells["population"][yushui])
    assert [(types == t).sum() for t in ("urban", "town", "rural")] == [118, 231, 2374]
    # the densest cell (20,374 people) is urban; the emptiest (135 people) rural
    population = xinyu_cells["population"][yushui]
    assert round(population.max()) == 20374 and types[population.argmax()] == "urban"
    assert round(population.min()) == 135 and types[population.argmin()] == "rural"


def test_area_types_follow_the_density_thresholds_of_1500_and_300_people_per_km2():
    # a resolution-8 cell is 0.737 km² on average: 1,106 people make 1,500 per km²
    assert list(area_types(np.array([2000.0, 1106.0, 1000.0, 250.0, 100.0]))) == [
        "urban",
        "urban",
        "town",
        "town",
        "rural",
    ]


def test_the_covering_radius_is_500_m_urban_1_km_town_2_km_rural_unless_set():
    assert list(radius_m(["urban", "town", "rural"])) == [500.0, 1000.0, 2000.0]
    with override_settings(PLANNING_RADIUS_URBAN_M=300, PLANNING_RADIUS_RURAL_M=3000):
        assert list(radius_m(np.array(["rural", "urban", "town"]))) == [3000.0, 300.0, 1000.0]


@pytest.mark.django_db
def test_without_a_layer_loading_the_demand_says_how_to_build_one():
    with pytest.raises(NoDemandLayer, match="fucai planning demand build"):
        load_demand()


@pytest.mark.django_db
def test_a_built_layer_reads_back_with_its_county_city_gcj02_centres_and_metres():
    layer = build_census_layer(cities=[XINYU])
    assert (layer.cell_count, round(layer.total_population)) == (4797, 1_202_499)
    assert layer.path.is_file() and layer.resolution == 8
    grid = load_demand()
    assert len(grid) == 4797 and set(grid.city) == {XINYU}
    assert set(grid.county) == {"360502", "360521"}
    assert grid.population.sum() == pytest.approx(1_202_499, abs=1e-6)
    assert grid.xy.shape == (4797, 2) and grid.cell.dtype == np.uint64
    # GCJ-02 is WGS84 shifted by a few hundred metres in Jiangxi
    shift = np.hypot(grid.lon - grid.lon_wgs84, grid.lat - grid.lat_wgs84)
    assert 0.002 < shift.mean() < 0.008
    assert grid.cell_ids[0].startswith("88") and len(grid.cell_ids[0]) == 15
    fenyi = grid.subset(grid.county == "360521")
    assert len(fenyi) == 2074
