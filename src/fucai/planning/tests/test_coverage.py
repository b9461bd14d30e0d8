"""Coverage as of a day: a hand-made case whose answer is known, the network as it stood then,
and the blank areas of the user's own cities only (page, chart data, API, exports)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import numpy as np
import pytest
from h3.api import basic_int as h3

from fucai.conftest import make_station
from fucai.planning.coverage import blank_areas
from fucai.planning.demand import locate_cells, save_layer
from fucai.planning.geometry import to_gcj02, to_metres, to_wgs84

XINGGUO = "360732"  # 兴国县, 赣州
XUNYANG = "360403"  # 浔阳区, 九江


def _layer(cells: list[int], population: list[float]):
    cells_array = np.array(cells, dtype=np.uint64)
    county, city = locate_cells(cells_array)
    columns = {"cell": cells_array, "population": np.array(population), "county": county}
    return save_layer({**columns, "city": city}, "test", "imported", "")


def _seat_cell(county_code: str) -> int:
    from fucai.geo.models import Division

    county = Division.objects.get(code=county_code)
    lon, lat = to_wgs84([float(county.seat_lon)], [float(county.seat_lat)])
    return h3.latlng_to_cell(lat[0], lon[0], 8)


def _station_at_cell(code: str, cell: int, opened=dt.date(2022, 5, 1)):
    lat, lon = h3.cell_to_latlng(cell)
    glon, glat = to_gcj02([lon], [lat])
    county = {"3611": XINGGUO, "3604": XUNYANG}[code[:4]]
    station = make_station(code, county, opened=opened)
    station.lon, station.lat = Decimal(f"{glon[0]:.6f}"), Decimal(f"{glat[0]:.6f}")
    station.save(update_fields=["lon", "lat"])
    return station


@pytest.fixture
def hand_made(db):
    """A station on the centre of 兴国县's seat cell A; around it an urban cell B and a town
    cell C one ring out (≈ 0.8 km), a rural cell D two rings out (≈ 1.5 km), a rural cell E
    three rings out (≈ 2.7 km)."""
    a = _seat_cell(XINGGUO)
    b, c = sorted(h3.grid_ring(a, 1))[:2]
    d = sorted(h3.grid_ring(a, 2))[0]
    e = sorted(h3.grid_ring(a, 3))[0]
    # populations that make A and B urban (≥ 1,106), C town, D and E rural (< 221)
    layer = _layer([a, b, c, d, e], [5000.0, 3000.0, 600.0, 100.0, 80.0])
    _station_at_cell("36110901", a)
    return {"cells": [a, b, c, d, e], "layer": layer}


def test_the_hand_made_case_covers_exactly_the_cells_within_their_area_types_radius(hand_made):
    centres = np.array([h3.cell_to_latlng(x) for x in hand_made["cells"]])
    xy = to_metres(centres[:, 1], centres[:, 0])
    distance = np.hypot(*(xy - xy[0]).T)
    assert distance[0] < 1 and 700 < distance[1] < 1000 and 700 < distance[2] < 1000
    assert 1300 < distance[3] < 1700 and 2100 < distance[4] < 2800
    result = blank_areas(dt.date(2023, 9, 3))
    assert list(result.grid.area_type) == ["urban", "urban", "town", "rural", "rural"]
    # A (0 m ≤ 500), C (0.8 km ≤ 1 km), D (1.5 km ≤ 2 km) covered; B (0.8 km > 500 m), E (2.7 km)
    assert list(result.covered) == [True, False, True, True, False]
    assert (result.population, result.uncovered) == (8780.0, 3080.0)
    (xingguo,) = result.counties
    assert (xingguo.name, xingguo.city_name, xingguo.uncovered_cells) == ("兴国县", "赣州市", 2)
    assert xingguo.to_dict()["covered_pct"] == 64.9


def test_a_station_opened_later_does_not_cover_the_days_before(hand_made):
    before = blank_areas(dt.date(2022, 4, 30))
    assert (before.stations, before.uncovered) == (0, 8780.0)
    on_the_day = blank_areas(dt.date(2022, 5, 1))
    assert (on_the_day.stations, on_the_day.uncovered) == (1, 3080.0)


# -- scope: 赣州's user never sees 九江's blank areas ---------------------------------------------
def _ring_cell_in(cell: int, county: str) -> int:
    """A cell five rings (≈ 4 km) from `cell` inside the same county."""
    ring = np.array(sorted(h3.grid_ring(cell, 5)), dtype=np.uint64)
    return int(ring[locate_cells(ring)[0] == county][0])


@pytest.fixture
def two_cities(db):
    """Seat cells of 兴国县 (5,000 people) and 浔阳区 (7,000), one uncovered ring cell each."""
    gz, jj = _seat_cell(XINGGUO), _seat_cell(XUNYANG)
    gz_far, jj_far = _ring_cell_in(gz, XINGGUO), _ring_cell_in(jj, XUNYANG)
    _layer([gz, gz_far, jj, jj_far], [5000.0, 400.0, 7000.0, 700.0])
    _station_at_cell("36110901", gz)
    _station_at_cell("36040901", jj)


QUERY = {"as_of": "2023-09-03"}


def test_the_province_sees_both_cities_blank_areas(client, province_admin, two_cities):
    client.force_login(province_admin)
    page = client.get("/planning/blank-areas/", QUERY).content.decode()
    assert "兴国县" in page and "浔阳区" in page
    data = client.get("/planning/blank-areas/data/", QUERY).json()
    assert [c["name"] for c in data["counties"]] == ["浔阳区", "兴国县"]
    assert (data["population"], data["uncovered"]) == (13100, 1100)


@pytest.mark.parametrize(
    "url",
    [
        "/planning/blank-areas/",
        "/planning/blank-areas/data/",
        "/api/planning/blank-areas",
        "/api/planning/blank-areas/cells",
    ],
)
def test_ganzhous_user_asking_for_jiujiang_gets_the_404_of_a_city_that_does_not_exist(
    client, ganzhou_user, two_cities, url
):
    client.force_login(ganzhou_user)
    for extra in ({}, {"format": "xlsx"}, {"format": "geojson"}):
        assert client.get(url, {**QUERY, "city": "360400", **extra}).status_code == 404
        assert client.get(url, {**QUERY, "city": "369999", **extra}).status_code == 404


def test_ganzhous_user_sees_only_ganzhou_in_page_chart_data_api_and_exports(
    client, ganzhou_user, two_cities
):
    client.force_login(ganzhou_user)
    page = client.get("/planning/blank-areas/", QUERY).content.decode()
    assert "兴国县" in page and "浔阳区" not in page and "九江" not in page
    data = client.get("/planning/blank-areas/data/", QUERY).json()
    assert [c["name"] for c in data["counties"]] == ["兴国县"]
    assert (data["population"], data["uncovered"]) == (5400, 400)
    assert [s[2] for s in data["stations_shown"]] == ["36110901"]
    assert len(data["uncovered_points"]["points"]) == 1
    api = client.get("/api/planning/blank-areas", QUERY).json()
    assert [c["code"] for c in api["counties"]] == [XINGGUO] and api["uncovered"] == 400
    assert [(p["county"], p["population"]) for p in api["patches"]] == [(XINGGUO, 400)]
    geojson = client.get("/planning/blank-areas/", {**QUERY, "format": "geojson"}).json()
    assert {f["properties"]["county"] for f in geojson["features"]} == {XINGGUO}
    assert geojson["features"][0]["properties"]["population"] == 400.0
    from openpyxl import load_workbook

    xlsx = client.get("/planning/blank-areas/", {**QUERY, "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(xlsx.content))
    rows = [list(r) for ws in workbook for r in ws.values]
    text = json.dumps(rows, default=str, ensure_ascii=False)
    assert "兴国县" in text and "浔阳区" not in text and "九江" not in text
    patches = list(workbook["空白片区"].values)
    assert patches[1][:4] == (1, "赣州市", "兴国县", 400)


def test_the_command_gives_the_blank_areas_of_a_city_as_json(two_cities, capsys):
    from django.core.management import call_command

    args = ["blank-areas", "--city", "赣州", "--as-of", "2023-09-03", "--format", "json"]
    call_command("planning", *args)
    data = json.loads(capsys.readouterr().out)
    assert data["counties"][0]["name"] == "兴国县" and data["uncovered"] == 400
    assert data["counties"][0]["covered_pct"] == 92.6


def test_a_market_manager_is_told_only_of_the_open_stations_they_see(
    client, market_manager_user, two_cities
):
    # the manager sees one station (36110214, from the network fixture); 36110901 covers too
    client.force_login(market_manager_user)
    data = client.get("/planning/blank-areas/data/", QUERY).json()
    assert data["stations"] == 1 and [s[2] for s in data["stations_shown"]] == ["36110214"]
    assert data["uncovered"] == 400  # coverage counts every open station


# -- blank patches: neighbouring uncovered cells of town or urban density ----------------------
def test_blank_patches_join_neighbouring_town_and_urban_cells_and_leave_rural_ones_out(db):
    seat = _seat_cell(XINGGUO)
    x = _ring_cell_in(seat, XINGGUO)  # ≈ 4 km from the seat: no station covers it
    y, z = [c for c in sorted(h3.grid_ring(x, 1)) if h3.grid_distance(seat, c) > 3][:2]
    rural = next(c for c in sorted(h3.grid_ring(x, 2)) if h3.grid_distance(seat, c) > 4)
    lone = sorted(h3.grid_ring(seat, 8))[0]  # far from the others: a patch of its own
    cells = [seat, x, y, z, rural, lone]
    _layer(cells, [5000.0, 3000.0, 2000.0, 600.0, 50.0, 700.0])
    _station_at_cell("36110901", seat)
    result = blank_areas(dt.date(2023, 9, 3))
    patches = [p.to_dict() for p in result.patches]
    assert [(p["rank"], p["cells"], p["population"]) for p in patches] == [
        (1, 3, 5600),  # x, y and z: neighbours; the rural cell next to them is not part of it
        (2, 1, 700),
    ]
    assert patches[0]["county_name"] == "兴国县" and patches[0]["city_name"] == "赣州市"
    assert patches[0]["area_km2"] == round(3 * h3.average_hexagon_area(8, unit="km^2"), 1)
    assert result.to_dict()["patches"] == patches
