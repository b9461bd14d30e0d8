"""Pairing (结对) and areas (分片挂点): the one-to-one rule, a pairing's visits, coverage per city
as of a day, an area's blank population and leads, and who sees them (Party affairs of the
branch and of the province only)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.network.choices import VisitPurpose
from fucai.network.models import FieldVisit
from fucai.party.choices import AreaKind
from fucai.party.models import AreaAssignment, Member, Pairing
from fucai.party.pairing import coverage, visits_by_pairing

D = dt.date


def visit(station, day, name="结对干部甲", purpose=VisitPurpose.PAIRED):
    return FieldVisit.objects.create(
        station=station, visited_on=day, purpose=purpose, visitor_name=name
    )


def test_a_one_to_one_scheme_refuses_a_second_cadre_for_a_paired_station(paired, network):
    extra = Member.objects.create(branch=paired["gz"], name="丁", joined_on=D(2010, 7, 1))
    pairing = Pairing(
        scheme=paired["scheme"],
        member=extra,
        station=network["stations"]["xingguo"],
        started_on=D(2023, 5, 1),
    )
    with pytest.raises(ValidationError) as refused:
        pairing.full_clean()
    assert refused.value.message_dict["station"] == ["该站点在这段时间已与其他干部结对。"]
    pairing.started_on = D(2023, 1, 1)  # before the first pairing began, ending before it
    pairing.ended_on = D(2023, 2, 10)
    pairing.full_clean()  # days that do not overlap are allowed


def test_a_one_to_one_scheme_refuses_a_second_station_for_a_paired_cadre(paired, network):
    pairing = Pairing(
        scheme=paired["scheme"],
        member=paired["cadres"][0],
        station=network["stations"]["ruijin"],
        started_on=D(2023, 6, 1),
    )
    with pytest.raises(ValidationError) as refused:
        pairing.full_clean()
    assert "member" in refused.value.message_dict
    paired["scheme"].one_to_one = False
    paired["scheme"].save()
    pairing.full_clean()  # a scheme that is not one to one lets a cadre pair with two


def test_a_pairing_s_visits_are_the_paired_help_visits_while_it_lasts(paired, network):
    station = network["stations"]["xingguo"]
    before = visit(station, D(2023, 2, 9))  # the day before the pairing began
    counted = [visit(station, D(2023, 2, 10)), visit(station, D(2023, 5, 20))]
    visit(station, D(2023, 6, 1), purpose=VisitPurpose.ROUTINE)  # a manager's routine visit
    found = visits_by_pairing([paired["pairings"][0]])[paired["pairings"][0].pk]
    assert [v.pk for v in found] == [v.pk for v in counted]
    assert before.pk not in {v.pk for v in found}


def test_overlapping_pairings_of_a_station_share_its_visits_by_who_made_them(paired, network):
    paired["scheme"].one_to_one = False
    paired["scheme"].save()
    station = network["stations"]["xingguo"]
    other = Pairing.objects.create(
        scheme=paired["scheme"],
        member=paired["cadres"][1],
        station=station,
        started_on=D(2023, 4, 1),
    )
    mine = visit(station, D(2023, 4, 10), name="结对干部甲")
    theirs = visit(station, D(2023, 4, 11), name="结对干部乙")
    found = visits_by_pairing([paired["pairings"][0], other])
    assert [v.pk for v in found[paired["pairings"][0].pk]] == [mine.pk]
    assert [v.pk for v in found[other.pk]] == [theirs.pk]


def test_coverage_counts_cadres_stations_visits_per_month_and_stale_pairings(paired, network):
    stations = network["stations"]
    visit(stations["xingguo"], D(2023, 2, 10))
    visit(stations["xingguo"], D(2023, 8, 20))
    visit(stations["zhanggong"], D(2023, 3, 2), name="结对干部乙")
    gz_pairings = Pairing.objects.filter(scheme=paired["scheme"])
    result = coverage(gz_pairings, D(2023, 9, 3), stale_days=90)
    (city,) = result.cities
    assert (city.code, city.cadres, city.stations, city.pairings) == ("360700", 2, 2, 2)
    assert city.open_stations == 3  # 赣州's three stations are open on the day
    assert city.visits == 3
    # 36110214 paired 2023-02-10 – 09-03 (206 days), 36110001 from 03-01 (187 days)
    assert city.visits_per_pairing_month == round(3 / ((206 + 187) / (365.25 / 12)), 2)
    assert city.stale == 1  # 36110001's last visit was on 03-02, more than 90 days before
    assert [r.stale for r in result.rows] == [True, False]  # ordered by station code
    assert result.to_dict()["cities"][0]["paired_pct"] == round(2 / 3 * 100, 1)


def test_a_pairing_that_ended_is_not_counted_as_lasting(paired):
    first = paired["pairings"][0]
    first.ended_on = D(2023, 6, 30)
    first.save()
    result = coverage(Pairing.objects.filter(scheme=paired["scheme"]), D(2023, 9, 3))
    assert (result.cities[0].pairings, result.cities[0].cadres) == (1, 1)
    assert Pairing.objects.active_on(D(2023, 6, 29)).filter(pk=first.pk).exists()
    assert not Pairing.objects.active_on(D(2023, 6, 30)).filter(pk=first.pk).exists()


def test_a_cell_area_needs_valid_h3_cells_and_a_county_area_a_county(paired):
    area = AreaAssignment(
        branch=paired["gz"],
        member=paired["cadres"][0],
        kind=AreaKind.CELLS,
        cells=["not-a-cell"],
        started_on=D(2023, 3, 1),
    )
    with pytest.raises(ValidationError) as refused:
        area.full_clean()
    assert refused.value.message_dict["cells"] == ["不是有效的 H3 网格：not-a-cell"]
    area.kind = AreaKind.COUNTY
    with pytest.raises(ValidationError) as refused:
        area.full_clean()
    assert "county" in refused.value.message_dict


def test_an_area_lists_the_open_leads_in_its_county_or_its_cells(paired):
    from h3.api import basic_str as h3

    from fucai.geo.models import Division
    from fucai.network.models import Lead, LeadStatusChange
    from fucai.party.areas import area_contents
    from fucai.planning.geometry import to_wgs84

    county = Division.objects.get(code="360732")
    common = dict(
        city=county.parent, county=county, address="兴国县测试路1号", contact_name="线索人"
    )
    near = Lead.objects.create(
        **common,
        lon="115.35",
        lat="26.33",
        scene="street",
        operation="shared",
        source="walk_in",
        received_on=D(2023, 5, 1),
    )
    rejected = Lead.objects.create(
        **common,
        lon="115.50",
        lat="26.50",
        scene="street",
        operation="shared",
        source="walk_in",
        status="rejected",
        received_on=D(2023, 5, 2),
    )
    LeadStatusChange.objects.create(lead=rejected, status="rejected", date=D(2023, 5, 3))
    lon, lat = to_wgs84([115.35], [26.33])
    cell = h3.latlng_to_cell(float(lat[0]), float(lon[0]), 7)
    by_county = AreaAssignment(
        branch=paired["gz"], member=paired["cadres"][0], kind="county", county=county
    )
    by_cells = AreaAssignment(
        branch=paired["gz"], member=paired["cadres"][1], kind="cells", cells=[cell]
    )
    rows = area_contents([by_county, by_cells], D(2023, 9, 3))
    assert [[lead.pk for lead in r.leads] for r in rows] == [[near.pk], [near.pk]]
    before = area_contents([by_county], D(2023, 5, 2))[0]  # the day before it was rejected
    assert sorted(lead.pk for lead in before.leads) == sorted([near.pk, rejected.pk])
    assert rows[0].population is None  # no demand layer in this database: no figure, no error


def _get(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs.pop("path", None)), kwargs)


def test_the_pairing_page_shows_a_city_s_coverage_to_its_party_affairs_only(
    client, paired, ganzhou, market_manager_user, two_roles
):
    gz_party = make_user("gz_party", Role.PARTY, city=ganzhou)
    page = _get(client, gz_party, "party:pairing_list", as_of="2023-09-03")
    assert page.status_code == 200
    cities = [c.code for c in page.context["result"].cities]
    assert cities == ["360700"]  # not 九江's pairing
    assert "结对干部甲" in page.content.decode()
    assert _get(client, market_manager_user, "party:pairing_list").status_code == 403
    gz_pairing = paired["pairings"][0].pk
    assert (
        _get(client, two_roles, "party:pairing_detail", path={"pk": gz_pairing}).status_code == 404
    )
    xlsx = _get(client, gz_party, "party:pairing_list", as_of="2023-09-03", format="xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_party_affairs_pair_a_cadre_with_a_station_by_its_code(client, paired, ganzhou, network):
    gz_party = make_user("gz_party", Role.PARTY, city=ganzhou)
    client.force_login(gz_party)
    data = {
        "scheme": paired["scheme"].pk,
        "member": paired["cadres"][1].pk,
        "station": "36110002",
        "started_on": "2023-07-01",
    }
    refused = client.post(reverse("party:pairing_new"), {**data, "member": paired["cadres"][0].pk})
    assert refused.status_code == 400  # cadre 甲 is paired already (one to one)
    assert "该干部在这段时间已与其他站点结对。" in refused.content.decode()
    foreign = client.post(reverse("party:pairing_new"), {**data, "station": "36040002"})
    assert "您的范围内没有站点 36040002。" in foreign.content.decode()
    client.post(reverse("party:pairing_new"), {**data, "member": paired["cadres"][1].pk})
    assert Pairing.objects.filter(station__code="36110002").count() == 0  # 乙 is paired too
    Pairing.objects.filter(member=paired["cadres"][1]).update(ended_on=D(2023, 6, 30))
    saved = client.post(reverse("party:pairing_new"), data)
    assert saved.status_code == 302
    assert Pairing.objects.get(station__code="36110002").member == paired["cadres"][1]


def test_the_pairing_cli_gives_the_coverage_as_json(paired, network):
    visit(network["stations"]["xingguo"], D(2023, 8, 20))
    out = io.StringIO()
    call_command("party", "pairing", "--as-of", "2023-09-03", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert [(c["city"], c["cadres"], c["stations"], c["visits"]) for c in data["cities"]] == [
        ("360400", 1, 1, 0),
        ("360700", 2, 2, 1),
    ]
    assert data["stale_days"] == 90


def test_an_area_s_map_has_its_cells_covered_or_not_and_stays_in_the_branch(
    client, paired, network, ganzhou, two_roles
):
    from h3.api import basic_int as h3

    from fucai.geo.models import Division
    from fucai.planning.tests.test_coverage import _layer, _seat_cell

    seat = _seat_cell("360732")
    far = sorted(h3.grid_ring(seat, 12))[0]
    _layer([seat, far], [5000.0, 800.0])
    area = AreaAssignment.objects.create(
        branch=paired["gz"],
        member=paired["cadres"][0],
        kind="county",
        county=Division.objects.get(code="360732"),
        started_on=D(2023, 3, 1),
    )
    gz_party = make_user("gz_party", Role.PARTY, city=ganzhou)
    page = _get(client, gz_party, "party:area_detail", path={"pk": area.pk}, as_of="2023-09-03")
    assert page.status_code == 200 and "area-map-config" in page.content.decode()
    data = _get(client, gz_party, "party:area_map", path={"pk": area.pk}, as_of="2023-09-03")
    body = data.json()
    assert sorted(round(c[2]) for c in body["cells"]) == [800, 5000]
    assert len(body["bounds"]) == 4 and body["as_of"] == "2023-09-03"
    shown = {s[2] for s in body["stations"]}
    assert network["stations"]["xunyang"].code not in shown
    missing = _get(client, two_roles, "party:area_map", path={"pk": area.pk})
    assert missing.status_code == 404
