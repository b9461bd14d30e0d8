"""The REST API at /api/: authentication, the station endpoints and their scope, the lists, the
figures, geography, the audit trail and the token command."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from fucai.accounts.models import ApiToken
from fucai.core.models import ObjectChange
from fucai.geo.models import Division
from fucai.network.models import PartnerOrganisation, Station, StationOwner
from fucai.network.summary import network_summary

SUMMARY_DAY = "2023-09-03"
CSRF_SECRET = "a" * 32
_serial = itertools.count()


class ApiCaller:
    """Calls the API with a bearer token of one user (English messages)."""

    def __init__(self, user) -> None:
        self.client = Client()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        _, self.key = ApiToken.issue(user, f"tests-{next(_serial)}")
        self.headers = {"Authorization": f"Bearer {self.key}"}

    def get(self, path: str, **params):
        return self.client.get(f"/api/{path}", params, headers=self.headers)

    def post(self, path: str, body: dict):
        return self._send("post", path, body)

    def patch(self, path: str, body: dict):
        return self._send("patch", path, body)

    def _send(self, method: str, path: str, body: dict):
        send = getattr(self.client, method)
        return send(
            f"/api/{path}", json.dumps(body), content_type="application/json", headers=self.headers
        )


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def new_station_body(code: str = "36110300", county: str = "360732", **extra) -> dict:
    place = Division.objects.get(code=county)
    body = {
        "code": code,
        "name": "兴国新站",
        "county": county,
        "address": "兴国县将军大道8号",
        "lon": str(place.lon),
        "lat": str(place.lat),
        "scene": "community",
        "operation": "shared",
        "staff_count": 2,
        "terminal_count": 1,
    }
    return {**body, **extra}


# --- authentication ---


@pytest.mark.parametrize(
    "path", ["network/stations", "network/summary", "geo/divisions", "audit/changes"]
)
def test_an_anonymous_caller_gets_401(db, path):
    assert Client().get(f"/api/{path}").status_code == 401


def test_an_anonymous_write_gets_401_not_a_csrf_error(network):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/network/stations", json.dumps(new_station_body()), content_type="application/json"
    )
    assert response.status_code == 401
    assert not Station.objects.filter(code="36110300").exists()


def test_a_wrong_or_expired_token_gets_401(network, ganzhou_user):
    assert (
        Client()
        .get("/api/network/stations", headers={"Authorization": "Bearer fucai_nope"})
        .status_code
        == 401
    )
    _, key = ApiToken.issue(ganzhou_user, "old", expires=timezone.now() - dt.timedelta(minutes=1))
    response = Client().get("/api/network/stations", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_an_inactive_users_token_gets_401(network, ganzhou_user):
    caller = ApiCaller(ganzhou_user)
    assert caller.get("network/stations").status_code == 200
    ganzhou_user.is_active = False
    ganzhou_user.save()
    assert caller.get("network/stations").status_code == 401


def test_only_the_hash_of_a_key_is_stored_and_last_use_is_noted(network, ganzhou_user):
    caller = ApiCaller(ganzhou_user)
    token = ApiToken.objects.get(user=ganzhou_user)
    assert caller.key not in (token.key_hash, token.prefix)
    assert len(token.key_hash) == 64 and caller.key.startswith(token.prefix)
    assert token.last_used is None
    caller.get("accounts/me")
    token.refresh_from_db()
    assert token.last_used is not None


def test_a_logged_in_browser_session_reads_the_api(network, ganzhou_user):
    client = Client()
    client.force_login(ganzhou_user)
    response = client.get("/api/accounts/me")
    assert response.json() == {
        "username": "ganzhou_user",
        "roles": ["city"],
        "roles_label": "市级福彩机构",
        "scope": "赣州市",
        "city": "360700",
        "can_edit": True,
    }


def test_a_session_write_needs_the_csrf_token(network, ganzhou_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ganzhou_user)
    client.cookies["csrftoken"] = CSRF_SECRET
    body = json.dumps({"address": "章贡区红旗大道1号"})
    url = "/api/network/stations/36110001"
    refused = client.patch(url, body, content_type="application/json")
    assert refused.status_code == 403 and "X-CSRFToken" in refused.json()["detail"]
    assert Station.objects.get(code="36110001").address != "章贡区红旗大道1号"
    response = client.patch(
        url, body, content_type="application/json", headers={"X-CSRFToken": CSRF_SECRET}
    )
    assert response.status_code == 200
    assert Station.objects.get(code="36110001").address == "章贡区红旗大道1号"


def test_the_token_command_prints_a_key_that_works_once_created(network, ganzhou_user):
    out, err = io.StringIO(), io.StringIO()
    call_command("accounts", "token", "create", "ganzhou_user", "bi-export", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert key.startswith("fucai_") and "shown only now" in err.getvalue()
    assert ApiToken.objects.get(name="bi-export").key_hash != key
    response = Client().get("/api/network/stations", headers={"Authorization": f"Bearer {key}"})
    assert codes(response) == ["36110001", "36110002", "36110214"]


def test_the_token_command_refuses_unknown_users_duplicate_names_and_past_expiry(
    network, ganzhou_user
):
    call_command(
        "accounts",
        "token",
        "create",
        "ganzhou_user",
        "ci",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    with pytest.raises(CommandError, match="already has a token named 'ci'"):
        call_command(
            "accounts",
            "token",
            "create",
            "ganzhou_user",
            "ci",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("accounts", "token", "create", "nobody", "ci")
    with pytest.raises(CommandError, match="in the past"):
        call_command("accounts", "token", "create", "ganzhou_user", "x", "--expires", "2020-01-01")


def test_the_token_command_lists_without_keys_and_revokes(network, ganzhou_user):
    _, key = ApiToken.issue(ganzhou_user, "ci")
    out = io.StringIO()
    call_command("accounts", "token", "list", "ganzhou_user", stdout=out)
    assert "ganzhou_user\tci\tfucai_" in out.getvalue() and key not in out.getvalue()
    call_command("accounts", "token", "revoke", "ganzhou_user", "ci", stdout=io.StringIO())
    assert not ApiToken.objects.exists()
    assert (
        Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"}).status_code
        == 401
    )


# --- stations: list and detail ---


def test_the_province_lists_every_station_page_by_page(network, province_admin):
    caller = ApiCaller(province_admin)
    response = caller.get("network/stations", page_size=2)
    assert response.json()["count"] == 5
    assert codes(response) == ["36040001", "36040002"]
    assert codes(caller.get("network/stations", page_size=2, page=3)) == ["36110214"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"city": "360400"}, ["36040001", "36040002"]),
        ({"county": "360732"}, ["36110214"]),
        ({"scene": "shopping_complex"}, ["36110001"]),
        ({"operation": "dedicated"}, []),
        ({"status": "open", "city": "360700"}, ["36110001", "36110002", "36110214"]),
        ({"q": "兴国"}, ["36110214"]),
        ({"q": "0400"}, ["36040001", "36040002"]),
        ({"party_member": "true"}, ["36110214"]),
        ({"party_member": "false", "city": "360700"}, ["36110001", "36110002"]),
    ],
)
def test_the_station_list_filters(network, province_admin, params, expected):
    assert codes(ApiCaller(province_admin).get("network/stations", **params)) == expected


def test_a_bad_filter_value_is_a_422_naming_it(network, province_admin):
    response = ApiCaller(province_admin).get("network/stations", scene="casino")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "scene"


def test_the_detail_masks_the_owner_and_shows_todays_manager(network, ganzhou_user):
    response = ApiCaller(ganzhou_user).get("network/stations/36110214")
    data = response.json()
    assert data["city"] == {"code": "360700", "name": "赣州市"}
    assert data["county"] == {"code": "360732", "name": "兴国县"}
    assert data["status"] == "open" and data["opened_on"] == "2022-05-01"
    assert data["owner"] == {
        "name": "测试业主甲",
        "phone_masked": "138****5678",
        "id_number_masked": "3607**********1234",
        "is_veteran": True,
        "party_vanguard": True,
    }
    assert data["manager"] == {"employee_code": "GZ001", "name": "测试管理员乙"}
    assert data["territory"] == {"code": "GZ-T01", "name": "兴国片区"}
    text = response.content.decode()
    assert "13800005678" not in text and "360732199001011234" not in text
    assert '"name": "兴国县"' in text  # Chinese as UTF-8, not \u escapes


def test_party_identity_is_not_shown_without_consent(network, ganzhou, ganzhou_user):
    shy = StationOwner.objects.create(
        name="测试业主丙", city=ganzhou, is_party_member=True, party_consent=False
    )
    Station.objects.filter(code="36110001").update(owner=shy)
    data = ApiCaller(ganzhou_user).get("network/stations/36110001").json()
    assert data["owner"]["party_vanguard"] is False
    assert "is_party_member" not in data["owner"]
    assert codes(ApiCaller(ganzhou_user).get("network/stations", party_member="true")) == [
        "36110214"
    ]


# --- scope: a 赣州 user and a 九江 station ---


def test_a_ganzhou_user_cannot_read_a_jiujiang_station(network, ganzhou_user):
    caller = ApiCaller(ganzhou_user)
    assert codes(caller.get("network/stations")) == ["36110001", "36110002", "36110214"]
    assert codes(caller.get("network/stations", city="360400")) == []
    assert caller.get("network/stations/36040001").status_code == 404
    assert caller.get("network/stations/36040001/history").status_code == 404


def test_a_ganzhou_user_cannot_change_a_jiujiang_station(network, ganzhou_user):
    caller = ApiCaller(ganzhou_user)
    assert caller.patch("network/stations/36040001", {"address": "改掉"}).status_code == 404
    response = caller.post(
        "network/stations/36040001/transitions", {"status": "closed", "date": "2023-09-01"}
    )
    assert response.status_code == 404
    station = Station.objects.get(code="36040001")
    assert (station.address, station.status) == ("浔阳区人民路001号", "open")


def test_a_ganzhou_users_summary_counts_only_ganzhou(network, ganzhou_user):
    data = ApiCaller(ganzhou_user).get("network/summary", as_of=SUMMARY_DAY, by="city").json()
    assert data["open_stations"] == 3
    assert [g["code"] for g in data["groups"]] == ["360700"]


def test_a_market_manager_sees_only_their_territory_and_changes_nothing(
    network, market_manager_user
):
    caller = ApiCaller(market_manager_user)
    assert codes(caller.get("network/stations")) == ["36110214"]
    assert caller.get("network/stations/36110001").status_code == 404
    assert caller.patch("network/stations/36110214", {"staff_count": 9}).status_code == 403
    assert caller.get("network/summary", as_of=SUMMARY_DAY).json()["open_stations"] == 1


def test_a_manager_no_longer_sees_a_station_after_the_assignment_ends(network, market_manager_user):
    network["manager"].assignments.update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    caller = ApiCaller(market_manager_user)
    assert codes(caller.get("network/stations")) == []
    assert caller.get("network/stations/36110214").status_code == 404


def test_an_owner_sees_only_their_own_station(network, owner_user):
    caller = ApiCaller(owner_user)
    assert codes(caller.get("network/stations")) == ["36110214"]
    assert caller.get("network/stations/36110002").status_code == 404
    assert (
        caller.post(
            "network/stations/36110214/transitions", {"status": "suspended", "date": "2023-10-01"}
        ).status_code
        == 403
    )


def test_a_party_user_reads_everything_and_changes_nothing(network, party_user):
    caller = ApiCaller(party_user)
    assert len(codes(caller.get("network/stations"))) == 5
    assert caller.patch("network/stations/36040001", {"staff_count": 9}).status_code == 403
    assert caller.post("network/stations", new_station_body()).status_code == 403
    assert Station.objects.get(code="36040001").staff_count == 2


# --- stations: create, change, transitions, history ---


def test_a_city_user_registers_a_station_in_their_city(network, ganzhou_user):
    response = ApiCaller(ganzhou_user).post(
        "network/stations", new_station_body(status_date="2023-09-10")
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["code"], data["city"]["code"], data["status"]) == ("36110300", "360700", "planned")
    station = Station.objects.get(code="36110300")
    assert list(station.status_changes.values_list("status", "date", "recorded_by")) == [
        ("planned", dt.date(2023, 9, 10), ganzhou_user.pk)
    ]


def test_a_city_user_cannot_register_a_station_in_another_city(network, ganzhou_user):
    body = new_station_body("36040300", "360403")
    assert ApiCaller(ganzhou_user).post("network/stations", body).status_code == 403
    assert not Station.objects.filter(code="36040300").exists()
    assert not ObjectChange.objects.filter(object_repr__startswith="36040300").exists()


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"code": "3611030"}, "code", "8 digits"),
        ({"code": "36040301"}, "code", "starting with 3611"),
        ({"code": "36110214"}, "code", "already exists"),
        ({"county": "360700"}, "county", "No county has the adcode 360700"),
        ({"lon": "116.000000", "lat": "29.500000"}, "lon", "outside 兴国县"),
        ({"owner": 999999}, "owner", "No station owner with id 999999"),
    ],
)
def test_a_bad_station_is_refused_with_the_field_and_reason(
    network, ganzhou_user, body, field, reason
):
    response = ApiCaller(ganzhou_user).post("network/stations", new_station_body(**body))
    assert response.status_code == 422
    assert reason in " ".join(response.json()["errors"][field])
    assert Station.objects.count() == 5


def test_a_taken_code_in_another_city_is_forbidden_not_revealed(network, ganzhou_user):
    body = new_station_body("36040001", "360403")
    response = ApiCaller(ganzhou_user).post("network/stations", body)
    assert response.status_code == 403
    assert "exists" not in response.content.decode()


def test_a_city_user_changes_their_station(network, ganzhou_user, ganzhou):
    partner = PartnerOrganisation.objects.create(
        name="赣州万象集团", city=ganzhou, kind="shopping_complex_group"
    )
    body = {
        "address": "兴国县潋江大道2号",
        "staff_count": 4,
        "scene": "supermarket",
        "partner": partner.pk,
    }
    response = ApiCaller(ganzhou_user).patch("network/stations/36110214", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["address"], data["staff_count"], data["scene"]) == (
        "兴国县潋江大道2号",
        4,
        "supermarket",
    )
    assert data["partner"] == {"id": partner.pk, "name": "赣州万象集团"}
    station = Station.objects.get(code="36110214")
    assert (station.staff_count, station.partner_id, station.name) == (
        4,
        partner.pk,
        "兴国县0214投注站",
    )


def test_a_station_cannot_be_given_an_owner_or_partner_from_another_city(
    network, jiujiang, ganzhou_user
):
    partner = PartnerOrganisation.objects.create(name="九江商业集团", city=jiujiang)
    response = ApiCaller(ganzhou_user).patch("network/stations/36110214", {"partner": partner.pk})
    assert response.status_code == 422
    assert "partner" in response.json()["errors"]
    assert Station.objects.get(code="36110214").partner_id is None


def test_moving_a_station_to_a_county_of_another_city_is_refused(network, ganzhou_user):
    place = Division.objects.get(code="360403")
    body = {"county": "360403", "lon": str(place.lon), "lat": str(place.lat)}
    response = ApiCaller(ganzhou_user).patch("network/stations/36110214", body)
    assert response.status_code == 422
    assert "starting with 3604" in " ".join(response.json()["errors"]["code"])
    assert Station.objects.get(code="36110214").county.code == "360732"


def test_a_transition_is_recorded_with_its_date_and_user(network, ganzhou_user):
    response = ApiCaller(ganzhou_user).post(
        "network/stations/36110214/transitions",
        {"status": "suspended", "date": "2023-10-01", "note": "装修"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["change"]["date"], data["change"]["recorded_by"]) == (
        "suspended",
        "2023-10-01",
        "ganzhou_user",
    )
    assert Station.objects.get(code="36110214").status == "suspended"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"status": "planned", "date": "2023-10-01"}, "cannot become"),
        ({"status": "closed", "date": "2020-01-01"}, "before the previous one"),
    ],
)
def test_an_invalid_transition_is_a_422_with_the_reason(network, ganzhou_user, body, reason):
    response = ApiCaller(ganzhou_user).post("network/stations/36110214/transitions", body)
    assert response.status_code == 422
    assert reason in response.json()["detail"]
    assert Station.objects.get(code="36110214").status_changes.count() == 2


def test_an_unknown_status_is_a_422(network, ganzhou_user):
    response = ApiCaller(ganzhou_user).post(
        "network/stations/36110214/transitions", {"status": "reopened", "date": "2023-10-01"}
    )
    assert response.status_code == 422


def test_the_history_lists_the_lifecycle_and_the_managers(network, owner_user):
    data = ApiCaller(owner_user).get("network/stations/36110214/history").json()
    assert [(c["status"], c["date"]) for c in data["status_changes"]] == [
        ("planned", "2022-04-01"),
        ("open", "2022-05-01"),
    ]
    assert [
        (a["manager"]["employee_code"], a["valid_from"], a["valid_to"]) for a in data["assignments"]
    ] == [("GZ001", "2021-01-01", None)]


# --- figures, lists, geography, audit, docs ---


@pytest.mark.parametrize("by", [None, "city", "county", "scene"])
def test_the_summary_is_exactly_the_network_summary(network, province_admin, by):
    params = {"as_of": SUMMARY_DAY, **({"by": by} if by else {})}
    data = ApiCaller(province_admin).get("network/summary", **params).json()
    assert data == network_summary(Station.objects.all(), dt.date(2023, 9, 3), by=by).to_dict()
    assert (data["open_stations"], data["net_new_this_year"]) == (5, 3)


def test_the_summary_refuses_a_bad_date_or_grouping(network, province_admin):
    caller = ApiCaller(province_admin)
    assert caller.get("network/summary", as_of="2023-13-01").status_code == 422
    assert caller.get("network/summary", as_of=SUMMARY_DAY, by="province").status_code == 422


def test_managers_and_territories_are_listed_in_scope(
    network, ganzhou_user, jiujiang_user, market_manager_user
):
    managers = ApiCaller(ganzhou_user).get("network/managers").json()["items"]
    assert [(m["employee_code"], m["station_count"], m["territories"]) for m in managers] == [
        ("GZ001", 1, [{"code": "GZ-T01", "name": "兴国片区"}])
    ]
    territories = ApiCaller(ganzhou_user).get("network/territories").json()["items"]
    assert [
        (t["code"], t["manager"]["employee_code"], t["station_count"]) for t in territories
    ] == [("GZ-T01", "GZ001", 1)]
    assert ApiCaller(jiujiang_user).get("network/managers").json()["count"] == 0
    assert ApiCaller(jiujiang_user).get("network/territories").json()["count"] == 0
    assert ApiCaller(market_manager_user).get("network/managers").json()["count"] == 1


def test_a_managers_phone_is_masked(network, ganzhou_user):
    network["manager"].phone = "13912345678"
    network["manager"].save()
    response = ApiCaller(ganzhou_user).get("network/managers")
    assert response.json()["items"][0]["phone_masked"] == "139****5678"
    assert "13912345678" not in response.content.decode()


def test_partners_are_listed_in_scope(network, ganzhou, jiujiang, ganzhou_user, jiujiang_user):
    group = PartnerOrganisation.objects.create(
        name="九江商业集团", city=jiujiang, kind="shopping_complex_group"
    )
    PartnerOrganisation.objects.create(name="赣州超市", city=ganzhou, kind="supermarket_chain")
    Station.objects.filter(code__startswith="3604").update(partner=group)
    items = ApiCaller(jiujiang_user).get("network/partners").json()["items"]
    assert [(p["name"], p["city"]["code"], p["station_count"]) for p in items] == [
        ("九江商业集团", "360400", 2)
    ]
    assert [p["name"] for p in ApiCaller(ganzhou_user).get("network/partners").json()["items"]] == [
        "赣州超市"
    ]


def test_every_user_reads_the_divisions(network, owner_user):
    caller = ApiCaller(owner_user)
    assert len(caller.get("geo/divisions").json()) == 112
    cities = caller.get("geo/divisions", level="prefecture").json()
    assert len(cities) == 11
    ganzhou = next(c for c in cities if c["code"] == "360700")
    assert (ganzhou["name"], ganzhou["parent"], ganzhou["lottery_code"]) == (
        "赣州市",
        "360000",
        "11",
    )
    assert len(caller.get("geo/divisions", level="county").json()) == 100


def _adcodes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {str(f["properties"]["adcode"]) for f in response.json()["features"]}


def test_boundaries_are_filtered_to_the_users_city(
    network, province_admin, ganzhou_user, market_manager_user
):
    assert len(_adcodes(ApiCaller(province_admin).get("geo/boundaries/city"))) == 11
    assert _adcodes(ApiCaller(ganzhou_user).get("geo/boundaries/city")) == {"360700"}
    counties = ApiCaller(ganzhou_user).get("geo/boundaries/county").json()["features"]
    assert len(counties) == 18
    assert {f["properties"]["parent"]["adcode"] for f in counties} == {360700}
    assert _adcodes(ApiCaller(market_manager_user).get("geo/boundaries/city")) == {"360700"}
    assert ApiCaller(province_admin).get("geo/boundaries/town").status_code == 422


def test_the_audit_trail_is_scoped_filtered_and_masked(network, ganzhou_user, jiujiang_user):
    ganzhou_changes = ApiCaller(ganzhou_user).get("audit/changes", page_size=100).json()
    assert (
        ganzhou_changes["count"]
        == ObjectChange.objects.filter(city__code="360700")
        .exclude(object_type__app_label="accounts")
        .count()
        > 0
    )
    assert {c["city"] for c in ganzhou_changes["items"]} == {"360700"}
    station_changes = (
        ApiCaller(ganzhou_user)
        .get("audit/changes", station="36110214", object_type="network.station", action="create")
        .json()
    )
    assert [(c["station"], c["object_type"], c["action"]) for c in station_changes["items"]] == [
        ("36110214", "network.station", "create")
    ]
    assert ApiCaller(jiujiang_user).get("audit/changes", station="36110214").json()["count"] == 0
    owner_change = (
        ApiCaller(ganzhou_user).get("audit/changes", object_type="network.stationowner").json()
    )
    assert owner_change["items"][0]["changes"]["phone"] == [None, "138****5678"]
    assert owner_change["items"][0]["changes"]["id_number"] == [None, "3607**********1234"]
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()  # the centre's tomorrow
    assert ApiCaller(ganzhou_user).get("audit/changes", since=future).json()["count"] == 0
    assert ApiCaller(ganzhou_user).get("audit/changes", object_type="station").status_code == 422


def test_the_openapi_docs_are_served_without_a_cdn(db):
    docs = Client().get("/api/docs")
    assert docs.status_code == 200
    assert (
        "cdn.jsdelivr.net" not in docs.content.decode()
        and "/static/ninja/" in docs.content.decode()
    )
    schema = Client().get("/api/openapi.json").json()
    assert {"/api/network/stations", "/api/network/summary", "/api/audit/changes"} <= set(
        schema["paths"]
    )
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_the_map_scope_follows_the_station_scope_for_every_role(
    province_admin, jiujiang_user, owner_user, party_user, market_manager_user
):
    from django.contrib.auth.models import AnonymousUser

    from fucai.geo.api.scope import visible_city_codes

    assert visible_city_codes(province_admin) is None
    assert visible_city_codes(party_user) is None  # a Party user without a city: the province
    assert visible_city_codes(jiujiang_user) == {"360400"}
    assert visible_city_codes(owner_user) == {"360700"}
    assert visible_city_codes(market_manager_user) == {"360700"}
    assert visible_city_codes(AnonymousUser()) == set()
    owner_user.is_active = False
    assert visible_city_codes(owner_user) == set()
