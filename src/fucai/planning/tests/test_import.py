"""An imported population grid: points summed into cells with their county and city; errors
that name the file, the row and the column, in the user's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from fucai.planning.demand import DemandImportError, import_demand_csv, load_demand
from fucai.planning.geometry import to_gcj02

# 兴国县's seat (WGS84, ≈ 115.36, 26.33), a point 1.5 km east of it, and one in Beijing
POINTS = "lon,lat,weight\n115.3600,26.3300,120\n115.3750,26.3300,30.5\n116.40,39.90,999\n"


@pytest.mark.django_db
def test_imported_points_are_summed_into_cells_of_their_county_and_city_outside_dropped():
    with translation.override("en"):
        layer = import_demand_csv(POINTS.encode(), "xingguo.csv")
    assert (layer.source, layer.cell_count, layer.total_population) == ("imported", 2, 150.5)
    assert "weight outside the province: 999" in layer.note
    grid = load_demand(layer)
    assert set(grid.county) == {"360732"} and set(grid.city) == {"360700"}
    assert sorted(grid.population) == [30.5, 120.0]
    assert list(grid.area_type) == ["rural", "rural"]


@pytest.mark.django_db
def test_gcj02_points_are_converted_to_wgs84_before_they_are_put_into_cells():
    lon, lat = to_gcj02([115.36], [26.33])
    text = f"lon,lat,weight\n{lon[0]:.6f},{lat[0]:.6f},5000\n"
    grid = load_demand(import_demand_csv(text.encode(), "gcj.csv", crs="gcj02"))
    wgs = load_demand(import_demand_csv(b"lon,lat,weight\n115.36,26.33,5000\n", "wgs.csv"))
    assert list(grid.cell) == list(wgs.cell) and list(grid.area_type) == ["urban"]


def test_a_bad_value_names_the_file_row_and_column_in_english_and_in_chinese():
    data = b"lon,lat,weight\n115.36,26.33,12\n115.37,26.33,abc\n115.38,,3\n"
    with translation.override("en"), pytest.raises(DemandImportError) as caught:
        import_demand_csv(data, "points.csv")
    assert caught.value.problems == [
        "points.csv, row 3, column weight: 'abc' is not a valid weight.",
        "points.csv, row 4, column lat: '' is not a valid lat.",
    ]
    with translation.override("zh-hans"), pytest.raises(DemandImportError) as caught:
        import_demand_csv(data, "points.csv")
    assert caught.value.problems[0] == "points.csv 第 3 行 weight 列：'abc' 不是有效的 weight。"


def test_a_missing_column_or_a_negative_weight_is_refused():
    with translation.override("en"), pytest.raises(DemandImportError) as caught:
        import_demand_csv(b"lon,weight\n115.36,3\n", "nolat.csv")
    assert caught.value.problems == [
        "nolat.csv, row 1: missing column(s) lat (need lon, lat, weight)."
    ]
    with translation.override("en"), pytest.raises(DemandImportError, match="row 2, column weight"):
        import_demand_csv(b"lon,lat,weight\n115.36,26.33,-1\n", "negative.csv")
