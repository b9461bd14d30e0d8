"""Siting from fucai's data: the demand layer, the stations open on the day and the spacing
rules make the problem; the answer is the brute-force optimum, keeps every rule, and a scenario
run from the web shows it, exports it, turns a site into a lead and is seen only in its city."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal

import numpy as np
import pytest
from h3.api import basic_int as h3

from fucai.conftest import make_station
from fucai.planning.demand import locate_cells, save_layer
from fucai.planning.geometry import gcj02_metres, to_gcj02, to_wgs84
from fucai.planning.siting_build import SitingRequest, run_siting

XINGGUO = "360732"  # 兴国县, 赣州
GANZHOU = "360700"
DAY = dt.date(2023, 9, 3)


def _seat_cell(county_code: str) -> int:
    from fucai.geo.models import Division

    county = Division.objects.get(code=county_code)
    lon, lat = to_wgs84([float(county.seat_lon)], [float(county.seat_lat)])
    return h3.latlng_to_cell(lat[0], lon[0], 8)


def _gcj02(cell: int) -> tuple[Decimal, Decimal]:
    lat, lon = h3.cell_to_latlng(cell)
    glon, glat = to_gcj02([lon], [lat])
    return Decimal(f"{glon[0]:.6f}"), Decimal(f"{glat[0]:.6f}")


def _station_at(code: str, cell: int, operation: str = "dedicated", opened=dt.date(2022, 5, 1)):
    station = make_station(code, XINGGUO, opened=opened, operation=operation)
    station.lon, station.lat = _gcj02(cell)
    station.save(update_fields=["lon", "lat"])
    return station


@pytest.fixture
def disc(db):
    """兴国县's seat cell and the two rings around it (19 cells), all urban (500 m: a site
    covers its own cell only), with distinct populations; a 专营 station on the seat cell."""
    seat = _seat_cell(XINGGUO)
    cells = [seat, *sorted(h3.grid_ring(seat, 1)), *sorted(h3.grid_ring(seat, 2))]
    population = [9000.0 - 300.0 * i for i in range(len(cells))]
    array = np.array(cells, dtype=np.uint64)
    county, city = locate_cells(array)
    layer = save_layer(
        {"cell": array, "population": np.array(population), "county": county, "city": city},
        "test",
        "imported",
        "",
    )
    _station_at("36110901", seat)
    return {"cells": cells, "population": population, "layer": layer}


def _rule(name: str, min_m: int, target: str = "stations", **extra):
    from fucai.network.models import SpacingRule

    return SpacingRule.objects.create(
        name=name, applies_to="dedicated", target=target, min_m=min_m, **extra
    )


def _best_by_brute_force(weights, cover_sets, p, forbidden_pairs=()):
    best = 0.0
    for combo in itertools.combinations(range(len(cover_sets)), p):
        if any(a in combo and b in combo for a, b in forbidden_pairs):
            continue
        covered = set().union(*(cover_sets[j] for j in combo))
        best = max(best, sum(weights[i] for i in covered))
    return best


def test_three_new_sites_take_the_three_most_populous_uncovered_cells(disc):
    answer = run_siting(SitingRequest(new=3, as_of=DAY, cities=[GANZHOU]))
    chosen = [h3.str_to_int(s["cell"]) for s in answer["sites"]]
    assert chosen == disc["cells"][1:4]  # the seat is covered; then population order
    assert [s["new_population"] for s in answer["sites"]] == [8700, 8400, 8100]
    assert answer["covered_before"] == 9000
    assert answer["covered_after"] == 9000 + 8700 + 8400 + 8100
    assert answer["status"] == "Optimal" and answer["gap_pct"] <= 0.1
    assert {s["county_name"] for s in answer["sites"]} == {"兴国县"}


def test_a_wider_rural_radius_makes_the_answer_the_brute_force_optimum(disc, settings):
    from fucai.planning.demand import load_demand, radius_m
    from fucai.planning.geometry import cover_matrix, covered_by

    radii = {"urban": 1000, "town": 1000, "rural": 1000}  # ≈ one ring: overlapping sets
    answer = run_siting(SitingRequest(new=3, as_of=DAY, cities=[GANZHOU], radii=radii))
    grid = load_demand()
    radius = np.full(len(grid), 1000.0)
    from fucai.network.models import Station

    seat = Station.objects.get(code="36110901")
    station = gcj02_metres([float(seat.lon)], [float(seat.lat)])
    covered = covered_by(grid.xy, radius, station)
    cover = cover_matrix(grid.xy, radius, grid.xy).tolil()
    sets = [set(row) - set(np.flatnonzero(covered)) for row in cover.rows]
    weights = dict(enumerate(grid.population.tolist()))
    assert radius_m(grid.area_type).max() == 500  # the settings were not changed by the request
    best = _best_by_brute_force(weights, sets, 3)
    assert answer["covered_after"] - answer["covered_before"] == round(best)


def test_no_site_breaks_a_spacing_rule_against_a_station_a_layer_or_another_new_site(disc):
    from fucai.network.models import LayerPoint, PointLayer
    from fucai.network.spacing import check_site, distance_m

    schools = PointLayer.objects.create(name="学校（测试）")
    lon, lat = _gcj02(disc["cells"][1])  # a school on the most populous uncovered cell
    LayerPoint.objects.create(layer=schools, name="一中", lon=lon, lat=lat)
    _rule("专营站间距", 200, target_operation="dedicated")
    _rule("专营站距学校", 200, target="layer", layer=schools)
    _rule("新站间距", 1000, target_operation="")  # new sites ≥ 1 km apart: not neighbours
    answer = run_siting(SitingRequest(new=4, as_of=DAY, cities=[GANZHOU]))
    chosen = [h3.str_to_int(s["cell"]) for s in answer["sites"]]
    assert disc["cells"][1] not in chosen
    assert len(chosen) == 4
    for site in answer["sites"]:
        assert check_site(site["lon"], site["lat"], "dedicated") == []
    for a, b in itertools.combinations(answer["sites"], 2):
        assert distance_m(a["lon"], a["lat"], b["lon"], b["lat"]) >= 1000
    assert {r["rule"] for r in answer["rules"]} == {"专营站间距", "专营站距学校", "新站间距"}


def test_a_rule_set_aside_by_name_lets_the_plan_use_the_site_it_kept_free(disc):
    from fucai.network.models import LayerPoint, PointLayer

    schools = PointLayer.objects.create(name="学校（测试）")
    lon, lat = _gcj02(disc["cells"][1])
    LayerPoint.objects.create(layer=schools, name="一中", lon=lon, lat=lat)
    _rule("专营站距学校", 200, target="layer", layer=schools)
    kept = run_siting(SitingRequest(new=1, as_of=DAY, cities=[GANZHOU]))
    aside = run_siting(
        SitingRequest(new=1, as_of=DAY, cities=[GANZHOU], ignored_rules=["专营站距学校"])
    )
    assert kept["sites"][0]["cell"] == h3.int_to_str(disc["cells"][2])
    assert aside["sites"][0]["cell"] == h3.int_to_str(disc["cells"][1])
    assert [r["rule"] for r in kept["rules"]] == ["专营站距学校"] and aside["rules"] == []


def test_a_county_quota_and_an_excluded_county_are_kept(disc):
    capped = run_siting(SitingRequest(new=5, as_of=DAY, cities=[GANZHOU], quotas={XINGGUO: 2}))
    assert len(capped["sites"]) == 2
    excluded = run_siting(
        SitingRequest(new=5, as_of=DAY, cities=[GANZHOU], excluded_counties=[XINGGUO])
    )
    assert excluded["sites"] == [] and excluded["covered_after"] == excluded["covered_before"]


def test_the_network_as_it_stood_on_the_day_is_the_one_that_covers(disc):
    _station_at("36110902", disc["cells"][1], opened=dt.date(2023, 10, 1))
    before = run_siting(SitingRequest(new=1, as_of=DAY, cities=[GANZHOU]))
    after = run_siting(SitingRequest(new=1, as_of=dt.date(2023, 12, 31), cities=[GANZHOU]))
    assert before["covered_before"] == 9000 and after["covered_before"] == 9000 + 8700
    assert before["sites"][0]["cell"] == h3.int_to_str(disc["cells"][1])
    assert after["sites"][0]["cell"] == h3.int_to_str(disc["cells"][2])


def test_an_open_lead_is_a_candidate_and_its_site_says_so(disc, ganzhou_user):
    from fucai.network.models import Lead

    lon, lat = _gcj02(disc["cells"][1])
    lead = Lead.objects.create(
        contact_name="测试人",
        county_id=_county(XINGGUO).pk,
        address="兴国县测试路1号",
        lon=lon,
        lat=lat,
        scene="supermarket",
        operation="dedicated",
        source="poster",
        received_on=dt.date(2023, 8, 1),
    )
    answer = run_siting(SitingRequest(new=1, as_of=DAY, cities=[GANZHOU], use_grid=False))
    assert [s["lead"] for s in answer["sites"]] == [lead.pk]
    assert answer["sites"][0]["new_population"] == 8700


def _county(code: str):
    from fucai.geo.models import Division

    return Division.objects.get(code=code)


# -- the web ------------------------------------------------------------------------------------


def _post_scenario(client, **extra):
    from fucai.planning.forms.scenario import rule_names

    data = {
        "rules": rule_names(),  # as the form comes: every rule ticked
        "name": "兴国三站",
        "city": _county(GANZHOU).pk,
        "as_of": "2023-09-03",
        "new": 3,
        "operation": "dedicated",
        "radius_urban_m": 500,
        "radius_town_m": 1000,
        "radius_rural_m": 2000,
        "use_leads": "on",
        "time_limit_s": 10,
        **extra,
    }
    return client.post("/planning/scenarios/", data)


def test_a_city_runs_a_scenario_and_sees_its_sites_figures_and_exports(disc, client, ganzhou_user):
    from openpyxl import load_workbook

    from fucai.planning.models import SitingScenario

    client.force_login(ganzhou_user)
    response = _post_scenario(client)
    scenario = SitingScenario.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{scenario.pk}/")
    assert scenario.status == "done" and scenario.progress == 100
    assert (scenario.covered_before, scenario.covered_after) == (9000, 9000 + 25200)
    page = client.get(f"/planning/scenarios/{scenario.pk}/").content.decode()
    assert "34,200" in page and 'data-rank="3"' in page
    data = client.get(f"/planning/scenarios/{scenario.pk}/data/").json()
    assert [s["new_population"] for s in data["sites"]] == [8700, 8400, 8100]
    workbook = load_workbook(
        io.BytesIO(client.get(f"/planning/scenarios/{scenario.pk}/?format=xlsx").content)
    )
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert [r[5] for r in rows[1:]] == [8700, 8400, 8100]
    geojson = client.get(f"/planning/scenarios/{scenario.pk}/?format=geojson").json()
    assert [f["properties"]["rank"] for f in geojson["features"]] == [1, 2, 3]


def test_a_rule_unticked_on_the_form_is_set_aside_in_the_scenario(disc, client, ganzhou_user):
    from fucai.planning.models import SitingScenario

    _rule("专营站间距", 200, target_operation="dedicated")
    _rule("专营站距学校", 200, target_operation="dedicated")
    client.force_login(ganzhou_user)
    _post_scenario(client, rules=["专营站间距"])
    scenario = SitingScenario.objects.get()
    assert scenario.ignored_rules == ["专营站距学校"]
    assert [r["rule"] for r in scenario.details["rules"]] == ["专营站间距"]
    page = client.get(f"/planning/scenarios/{scenario.pk}/").content.decode()
    assert "专营站距学校" in page


def test_a_bad_quota_line_is_named_and_nothing_runs(disc, client, ganzhou_user):
    from fucai.planning.models import SitingScenario

    client.force_login(ganzhou_user)
    response = _post_scenario(client, quotas_text="兴国县 = 2\n浔阳区 = 1")
    assert response.status_code == 200
    assert "Line 2" in response.content.decode() or "第 2 行" in response.content.decode()
    assert not SitingScenario.objects.exists()


def test_a_chosen_site_becomes_a_lead_once_and_a_taken_site_is_refused_by_the_spacing_check(
    disc, client, ganzhou_user
):
    from fucai.network.models import Lead
    from fucai.planning.models import SitingScenario

    _rule("专营站间距", 200, target_operation="dedicated")
    client.force_login(ganzhou_user)
    _post_scenario(client)
    scenario = SitingScenario.objects.get()
    url = f"/planning/scenarios/{scenario.pk}/sites/1/lead/"
    response = client.post(url, {"scene": "community"})
    lead = Lead.objects.get()
    assert response["Location"] == f"/network/leads/{lead.pk}/"
    assert (lead.source, lead.status, lead.scene, lead.operation) == (
        "siting",
        "new",
        "community",
        "dedicated",
    )
    client.post(url)
    assert Lead.objects.count() == 1
    _station_at("36110903", disc["cells"][2])  # site 2's place has been taken since
    response = client.post(f"/planning/scenarios/{scenario.pk}/sites/2/lead/", follow=True)
    assert Lead.objects.count() == 1
    assert "36110903" in response.content.decode()


def test_another_citys_scenario_looks_like_no_scenario(disc, client, ganzhou_user, jiujiang_user):
    from fucai.planning.models import SitingScenario

    client.force_login(ganzhou_user)
    _post_scenario(client)
    pk = SitingScenario.objects.get().pk
    client.force_login(jiujiang_user)
    for url in (
        f"/planning/scenarios/{pk}/",
        f"/planning/scenarios/{pk}/data/",
        f"/planning/scenarios/{pk}/progress/",
        f"/planning/scenarios/compare/?id={pk}",
        f"/api/planning/scenarios/{pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert "兴国三站" not in client.get("/planning/scenarios/").content.decode()
    assert client.get("/api/planning/scenarios").json() == []


def test_two_scenarios_compare_side_by_side(disc, client, ganzhou_user):
    from fucai.planning.models import SitingScenario

    client.force_login(ganzhou_user)
    _post_scenario(client, name="三站")
    _post_scenario(client, name="两站", new=2)
    a, b = SitingScenario.objects.order_by("pk")
    page = client.get(f"/planning/scenarios/compare/?id={a.pk}&id={b.pk}").content.decode()
    assert "三站" in page and "两站" in page
    assert "3 · 25,200" in page and "2 · 17,100" in page


def test_the_siting_command_answers_the_issues_json_and_geojson(disc):
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "planning",
        "siting",
        "--city",
        "赣州",
        "--new",
        "3",
        "--as-of",
        "2023-09-03",
        "--format",
        "json",
        stdout=out,
    )
    answer = json.loads(out.getvalue())
    assert [s["new_population"] for s in answer["sites"]] == [8700, 8400, 8100]
    assert set(answer["sites"][0]) >= {"lon", "lat", "cell", "county", "new_population"}
    assert set(answer) >= {
        "covered_before",
        "covered_after",
        "upper_bound",
        "gap_pct",
        "solver",
        "status",
        "seconds",
    }
    out = io.StringIO()
    call_command(
        "planning",
        "siting",
        "--new",
        "2",
        "--as-of",
        "2023-09-03",
        "--quota",
        "兴国县=1",
        "--format",
        "geojson",
        stdout=out,
    )
    geojson = json.loads(out.getvalue())
    assert [f["properties"]["new_population"] for f in geojson["features"]] == [8700]
    assert geojson["covered_after"] == 9000 + 8700
