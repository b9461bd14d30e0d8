"""Loads Jiangxi's divisions and boundaries from the package data (see data/SOURCES.md)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DIVISIONS_CSV = DATA_DIR / "jiangxi_divisions.csv"
LOTTERY_CODES_CSV = DATA_DIR / "lottery_city_codes.csv"
BOUNDARY_FILES = {
    "city": DATA_DIR / "jiangxi_cities.geojson",
    "county": DATA_DIR / "jiangxi_counties.geojson",
}


def read_division_rows() -> list[dict]:
    with DIVISIONS_CSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_lottery_codes() -> dict[str, str]:
    """adcode -> the lottery centre's 2-digit city number used in station codes."""
    with LOTTERY_CODES_CSV.open(encoding="utf-8") as fh:
        return {row["adcode"]: row["lottery_code"] for row in csv.DictReader(fh)}


def load_divisions(division_model) -> int:
    """Create or update every division, parents first (province, then cities, then counties)."""
    by_code: dict[str, object] = {}
    lottery_codes = read_lottery_codes()
    rows = sorted(
        read_division_rows(), key=lambda r: ["province", "prefecture", "county"].index(r["level"])
    )
    for row in rows:
        obj, _ = division_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent": by_code.get(row["parent_code"]),
                "lon": Decimal(row["lon"]),
                "lat": Decimal(row["lat"]),
                "seat_lon": Decimal(row["seat_lon"]),
                "seat_lat": Decimal(row["seat_lat"]),
                "population": int(row["population"]),
                "lottery_code": lottery_codes.get(row["code"], ""),
            },
        )
        by_code[row["code"]] = obj
    return len(rows)


@cache
def boundaries(level: str) -> dict:
    """The GeoJSON FeatureCollection for `city` or `county` boundaries (GCJ-02)."""
    return json.loads(BOUNDARY_FILES[level].read_text(encoding="utf-8"))


@cache
def boundary_shapes(level: str) -> dict:
    """adcode -> shapely geometry, for point-in-polygon checks."""
    from shapely.geometry import shape

    return {
        str(f["properties"]["adcode"]): shape(f["geometry"]) for f in boundaries(level)["features"]
    }
