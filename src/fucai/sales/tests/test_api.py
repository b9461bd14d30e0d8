"""The sales API at /api/sales/: the summary (the CLI's JSON, in the caller's scope), its query
validation, the cockpit's chart data, and their place in the OpenAPI schema. Facts and hand-worked
figures are test_cockpit's."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fucai.network.tests.test_api import ApiCaller
from fucai.sales.tests.test_cockpit import AS_OF, CHARTS
from fucai.sales.tests.test_cockpit import facts as facts  # the fixture

pytestmark = pytest.mark.django_db

JIUJIANG = ["九江", "360400", "36040001", "36040002", "浔阳", "庐山"]
# 九江's own amounts as of 2023-09-03 (yuan): 240M ssq, 100M instant, 60M kl8, 400M in all,
# 300M + 50M = 350M the year before
JIUJIANG_AMOUNTS = ["240000000.00", "60000000.00", "400000000.00", "350000000.00"]


def _summary(user, **params):
    response = ApiCaller(user).get("sales/summary", **params)
    assert response.status_code == 200, response.content
    return response.json()


def _cli_summary(user, *args: str) -> dict:
    out = io.StringIO()
    call_command("sales", "summary", "--user", user.username, "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def _floats(value, path: str = "") -> list[str]:
    """Paths of every float in a JSON value."""
    if isinstance(value, float):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _floats(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _floats(v, f"{path}[{i}]")]
    return []


# -- the summary ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("user", "by"),
    [
        ("province_admin", "city,game_category"),
        ("ganzhou_user", "county,game"),
        ("market_manager_user", "station"),
        ("owner_user", ""),
    ],
)
def test_the_summary_is_what_the_cli_prints_for_the_same_user_and_day(request, facts, user, by):
    user = request.getfixturevalue(user)
    api = _summary(user, as_of=AS_OF, by=by)
    assert api == _cli_summary(user, "--as-of", AS_OF, "--by", by)
    assert set(api) == {
        "as_of",
        "compare",
        "scope",
        "window",
        "prior_window",
        "total",
        "by_category",
        "by",
        "groups",
        "history",
        "market_share",
    }


def test_the_province_summary_has_the_cockpits_figures(client, facts, province_admin):
    data = _summary(province_admin, as_of=AS_OF, by="city")
    assert data["total"] == {
        "amount_yuan": "700000000.00",
        "prior_amount_yuan": "500000000.00",
        "yoy_pct": "40.0",
        "record_high": True,
        "since": 2021,
    }
    assert data["by_category"]["instant"]["amount_yuan"] == "230000000.00"
    assert data["by_category"]["draw"]["record_high"] is False
    assert data["window"] == {"start": "2023-01-01", "end": "2023-09-03"}
    assert [(g["key"], g["amount_yuan"], g["yoy_pct"]) for g in data["groups"]] == [
        ("360400", "400000000.00", "14.3"),
        ("360700", "300000000.00", "100.0"),
    ]
    client.force_login(province_admin)  # the cockpit's ranking (its Excel form), same day
    page = client.get(reverse("sales:cockpit"), {"as_of": AS_OF}).context
    ranking = page["ranking"].excel_rows()
    assert [(row[1], str(row[3]), str(row[4])) for row in ranking] == [
        (g["key"], g["amount_yuan"], g["prior_amount_yuan"]) for g in data["groups"]
    ] + [(None, data["total"]["amount_yuan"], data["total"]["prior_amount_yuan"])]


def test_a_ganzhou_users_summary_holds_no_jiujiang_code_name_or_amount(facts, ganzhou_user):
    response = ApiCaller(ganzhou_user).get(
        "sales/summary", as_of=AS_OF, by="city,county,station,game"
    )
    assert response.status_code == 200
    body = response.content.decode()
    leaked = [text for text in JIUJIANG + JIUJIANG_AMOUNTS if text in body]
    assert leaked == []
    data = response.json()
    assert (data["scope"], data["total"]["amount_yuan"]) == ("赣州市", "300000000.00")
    assert {g["keys"]["station"] for g in data["groups"]} == {"36110214", "36110001"}


def test_an_owner_sees_only_their_station(facts, owner_user):
    data = _summary(owner_user, as_of=AS_OF, by="station")
    assert [(g["key"], g["amount_yuan"]) for g in data["groups"]] == [("36110214", "200000000.00")]
    assert data["total"]["amount_yuan"] == "200000000.00"
    assert data["total"]["prior_amount_yuan"] == "150000000.00"


def test_by_takes_repeated_or_comma_separated_dimensions(facts, province_admin):
    repeated = ApiCaller(province_admin).client.get(
        "/api/sales/summary?as_of=2023-09-03&by=city&by=game_category",
        headers=ApiCaller(province_admin).headers,
    )
    assert repeated.status_code == 200
    assert repeated.json()["by"] == ["city", "game_category"]
    assert repeated.json() == _summary(province_admin, as_of=AS_OF, by="city,game_category")


def test_top_keeps_the_largest_groups(facts, province_admin):
    data = _summary(province_admin, as_of=AS_OF, by="city", top=1)
    assert [g["key"] for g in data["groups"]] == ["360400"]


def test_without_a_day_the_summary_is_of_the_last_day_with_sales(facts, ganzhou_user):
    data = _summary(ganzhou_user)
    assert data["as_of"] == "2023-09-04"  # the store's last day, as the cockpit opens on


def test_an_unknown_dimension_is_refused_by_name(facts, province_admin):
    response = ApiCaller(province_admin).get("sales/summary", as_of=AS_OF, by="city,colour")
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", "by"]
    assert "cannot group by colour" in error["msg"]
    twice = ApiCaller(province_admin).get("sales/summary", by="city,city")
    assert twice.status_code == 422 and "twice" in twice.content.decode()


@pytest.mark.parametrize("as_of", ["2023-02-30", "yesterday", "2023-13-01"])
def test_a_day_that_is_not_a_date_is_refused(facts, province_admin, as_of):
    caller = ApiCaller(province_admin)
    for path in ("sales/summary", "sales/cockpit/monthly", "sales/cockpit/map"):
        response = caller.get(path, as_of=as_of)
        assert response.status_code == 422, (path, response.content)
        assert response.json()["detail"][0]["loc"] == ["query", "as_of"]


@pytest.mark.parametrize(
    ("as_of", "used"), [("0001-01-01", "2000-01-01"), ("1999-12-31", "2000-01-01"), ("FUTURE", "")]
)
def test_a_day_out_of_bounds_is_moved_to_the_bound_as_on_every_page(
    facts, province_admin, as_of, used
):
    if as_of == "FUTURE":
        as_of = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        used = timezone.localdate().isoformat()
    caller = ApiCaller(province_admin)
    summary = caller.get("sales/summary", as_of=as_of)
    assert summary.status_code == 200 and summary.json()["as_of"] == used
    # the charts move the day on into the stored sales, as the cockpit page does
    for path in ("sales/cockpit/monthly", "sales/cockpit/map"):
        assert caller.get(path, as_of=as_of).status_code == 200, path


def test_a_bad_top_or_compare_is_refused(facts, province_admin):
    caller = ApiCaller(province_admin)
    assert caller.get("sales/summary", top=-1).status_code == 422
    assert caller.get("sales/summary", compare="lunar").status_code == 422
    assert caller.get("sales/cockpit/games", compare="lunar").status_code == 422


def test_the_sales_api_needs_a_signed_in_user(facts):
    for path in ("summary", "cockpit/monthly", "cockpit/games", "cockpit/map"):
        assert Client().get(f"/api/sales/{path}").status_code == 401


# -- the cockpit's chart data ---------------------------------------------------------------------
def test_the_cockpit_page_points_its_charts_at_the_api_with_its_own_day(
    client, facts, ganzhou_user
):
    client.force_login(ganzhou_user)
    response = client.get(reverse("sales:cockpit"), {"as_of": AS_OF})
    urls = response.context["chart_config"]["urls"]
    query = f"?as_of={AS_OF}&compare=calendar"
    assert urls["monthly"] == "/api/sales/cockpit/monthly" + query
    assert urls["games"] == "/api/sales/cockpit/games" + query
    assert urls["map"] == "/api/sales/cockpit/map" + query
    assert client.get(urls["games"]).json()["total"]["amount_yuan"] == "300000000.00"


def test_the_cockpit_page_has_no_inline_script(client, facts, province_admin):
    client.force_login(province_admin)
    html = client.get(reverse("sales:cockpit"), {"as_of": AS_OF}).content.decode()
    tags = [part.split(">", 1)[0] for part in html.split("<script")[1:]]
    inline = [tag for tag in tags if " src=" not in tag]
    assert inline == [' id="cockpit-config" type="application/json"']  # data, not code
    assert any("sales/cockpit.js" in tag for tag in tags)


def test_the_chart_data_says_money_in_exact_yuan_strings_never_floats(client, facts, ganzhou_user):
    client.force_login(ganzhou_user)
    floats = {}
    for name, url_name in CHARTS.items():
        response = client.get(reverse(url_name), {"as_of": AS_OF})
        assert response.status_code == 200
        floats[name] = _floats(response.json())
    floats["summary"] = _floats(_summary(ganzhou_user, as_of=AS_OF, by="county"))
    assert floats == {
        "monthly": [],
        "games": [],
        "map": [f".stations[{i}].{axis}" for i in range(2) for axis in ("lon", "lat")],
        "summary": [],
    }


def test_the_chart_data_equals_the_cockpits_tables(client, facts, ganzhou_user):
    client.force_login(ganzhou_user)
    page = client.get(reverse("sales:cockpit"), {"as_of": AS_OF}).context
    months = client.get(reverse(CHARTS["monthly"]), {"as_of": AS_OF}).json()["months"]
    monthly = page["monthly"].excel_rows()  # month, this year, same days, YoY, last year
    assert [(m["amount_yuan"], m["last_year_yuan"]) for m in months] == [
        (None if row[1] is None else str(row[1]), str(row[4])) for row in monthly
    ]
    games = client.get(reverse(CHARTS["games"]), {"as_of": AS_OF}).json()
    table = page["games"].excel_rows()[:-1]  # name, category, this year, last year, YoY, share
    assert [(g["name"], g["amount_yuan"], g["prior_amount_yuan"]) for g in games["games"]] == [
        (row[0], str(row[2]), str(row[3])) for row in table
    ]
    assert months[2]["amount_yuan"] == "100000000.00"  # 赣州's March, without 九江's 240M


# -- the OpenAPI schema ---------------------------------------------------------------------------
def test_the_openapi_schema_lists_the_sales_operations_with_their_schemas(db):
    schema = Client().get("/api/openapi.json").json()
    responses = {
        path: schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]["$ref"].rsplit("/", 1)[1]
        for path in schema["paths"]
        if path.startswith("/api/sales/")
    }
    assert responses == {
        "/api/sales/summary": "SalesSummaryOut",
        "/api/sales/cockpit/monthly": "MonthlyOut",
        "/api/sales/cockpit/games": "GamesOut",
        "/api/sales/cockpit/map": "MapOut",
        "/api/sales/targets/completion": "CompletionOut",
    }
    components = schema["components"]["schemas"]
    amount = components["FiguresOut"]["properties"]["amount_yuan"]
    assert amount["type"] == "string" and amount["pattern"] == r"^-?\d+\.\d{2}$"
    assert "never a float" in amount["description"]
    by = next(
        p for p in schema["paths"]["/api/sales/summary"]["get"]["parameters"] if p["name"] == "by"
    )
    assert by["schema"]["type"] == "array" and "party_member" in by["schema"]["items"]["enum"]
    assert {"SalesSummaryOut", "MonthlyOut", "GamesOut", "MapOut", "MarketShareOut"} <= set(
        components
    )


def test_an_empty_store_gives_zeros_not_errors(network, store, ganzhou_user):
    caller = ApiCaller(ganzhou_user)
    data = _summary(ganzhou_user, by="county")
    assert data["as_of"] == timezone.localdate().isoformat()
    assert (data["total"]["amount_yuan"], data["groups"]) == ("0.00", [])
    for path in ("sales/cockpit/monthly", "sales/cockpit/games", "sales/cockpit/map"):
        assert caller.get(path).status_code == 200, path
