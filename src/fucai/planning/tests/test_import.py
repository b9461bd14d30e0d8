"""An imported population grid: points summed into cells with their county and city; errors
that name the file, the row and the column, in the user's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from fucai.planning.demand import DemandImportError, import_demand_file, load_demand
from fucai.planning.geometry import to_gcj02

# 兴国县's seat (WGS84, ≈ 115.36, 26.33), a point 1.5 km east of it, and one in Beijing
POINTS = "lon,lat,weight\n115.3600,26.3300,120\n115.3750,26.3300,30.5\n116.40,39.90,999\n"


@pytest.mark.django_db
def test_imported_points_are_summed_into_cells_of_their_county_and_city_outside_dropped():
    with translation.override("en"):
        layer = import_demand_file(POINTS.encode(), "xingguo.csv")
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
    grid = load_demand(import_demand_file(text.encode(), "gcj.csv", crs="gcj02"))
    wgs = load_demand(import_demand_file(b"lon,lat,weight\n115.36,26.33,5000\n", "wgs.csv"))
    assert list(grid.cell) == list(wgs.cell) and list(grid.area_type) == ["urban"]


def test_a_bad_value_names_the_file_row_and_column_in_english_and_in_chinese():
    data = b"lon,lat,weight\n115.36,26.33,12\n115.37,26.33,abc\n115.38,,3\n"
    with translation.override("en"), pytest.raises(DemandImportError) as caught:
        import_demand_file(data, "points.csv")
    assert caught.value.problems == [
        "points.csv, row 3, column weight: 'abc' is not a valid weight.",
        "points.csv, row 4, column lat: '' is not a valid lat.",
    ]
    with translation.override("zh-hans"), pytest.raises(DemandImportError) as caught:
        import_demand_file(data, "points.csv")
    assert caught.value.problems[0] == "points.csv 第 3 行 weight 列：'abc' 不是有效的 weight。"


def test_a_missing_column_or_a_negative_weight_is_refused():
    with translation.override("en"), pytest.raises(DemandImportError) as caught:
        import_demand_file(b"lon,weight\n115.36,3\n", "nolat.csv")
    assert caught.value.problems == [
        "nolat.csv, row 1: missing column(s) lat (need lon, lat, weight)."
    ]
    with translation.override("en"), pytest.raises(DemandImportError, match="row 2, column weight"):
        import_demand_file(b"lon,lat,weight\n115.36,26.33,-1\n", "negative.csv")


# -- GeoTIFF population rasters (rasterio) ----------------------------------------------------
def _geotiff(values, west: float, north: float, size: float, crs="EPSG:4326", nodata=-9999.0):
    """A one-band float32 GeoTIFF of `values` (rows from the north), pixels `size` wide."""
    import numpy as np
    from rasterio.io import MemoryFile
    from rasterio.transform import from_origin

    array = np.array(values, dtype="float32")
    profile = {
        "driver": "GTiff",
        "height": array.shape[0],
        "width": array.shape[1],
        "count": 1,
        "dtype": "float32",
        "crs": crs,
        "transform": from_origin(west, north, size, size),
        "nodata": nodata,
    }
    with MemoryFile() as memory:
        with memory.open(**profile) as raster:
            raster.write(array, 1)
        return memory.read()


@pytest.mark.django_db
def test_a_geotiff_s_pixels_are_summed_into_cells_at_their_centres_nodata_skipped():
    # 兴国县's seat: two pixels of people, one empty, one nodata (≈ 100 m pixels)
    data = _geotiff([[120, 0], [-9999, 30.5]], west=115.3595, north=26.3305, size=0.001)
    with translation.override("en"):
        layer = import_demand_file(data, "worldpop.tif")
    assert (layer.source, layer.total_population) == ("imported", 150.5)
    assert "2 raster pixels" in layer.note
    grid = load_demand(layer)
    assert set(grid.county) == {"360732"} and sorted(grid.population) in ([150.5], [30.5, 120.0])
    points = "lon,lat,weight\n115.36,26.33,120\n115.361,26.328,30.5\n"
    same = load_demand(import_demand_file(points.encode(), "same.csv"))
    assert sorted(grid.cell) == sorted(same.cell)


@pytest.mark.django_db
def test_a_geotiff_in_web_mercator_is_reprojected_before_it_is_put_into_cells():
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(115.36, 26.33)
    data = _geotiff([[5000]], west=x - 50, north=y + 50, size=100, crs="EPSG:3857")
    grid = load_demand(import_demand_file(data, "mercator.tiff"))
    wgs = load_demand(import_demand_file(b"lon,lat,weight\n115.36,26.33,5000\n", "wgs.csv"))
    assert list(grid.cell) == list(wgs.cell) and list(grid.population) == [5000.0]


def test_a_bad_pixel_or_a_file_that_is_not_a_geotiff_is_refused_naming_it():
    data = _geotiff([[1, -3]], west=115.36, north=26.33, size=0.001)
    with translation.override("en"), pytest.raises(DemandImportError) as caught:
        import_demand_file(data, "bad.tif")
    assert caught.value.problems == ["bad.tif, pixel row 1, column 2: -3.0 is not a population."]
    with translation.override("zh-hans"), pytest.raises(DemandImportError) as caught:
        import_demand_file(b"not a raster", "broken.tif")
    assert caught.value.problems[0].startswith("broken.tif")
    assert "GeoTIFF" in caught.value.problems[0]


@pytest.mark.django_db
def test_the_command_line_imports_a_geotiff(tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "pop.tif"
    path.write_bytes(_geotiff([[42]], west=115.3595, north=26.3305, size=0.001))
    out = io.StringIO()
    call_command("planning", "demand", "import", str(path), stdout=out)
    assert "pop" in out.getvalue()
    from fucai.planning.models import DemandLayer

    assert DemandLayer.objects.get(name="pop").total_population == 42
