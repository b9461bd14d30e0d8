"""Party-member vanguard posts (党员先锋示范岗): consent with its date, revocable; one definition
of who is one on a day; the pages, export, map and API for Party affairs; and, for everyone
else, a Party member who did not consent is never told apart from any other owner — not in the
station list's filter, its Excel export, the station API, the station page, the analytics'
groups nor the station import."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.core.testing.matrix import workbook_text
from fucai.network.models import Station, StationAssignment, StationOwner
from fucai.party.models import Branch, VanguardConsent
from fucai.party.vanguard import (
    ConsentRefused,
    record_consent,
    revoke_consent,
    vanguard_q,
)
from fucai.sales.ingest.importer import import_files

AS_OF = dt.date(2023, 9, 3)
FACTS = [
    ["36110214", "2023-02-10", "ssq", "120000.00", "10"],  # the consenting member's station
    ["36110214", "2023-08-20", "instant", "30000.00", "10"],
    ["36110214", "2022-08-20", "ssq", "999999.00", "10"],  # last year: not in the window
    ["36110001", "2023-05-01", "ssq", "70000.00", "10"],  # the non-consenting member's
    ["36110002", "2023-05-01", "ssq", "5000.00", "10"],
    ["36040001", "2023-05-01", "ssq", "40000.00", "10"],
]


@pytest.fixture
def posts(network, ganzhou, jiujiang, store, write_csv, settings):
    """36110214's owner consented on 2022-07-01; 36110001's owner (赣州) is a Party member who
    did not consent; both stations are the market manager's. One sale per station."""
    settings.ANALYTICS_RECHECK_SECONDS = 0
    assert import_files(
        [write_csv("facts.csv", FACTS)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    Branch.objects.create(code="DZ360700", name="赣州测试党支部", city=ganzhou)
    Branch.objects.create(code="DZ360400", name="九江测试党支部", city=jiujiang)
    veteran = network["veteran"]
    consent = VanguardConsent.objects.create(owner=veteran, given_on=dt.date(2022, 7, 1))
    hidden = StationOwner.objects.create(name="测试业主丁", city=ganzhou, is_party_member=True)
    zhanggong = network["stations"]["zhanggong"]
    zhanggong.owner = hidden
    zhanggong.save()
    StationAssignment.objects.create(
        station=zhanggong,
        territory=network["territory"],
        manager=network["manager"],
        valid_from=dt.date(2021, 1, 1),
    )
    return {"consent": consent, "veteran": veteran, "hidden": hidden}


@pytest.fixture
def ganzhou_party(ganzhou):
    return make_user("gz_party", Role.PARTY, city=ganzhou)


def _get(client, user, name, path=None, **query):
    client.force_login(user)
    return client.get(reverse(name, kwargs=path), query)


# -- the one definition, consent and revocation --------------------------------------------------


def test_an_owner_is_a_vanguard_from_the_day_consent_is_given_until_the_day_it_is_revoked(posts):
    veteran = posts["veteran"]
    posts["consent"].revoked_on = dt.date(2023, 3, 1)
    posts["consent"].save()

    def on(day):
        return StationOwner.objects.filter(vanguard_q(day), pk=veteran.pk).exists()

    assert [on(dt.date(2022, 6, 30)), on(dt.date(2022, 7, 1)), on(dt.date(2023, 2, 28))] == [
        False,
        True,
        True,
    ]
    assert on(dt.date(2023, 3, 1)) is False
    assert not StationOwner.objects.filter(vanguard_q(AS_OF), pk=posts["hidden"].pk).exists()


def test_recording_and_revoking_keep_the_owners_current_flag_in_step(posts, party_user):
    hidden = posts["hidden"]
    consent = record_consent(hidden, dt.date(2023, 1, 5), party_user, "书面同意")
    hidden.refresh_from_db()
    assert hidden.party_consent and hidden.is_party_vanguard
    assert consent.recorded_by == party_user
    revoke_consent(consent, dt.date.today(), party_user, "本人撤回")
    hidden.refresh_from_db()
    assert hidden.party_consent is False
    assert VanguardConsent.objects.get(pk=consent.pk).note == "书面同意；本人撤回"


def test_only_a_party_member_can_consent_and_not_twice_nor_in_the_future(posts, party_user):
    stranger = StationOwner.objects.create(name="测试业主戊", city=posts["hidden"].city)
    with pytest.raises(ConsentRefused):
        record_consent(stranger, dt.date(2023, 1, 1), party_user)
    with pytest.raises(ConsentRefused):
        record_consent(posts["veteran"], dt.date(2023, 1, 1), party_user)
    with pytest.raises(ConsentRefused):
        record_consent(posts["hidden"], dt.date.today() + dt.timedelta(days=1), party_user)
    assert VanguardConsent.objects.count() == 1


# -- a market manager: the non-consenting member is an owner like any other ----------------------


def test_a_market_manager_filtering_party_member_owners_gets_only_the_consenting_one(
    client, posts, market_manager_user
):
    yes = _get(client, market_manager_user, "network:station_list", party_owner="true")
    no = _get(client, market_manager_user, "network:station_list", party_owner="false")
    assert "36110214" in yes.content.decode() and "36110001" not in yes.content.decode()
    assert "36110001" in no.content.decode() and "36110214" not in no.content.decode()


def test_party_affairs_filtering_party_member_owners_gets_every_member(
    client, posts, ganzhou_party
):
    html = _get(client, ganzhou_party, "network:station_list", party_owner="true").content.decode()
    assert "36110214" in html and "36110001" in html


def _export_rows(client, user) -> dict[str, dict[str, str]]:
    response = _get(client, user, "network:station_list", format="xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["站点"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}


def test_a_market_managers_excel_export_shows_party_identity_only_with_consent(
    client, posts, market_manager_user
):
    rows = _export_rows(client, market_manager_user)
    assert sorted(rows) == ["36110001", "36110214"]
    assert (rows["36110214"]["是否党员"], rows["36110214"]["是否同意公开党员身份"]) == ("是", "是")
    assert (rows["36110001"]["是否党员"] or "", rows["36110001"]["是否同意公开党员身份"] or "") == (
        "",
        "",
    )


def test_the_station_api_says_vanguard_only_for_the_consenting_owner(
    client, posts, market_manager_user
):
    client.force_login(market_manager_user)
    members = client.get("/api/network/stations", {"party_member": "true"}).json()
    others = client.get("/api/network/stations", {"party_member": "false"}).json()
    assert [s["code"] for s in members["items"]] == ["36110214"]
    assert [s["code"] for s in others["items"]] == ["36110001"]
    detail = client.get("/api/network/stations/36110001").json()
    assert detail["owner"]["party_vanguard"] is False
    assert "is_party_member" not in detail["owner"]


def test_the_station_page_shows_the_badge_for_the_consenting_owner_only(
    client, posts, market_manager_user
):
    vanguard = _get(client, market_manager_user, "network:station_detail", {"code": "36110214"})
    hidden = _get(client, market_manager_user, "network:station_detail", {"code": "36110001"})
    assert 'id="vanguard-badge"' in vanguard.content.decode()
    assert 'id="vanguard-badge"' not in hidden.content.decode()
    assert "党员" not in hidden.content.decode().split('id="owner"')[-1][:2000]


def test_the_analytics_party_group_holds_the_consenting_owners_stations_only(
    posts, market_manager_user
):
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.runners import YearToDateRunner
    from fucai.analytics.scope import Scope

    ytd = YearToDateRunner(AnalyticsContext.current(), Scope.for_user(market_manager_user))
    groups = {g.key: g.amount_fen for g in ytd.run(AS_OF, by="party_member").groups}
    assert groups == {"yes": 150_000_00, "no": 70_000_00}


def test_the_station_import_keeps_a_hidden_membership_and_tells_nothing_of_it(posts, ganzhou_user):
    from fucai.network.exports import stations_export
    from fucai.network.imports.stations import import_stations

    stations = Station.objects.restrict(ganzhou_user).filter(code="36110001")
    content = stations_export(stations, user=ganzhou_user).content
    result = import_stations(io.BytesIO(content), "stations.xlsx", ganzhou_user, dry_run=False)
    assert result.ok and (result.updated, result.unchanged) == (0, 1)
    posts["hidden"].refresh_from_db()
    assert posts["hidden"].is_party_member is True


def test_the_station_import_refuses_to_set_consent(posts, ganzhou_user):
    from fucai.network.exports import stations_workbook
    from fucai.network.imports.stations import import_stations

    stations = Station.objects.filter(code="36110001")
    workbook = stations_workbook(stations, user=ganzhou_user)
    sheet = workbook["站点"]
    column = [c.value for c in sheet[1]].index("是否同意公开党员身份") + 1
    sheet.cell(row=2, column=column, value="是")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = import_stations(buffer, "stations.xlsx", ganzhou_user, dry_run=True)
    assert [e.column for e in result.errors] == ["是否同意公开党员身份"]


# -- the pages and the API -----------------------------------------------------------------------


def test_party_affairs_see_the_vanguard_posts_with_their_sales_and_total(
    client, posts, ganzhou_party
):
    response = _get(client, ganzhou_party, "party:vanguard_list", as_of="2023-09-03")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="36110214"' in html and 'data-code="36110001"' not in html
    assert "2022-07-01" in html and "测****" in html and "测试业主甲" not in html
    assert 'id="vanguard-total">15.00<' in html  # 150,000 yuan in 10,000 yuan


def test_the_vanguard_excel_holds_the_posts_masked_and_the_sales(client, posts, ganzhou_party):
    response = _get(client, ganzhou_party, "party:vanguard_list", as_of="2023-09-03", format="xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "36110214" and rows[1][4] == "测****"
    assert rows[1][5].date() == dt.date(2022, 7, 1) and float(rows[1][6]) == 150000.0


def test_the_map_and_the_api_list_the_posts(client, posts, ganzhou_party):
    rows = _get(client, ganzhou_party, "party:vanguard_map", as_of="2023-09-03").json()
    assert [r[2] for r in rows["posts"]] == ["36110214"]
    data = client.get("/api/party/vanguard", {"as_of": "2023-09-03"}).json()
    assert (data["stations"], data["owners"], data["total_yuan"]) == (1, 1, "150000.00")
    assert data["posts"][0]["owner"] == "测****"


def test_a_market_manager_gets_403_from_every_vanguard_page_and_the_api(
    client, posts, market_manager_user
):
    client.force_login(market_manager_user)
    pk = posts["consent"].pk
    answers = [
        client.get(reverse("party:vanguard_list")).status_code,
        client.get(reverse("party:vanguard_map")).status_code,
        client.get(reverse("party:vanguard_consent_new")).status_code,
        client.post(reverse("party:vanguard_consent_revoke", args=[pk]), {}).status_code,
        client.get("/api/party/vanguard").status_code,
    ]
    assert answers == [403, 403, 403, 403, 403]


def test_recording_a_consent_through_the_page_shows_the_post(client, posts, ganzhou_party):
    client.force_login(ganzhou_party)
    form = client.get(reverse("party:vanguard_consent_new")).content.decode()
    assert "测**** · 36110001" in form and "36110214" not in form  # only members without consent
    response = client.post(
        reverse("party:vanguard_consent_new"),
        {"owner": posts["hidden"].pk, "given_on": "2023-04-01", "note": ""},
    )
    assert response.status_code == 302
    html = _get(client, ganzhou_party, "party:vanguard_list", as_of="2023-09-03").content.decode()
    assert 'data-code="36110001"' in html


def test_revoking_hides_the_badge_from_that_moment(
    client, posts, ganzhou_party, market_manager_user
):
    client.force_login(ganzhou_party)
    today = dt.date.today().isoformat()
    url = reverse("party:vanguard_consent_revoke", args=[posts["consent"].pk])
    assert client.post(url, {"revoked_on": today}).status_code == 302
    page = _get(client, market_manager_user, "network:station_detail", {"code": "36110214"})
    assert 'id="vanguard-badge"' not in page.content.decode()
    listed = _get(client, market_manager_user, "network:station_list", party_owner="true")
    assert "36110214" not in listed.content.decode()


def test_jiujiangs_party_affairs_cannot_revoke_a_ganzhou_consent(client, posts, jiujiang):
    jj_party = make_user("jj_party", Role.PARTY, city=jiujiang)
    client.force_login(jj_party)
    url = reverse("party:vanguard_consent_revoke", args=[posts["consent"].pk])
    assert client.post(url, {"revoked_on": "2023-09-01"}).status_code == 404
    assert VanguardConsent.objects.get(pk=posts["consent"].pk).revoked_on is None


def test_a_market_managers_audit_trail_holds_no_change_of_the_hidden_members_record(
    client, posts, market_manager_user
):
    from fucai.core.models import ObjectChange

    hidden = posts["hidden"]
    assert ObjectChange.objects.filter(object_id=str(hidden.pk), object_type__model="stationowner")
    seen = ObjectChange.objects.restrict(market_manager_user).filter(
        object_type__model="stationowner", object_id=str(hidden.pk)
    )
    assert not seen.exists()
    html = _get(client, market_manager_user, "core:audit").content.decode()
    assert "测试业主丁" in html  # the station's own change: its owner, by name
    assert '<td class="fc-muted">党员</td>' not in html  # no owner's flags
    assert '<td class="fc-muted">同意公开党员身份</td>' not in html


def test_a_city_agencys_audit_trail_excel_and_api_hold_no_owners_party_flags(
    client, posts, ganzhou_user
):
    html = _get(client, ganzhou_user, "core:audit").content.decode()
    assert "测试业主丁" in html  # the owner's records are there ...
    assert '<td class="fc-muted">党员</td>' not in html  # ... without the Party-member flags
    assert '<td class="fc-muted">同意公开党员身份</td>' not in html
    xlsx = _get(client, ganzhou_user, "core:audit", format="xlsx").content
    assert "党员" not in workbook_text(xlsx)
    changes = client.get("/api/audit/changes", {"object_type": "network.stationowner"}).json()
    assert changes["items"] and not any(
        {"is_party_member", "party_consent"} & set(c["changes"]) for c in changes["items"]
    )


def test_party_affairs_read_the_owners_party_flags_in_the_trail(client, posts, party_user):
    html = _get(client, party_user, "core:audit").content.decode()
    assert '<td class="fc-muted">党员</td>' in html
