"""Jiangxi's divisions as the migration loads them from geo/data (fucai.geo.loader)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from fucai.geo.loader import load_divisions, read_division_rows
from fucai.geo.models import Division

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_112_divisions_of_jiangxi():
    assert Division.objects.count() == 112
    assert Division.objects.filter(level="province").get().code == "360000"
    assert Division.objects.cities().count() == 11
    assert Division.objects.counties().count() == 100


def test_xingguo_county_has_its_adcode_parent_census_population_and_seat():
    xingguo = Division.objects.get(code="360732")
    assert (xingguo.name, xingguo.level, xingguo.parent.code) == ("兴国县", "county", "360700")
    assert xingguo.population == 715_149
    assert (xingguo.lon, xingguo.lat) == (Decimal("115.439495"), Decimal("26.419303"))
    assert (xingguo.seat_lon, xingguo.seat_lat) == (Decimal("115.351896"), Decimal("26.330489"))
    assert xingguo.lottery_code == ""  # only cities carry the lottery's city number


def test_each_city_has_its_counties_and_the_lottery_number_of_its_station_codes():
    ganzhou = Division.objects.get(code="360700")
    assert (ganzhou.name, ganzhou.parent.code, ganzhou.lottery_code) == ("赣州市", "360000", "11")
    assert ganzhou.children.count() == 18
    assert Division.objects.get(code="360400").children.count() == 13  # 九江市
    assert Division.objects.get(code="360732").station_code_prefix == "3611"
    assert Division.objects.get(code="360483").station_code_prefix == "3604"  # 庐山市, 九江
    assert Division.objects.get(code="360000").station_code_prefix == ""


def test_the_census_figures_add_up_from_counties_to_cities_to_the_province():
    assert Division.objects.get(code="360000").population == 45_188_635
    assert Division.objects.cities().aggregate(total=Sum("population"))["total"] == 45_188_635
    assert Division.objects.get(code="360700").population == 8_970_014
    for city in Division.objects.cities():
        assert city.children.aggregate(total=Sum("population"))["total"] == city.population


def test_reloading_is_idempotent_and_puts_edited_figures_back():
    Division.objects.filter(code="360732").update(population=1, name="改名县")
    assert load_divisions(Division) == 112 == len(read_division_rows())
    assert Division.objects.count() == 112
    xingguo = Division.objects.get(code="360732")
    assert (xingguo.name, xingguo.population) == ("兴国县", 715_149)
