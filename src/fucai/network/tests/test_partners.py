"""Partners (组织联姻): sites, agreements with an encrypted contact, and the outlets opened with
them with their sales since opening and year on year, on facts worked out by hand (the `network`
fixture: 36040001 opened 2021-07-01, 36040002 opened 2023-06-01, both 九江; 36110001 赣州)."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.opening import SinceOpeningRunner
from fucai.analytics.runners import YearToDateRunner
from fucai.analytics.scope import Scope
from fucai.core.models import ObjectChange
from fucai.network.models import PartnerAgreement, PartnerOrganisation, PartnerSite, Station
from fucai.sales.ingest.importer import import_files

pytestmark = pytest.mark.django_db

AS_OF = "2023-09-03"
DAY = dt.date(2023, 9, 3)
# Yuan. As of 2023-09-03:
#   36040001 (opened 2021-07-01): since opening 100,000 + 400,000 + 1,000,000 + 200,000 +
#     600,000 + 50,000 = 2,350,000 (the sale of 09-05 is after the day); this year 650,000
#     against 2022-01-01..09-03 1,400,000 → -53.6 %
#   36040002 (opened 2023-06-01): 80,000 + 20,000 = 100,000, this year the same; no whole prior
#     period → no year on year
#   the 九江 partner: 2,450,000 since opening; this year 750,000; like for like (36040001 only)
#     650,000 against 1,400,000 → -53.6 %
#   36110001 (赣州 partner's outlet): 123,456.78
FACTS = [
    ["36040001", "2021-08-10", "ssq", "100000.00", "10"],
    ["36040001", "2022-03-01", "ssq", "400000.00", "10"],
    ["36040001", "2022-08-20", "ssq", "1000000.00", "10"],
    ["36040001", "2022-10-20", "kl8", "200000.00", "10"],
    ["36040001", "2023-08-20", "ssq", "600000.00", "10"],
    ["36040001", "2023-09-02", "instant", "50000.00", "10"],
    ["36040001", "2023-09-05", "ssq", "999.00", "10"],
    ["36040002", "2023-06-15", "kl8", "80000.00", "10"],
    ["36040002", "2023-09-01", "kl8", "20000.00", "10"],
    ["36110001", "2023-03-01", "instant", "123456.78", "10"],
]
CONTACT = ("吴思远", "13912345678")


@pytest.fixture
def store(settings, tmp_path):
    from fucai.sales.store import SalesStore

    settings.DATA_DIR = tmp_path / "data"
    return SalesStore(tmp_path / "data" / "sales")


@pytest.fixture
def write_csv(tmp_path):
    def write(name: str, rows: list[list]):
        import csv

        path = tmp_path / name
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["station_code", "date", "game", "amount", "tickets"])
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def partners(network, ganzhou, jiujiang, store, write_csv, settings):
    settings.ANALYTICS_RECHECK_SECONDS = 0
    assert import_files(
        [write_csv("facts.csv", FACTS)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    jj = PartnerOrganisation.objects.create(
        name="测试浔城商业集团", city=jiujiang, contact_name="钱经理", kind="shopping_complex_group"
    )
    mall = PartnerSite.objects.create(organisation=jj, name="浔城广场", kind="mall", address="九江")
    Station.objects.filter(code__in=["36040001", "36040002"]).update(partner=jj)
    Station.objects.filter(code="36040001").update(partner_site=mall)
    agreement = PartnerAgreement.objects.create(
        organisation=jj,
        signed_on=dt.date(2021, 6, 1),
        starts_on=dt.date(2021, 6, 15),
        ends_on=dt.date(2024, 6, 14),
        terms="铺位与联合营销",
        contact_name=CONTACT[0],
        contact_phone=CONTACT[1],
    )
    gz = PartnerOrganisation.objects.create(name="测试赣南联姻集团", city=ganzhou)
    gz_agreement = PartnerAgreement.objects.create(
        organisation=gz,
        signed_on=dt.date(2023, 1, 1),
        starts_on=dt.date(2023, 1, 1),
        contact_name="郑某",
        contact_phone="13811112222",
    )
    Station.objects.filter(code="36110001").update(partner=gz)
    return {"jj": jj, "gz": gz, "agreement": agreement, "gz_agreement": gz_agreement}


def _get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def _sheet(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _without_tokens(response) -> str:
    """The body without its per-request tokens (CSRF, nonces)."""
    import re

    text = re.sub(r"[A-Za-z0-9]{32,}", "", response.content.decode())
    return re.sub(r"/partners/\d+/", "/partners/N/", text)


# -- the partner page ----------------------------------------------------------------------------
def test_the_jiujiang_partner_page_shows_its_outlets_with_their_sales_since_opening_and_yoy(
    client, partners, jiujiang_user
):
    response = _get(client, jiujiang_user, "network:partner_detail", partners["jj"].pk, as_of=AS_OF)
    assert response.status_code == 200
    rows = {r["station"].code: r for r in response.context["outlets"]}
    assert list(rows) == ["36040001", "36040002"]  # in the order they opened
    assert (rows["36040001"]["sales"], rows["36040001"]["year"]) == ("235.00", "65.00")
    assert (rows["36040001"]["prior"], rows["36040001"]["yoy"]) == ("140.00", "-53.6%")
    assert (rows["36040002"]["sales"], rows["36040002"]["prior"]) == ("10.00", "—")
    assert rows["36040002"]["yoy"] == "—"
    figures = response.context["figures"]
    assert (figures.sales_fen, figures.year_fen, figures.prior_fen) == (
        245_000_000,
        75_000_000,
        140_000_000,
    )
    assert figures.yoy_pct == Decimal("-53.6")
    assert response.context["totals"] == {
        "sales": "245.00",
        "year": "75.00",
        "prior": "140.00",
        "yoy": "-53.6%",
    }
    html = response.content.decode()
    assert "浔城广场" in html and 'data-station="36040002"' in html
    assert "fc-stack" in html  # the tables become cards on a phone


def test_the_outlets_figures_are_the_analytics_year_to_date_and_windows(partners, store):
    context = AnalyticsContext()
    scope = Scope.city("360400")
    outlets = (("36040001", "360400", dt.date(2021, 7, 1)), ("36040002", "360400", None))
    sales = SinceOpeningRunner(context, scope).run(outlets, DAY)
    ytd = YearToDateRunner(context, scope).run(DAY, by=("station",), history=False)
    [station] = [g for g in ytd.groups if g.keys["station"] == "36040001"]
    assert (sales["36040001"].year_fen, sales["36040001"].prior_fen) == (
        station.amount_fen,
        station.prior_amount_fen,
    )
    assert sales["36040001"].yoy_pct == station.figures.yoy_pct == Decimal("-53.6")
    assert sales["36040001"].amount_fen == 235_000_000
    assert sales["36040002"].amount_fen == 0  # not opened: no window
    # a scope without the city sees neither
    assert SinceOpeningRunner(context, Scope.city("360700")).run(outlets, DAY) == {}


def test_the_partner_list_is_scoped_by_city_and_exports_to_excel(
    client, partners, jiujiang_user, province_admin
):
    response = _get(client, jiujiang_user, "network:partner_list", as_of=AS_OF)
    assert [r["figures"].partner.name for r in response.context["rows"]] == ["测试浔城商业集团"]
    assert response.context["rows"][0]["sales"] == "245.00"
    rows = _sheet(_get(client, jiujiang_user, "network:partner_list", as_of=AS_OF, format="xlsx"))
    assert rows[1][0] == "测试浔城商业集团" and rows[1][6] == 2450000
    assert len(rows) == 2
    response = _get(client, province_admin, "network:partner_list", as_of=AS_OF, city="360700")
    assert [r["figures"].partner.name for r in response.context["rows"]] == ["测试赣南联姻集团"]
    assert response.context["rows"][0]["sales"] == "12.35"


def test_every_table_of_the_partner_page_exports_to_excel(client, partners, jiujiang_user):
    pk = partners["jj"].pk
    outlets = _sheet(
        _get(client, jiujiang_user, "network:partner_detail", pk, export="outlets", as_of=AS_OF)
    )
    assert outlets[1][0] == "36040001" and outlets[-1][6] == 2450000
    sites = _sheet(_get(client, jiujiang_user, "network:partner_detail", pk, export="sites"))
    assert sites[1][0] == "浔城广场" and sites[1][5] == 1
    agreements = _sheet(
        _get(client, jiujiang_user, "network:partner_detail", pk, export="agreements")
    )
    assert agreements[1][4:] == ["吴**", "139****5678"]
    assert _get(client, jiujiang_user, "network:partner_detail", pk, export="x").status_code == 404


# -- scope ---------------------------------------------------------------------------------------
def test_a_jiujiang_user_cannot_see_a_ganzhou_partner_by_any_path(
    client, partners, jiujiang_user, settings
):
    gz, gz_agreement = partners["gz"], partners["gz_agreement"]
    for params in ({}, {"export": "outlets"}, {"export": "agreements"}, {"export": "sites"}):
        missing = _get(client, jiujiang_user, "network:partner_detail", 999999, **params)
        response = _get(client, jiujiang_user, "network:partner_detail", gz.pk, **params)
        assert response.status_code == 404
        assert _without_tokens(response) == _without_tokens(missing)
    response = client.post(reverse("network:partner_contact", args=[gz_agreement.pk]))
    assert response.status_code == 404
    listed = _get(client, jiujiang_user, "network:partner_list", city="360700")
    assert listed.context["rows"] == []
    assert (
        "测试赣南联姻集团"
        not in _get(client, jiujiang_user, "network:partner_list").content.decode()
    )
    api = client.get(f"/api/network/partners/{gz.pk}")
    assert api.status_code == 404
    api = client.get("/api/network/partners/sales", {"as_of": AS_OF})
    assert [p["name"] for p in api.json()] == ["测试浔城商业集团"]
    assert client.get("/api/network/partners").json()["count"] == 1
    out = io.StringIO()
    call_command("network", "partners", "--format", "json", "--user", "jiujiang_user", stdout=out)
    assert [p["name"] for p in json.loads(out.getvalue())["partners"]] == ["测试浔城商业集团"]


# -- personal data -------------------------------------------------------------------------------
def test_the_contacts_are_encrypted_at_rest_and_masked_on_the_page(client, partners, jiujiang_user):
    agreement = partners["agreement"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_phone FROM network_partneragreement WHERE id = %s",
            [agreement.pk],
        )
        raw = cursor.fetchone()
        cursor.execute(
            "SELECT contact_name FROM network_partnerorganisation WHERE id = %s",
            [partners["jj"].pk],
        )
        raw_partner = cursor.fetchone()[0]
    assert raw[0] != CONTACT[0] and raw[1] != CONTACT[1] and CONTACT[1] not in raw[1]
    assert raw_partner != "钱经理" and raw_partner.startswith("gAAAA")
    agreement.refresh_from_db()
    assert (agreement.contact_name, agreement.contact_phone) == CONTACT
    html = _get(client, jiujiang_user, "network:partner_detail", partners["jj"].pk).content
    html = html.decode()
    assert "吴** 139****5678" in html and "钱**" in html
    assert CONTACT[1] not in html and CONTACT[0] not in html and "钱经理" not in html
    api = client.get(f"/api/network/partners/{partners['jj'].pk}").json()
    assert api["agreements"][0]["contact_phone"] == "139****5678"
    assert api["contact_name"] == "钱**"
    assert client.get("/api/network/partners").json()["items"][0]["contact_name"] == "钱**"


def test_showing_an_agreements_contact_in_full_is_recorded(
    client, partners, jiujiang_user, party_user
):
    agreement = partners["agreement"]
    client.force_login(jiujiang_user)
    response = client.post(reverse("network:partner_contact", args=[agreement.pk]))
    assert response.status_code == 200
    assert f"{CONTACT[0]} {CONTACT[1]}" in response.content.decode()
    viewed = ObjectChange.objects.filter(object_id=str(agreement.pk), action="view").get()
    assert viewed.user == jiujiang_user
    client.force_login(party_user)  # sees the partner, may not see personal data
    assert client.post(reverse("network:partner_contact", args=[agreement.pk])).status_code == 403


def test_the_migration_encrypts_the_contacts_already_stored(partners):
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("fucai.network.migrations.0006_partners")
    # the models as the migration sees them: contact_name still a plain text column
    apps = (
        MigrationLoader(connection).project_state(("network", "0002_personal_data_encrypted")).apps
    )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE network_partnerorganisation SET contact_name = %s", ["孙经理"])
    migration.encrypt_contacts(apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_name FROM network_partnerorganisation")
        assert all(value.startswith("gAAAA") for (value,) in cursor.fetchall())
    assert PartnerOrganisation.objects.get(pk=partners["jj"].pk).contact_name == "孙经理"


# -- CLI and API ---------------------------------------------------------------------------------
def test_the_cli_gives_each_partner_its_outlets_sales_since_opening_and_yoy(partners, tmp_path):
    out = io.StringIO()
    call_command("network", "partners", "--as-of", AS_OF, "--format", "json", stdout=out)
    data = {p["name"]: p for p in json.loads(out.getvalue())["partners"]}
    jj = data["测试浔城商业集团"]
    assert (jj["outlets"], jj["sales_fen"], jj["yoy_pct"]) == (2, 245_000_000, "-53.6")
    assert [o["sales_fen"] for o in jj["outlet_sales"]] == [235_000_000, 10_000_000]
    assert [o["yoy_pct"] for o in jj["outlet_sales"]] == ["-53.6", None]
    gz = data["测试赣南联姻集团"]
    assert (gz["outlets"], gz["sales_fen"], gz["yoy_pct"]) == (1, 12_345_678, None)
    path = tmp_path / "partners.xlsx"
    call_command(
        "network", "partners", "--as-of", AS_OF, "--format", "xlsx", "--out", str(path),
        stdout=io.StringIO(),
    )  # fmt: skip
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == ["测试浔城商业集团", "测试赣南联姻集团"]
    table = io.StringIO()
    call_command("network", "partners", "--as-of", AS_OF, stdout=table)
    assert "测试浔城商业集团" in table.getvalue() and "245.00" in table.getvalue()


def test_the_api_gives_a_partner_with_its_sites_agreements_and_outlets(
    client, partners, jiujiang_user
):
    client.force_login(jiujiang_user)
    data = client.get(f"/api/network/partners/{partners['jj'].pk}", {"as_of": AS_OF}).json()
    assert (data["outlets"], data["sales_fen"], data["yoy_pct"]) == (2, 245_000_000, "-53.6")
    assert [s["name"] for s in data["sites"]] == ["浔城广场"]
    assert data["agreements"][0]["ends_on"] == "2024-06-14"
    assert data["outlet_sales"][0]["prior"] == {"start": "2022-01-01", "end": "2022-09-03"}


def test_the_partner_pages_are_in_chinese_for_a_chinese_user(client, partners, jiujiang_user):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    detail = _get(client, jiujiang_user, "network:partner_detail", partners["jj"].pk, as_of=AS_OF)
    html = detail.content.decode()
    for words in (
        "合作协议",
        "与合作伙伴共建的网点",
        "开业以来销量",
        "合作场所",
        "签订日期",
        "万元",
    ):
        assert words in html, words
    for english in ("Outlets opened with the partner", "Agreements", "Sales since opening"):
        assert english not in html, english
    listing = _get(client, jiujiang_user, "network:partner_list", as_of=AS_OF).content.decode()
    assert "合作日期" in listing and "Partnered on" not in listing
