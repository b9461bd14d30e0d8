"""Demand layers from the web: the provincial centre builds the census model or imports a CSV as
a background job (inline in the tests); a bad file leaves a failed layer naming row and column;
a city agency may not."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from fucai.planning.demand import latest_layer
from fucai.planning.models import DemandLayer

URL = "/planning/demand/"


def test_a_city_agency_may_not_manage_the_demand_layers(client, ganzhou_user):
    client.force_login(ganzhou_user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"action": "build"}).status_code == 403
    assert not DemandLayer.objects.exists()


def test_the_province_builds_the_census_model_in_the_background_job(client, province_admin):
    client.force_login(province_admin)
    from unittest import mock

    from fucai.planning import demand

    real = demand.build_census_cells
    with mock.patch.object(demand, "build_census_cells", lambda p, c: real(p, ["360500"])):
        assert client.post(URL, {"action": "build"}).status_code == 302
    layer = DemandLayer.objects.get()
    assert (layer.status, layer.progress, layer.cell_count) == ("ready", 100, 4797)
    assert round(layer.total_population) == 1_202_499 and latest_layer() == layer
    assert "4,797" in client.get(URL).content.decode()


def test_an_imported_csv_becomes_the_layer_in_use_and_a_bad_one_fails_naming_row_and_column(
    client, province_admin
):
    client.force_login(province_admin)
    good = SimpleUploadedFile("grid.csv", b"lon,lat,weight\n115.36,26.33,120\n")
    with override_settings(LANGUAGE_CODE="en"):
        client.post(URL, {"file": good, "crs": "wgs84"}, headers={"accept-language": "en"})
    layer = DemandLayer.objects.get()
    assert (layer.status, layer.cell_count, layer.total_population) == ("ready", 1, 120.0)
    bad = SimpleUploadedFile("bad.csv", b"lon,lat,weight\n115.36,x,120\n")
    client.cookies["django_language"] = "zh-hans"
    client.post(URL, {"file": bad, "crs": "wgs84"})
    failed = DemandLayer.objects.filter(status="failed").get()
    assert failed.error == "bad.csv 第 2 行 lat 列：'x' 不是有效的 lat。"
    assert latest_layer() == layer  # a failed layer is never used
    page = client.get(URL).content.decode()
    assert "bad.csv 第 2 行 lat 列" in page
    assert client.post(URL, {"crs": "wgs84"}).status_code == 400  # no file: the form's error


def test_an_uploaded_geotiff_becomes_the_layer_in_use(client, province_admin):
    from fucai.planning.tests.test_import import _geotiff

    client.force_login(province_admin)
    raster = _geotiff([[120, 0], [-9999, 30.5]], west=115.3595, north=26.3305, size=0.001)
    client.post(URL, {"file": SimpleUploadedFile("worldpop.tif", raster), "crs": "wgs84"})
    layer = DemandLayer.objects.get()
    assert (layer.status, layer.total_population) == ("ready", 150.5)
    assert latest_layer() == layer and "个像元" in layer.note
