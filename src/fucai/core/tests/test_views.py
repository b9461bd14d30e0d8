"""The shell, the overview and the audit page through the Django test client."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fucai.core.models import ObjectChange
from fucai.network.models import Station

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def _sheet_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )


# --- shell --------------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("network:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_renders_in_chinese_and_logs_in(client, province_admin):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "登录" in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "province_admin", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_the_top_bar_shows_the_user_role_and_scope(client, network, ganzhou_user):
    html = _client(client, ganzhou_user).get(reverse("network:overview")).content.decode()
    assert "ganzhou_user" in html and "市级福彩机构" in html and "赣州市" in html
    assert 'action="/logout/"' in html and 'action="/i18n/setlang/"' in html


def test_the_menu_hides_import_from_non_editors(client, network, market_manager_user, ganzhou_user):
    def menu(user) -> list[str]:
        response = _client(client, user).get(reverse("network:overview"))
        return [item["name"] for group in response.context["nav_menu"] for item in group["items"]]

    assert menu(ganzhou_user) == [
        "network:overview",
        "network:station_list",
        "network:map",
        "network:import",
        "network:visit_list",
        "network:onboarding_overdue",
        "network:partner_list",
        "network:lead_list",
        "sales:cockpit",
        "sales:targets",
        "sales:import_list",
        "planning:blank_areas",
        "planning:scenario_list",
        "welfare:raised",
        "welfare:rate_list",
        "welfare:activity_list",
        "welfare:post_list",
        "welfare:map",
        "evaluation:home",
        "reports:home",
        "reports:packs",
        "core:audit",
    ]
    assert "network:import" not in menu(market_manager_user)
    html = client.get(reverse("network:overview")).content.decode()
    assert reverse("network:import") not in html


def test_chinese_is_the_default_and_english_is_one_click_away(client, network, province_admin):
    c = _client(client, province_admin)
    assert "在营站点" in c.get(reverse("network:overview")).content.decode()
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = c.get(reverse("network:overview")).content.decode()
    assert "Open stations" in html and "在营站点" not in html


def test_english_pages_name_the_scenes_in_english(client, network, province_admin):
    c = _client(client, province_admin)
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = c.get(reverse("network:station_list")).content.decode()
    assert "Shopping complex" in html and "Open" in html


# --- overview -----------------------------------------------------------------------------------


def test_the_overview_shows_the_province_figures_as_of_a_day(client, network, province_admin):
    response = _client(client, province_admin).get(
        reverse("network:overview"), {"as_of": "2023-09-03"}
    )
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.open_stations, summary.net_new_this_year, summary.opened_this_year) == (5, 3, 3)
    assert (summary.core_urban_new_this_year, summary.jobs_created_this_year) == (2, 6)
    assert [(g.name, g.open_stations) for g in summary.groups] == [("九江市", 2), ("赣州市", 3)]
    html = response.content.decode()
    assert '<div class="fc-card-value delta-up">+3</div>' in html
    assert "overview-chart-data" in html


def test_the_overview_defaults_to_the_last_recorded_day(client, network, province_admin):
    response = _client(client, province_admin).get(reverse("network:overview"))
    assert response.context["as_of"] == dt.date(2023, 6, 1)  # the 庐山 station opened last
    assert response.context["summary"].open_stations == 5


def test_an_invalid_as_of_falls_back_to_the_default(client, network, province_admin):
    response = _client(client, province_admin).get(
        reverse("network:overview"), {"as_of": "yesterday"}
    )
    assert response.context["as_of"] == dt.date(2023, 6, 1)


def test_a_city_user_sees_only_their_city_by_county(client, network, ganzhou_user):
    response = _client(client, ganzhou_user).get(
        reverse("network:overview"), {"as_of": "2023-09-03"}
    )
    summary = response.context["summary"]
    assert response.context["by"] == "county"
    assert summary.open_stations == 3 and summary.net_new_this_year == 2
    assert sorted(g.name for g in summary.groups) == ["兴国县", "瑞金市", "章贡区"]
    assert "九江" not in response.content.decode()


def test_the_overview_table_exports_to_excel(client, network, province_admin):
    response = _client(client, province_admin).get(
        reverse("network:overview"), {"as_of": "2023-09-03", "format": "xlsx"}
    )
    rows = _sheet_rows(response)
    assert rows[0][:3] == ("代码", "城市", "在营站点")
    assert [r[:3] for r in rows[1:]] == [
        ("360400", "九江市", 2),
        ("360700", "赣州市", 3),
        (None, "合计", 5),
    ]


def test_a_city_users_overview_export_has_only_their_city(client, network, jiujiang_user):
    response = _client(client, jiujiang_user).get(
        reverse("network:overview"), {"as_of": "2023-09-03", "format": "xlsx", "by": "city"}
    )
    assert [r[:3] for r in _sheet_rows(response)[1:]] == [
        ("360400", "九江市", 2),
        (None, "合计", 2),
    ]


# --- audit --------------------------------------------------------------------------------------


def test_the_audit_page_lists_changes_with_field_level_details(client, network, province_admin):
    station = Station.objects.get(code="36110214")
    station.name = "兴国县先锋投注站"
    station.save()
    response = _client(client, province_admin).get(reverse("core:audit"), {"action": "update"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "兴国县先锋投注站" in html and "<details" in html
    records = [row.record for row in response.context["table"].paginated_rows]
    assert records and all(r.action == "update" for r in records)


def test_a_city_user_sees_only_their_citys_audit_records(client, network, ganzhou_user):
    response = _client(client, ganzhou_user).get(reverse("core:audit"))
    records = [row.record for row in response.context["table"].paginated_rows]
    assert records
    assert all(r.city and r.city.code == "360700" for r in records)
    assert total_for(ganzhou_user) < ObjectChange.objects.count()


def total_for(user) -> int:
    return ObjectChange.objects.restrict(user).count()


def test_the_audit_export_is_scoped_and_filtered(client, network, jiujiang_user):
    response = _client(client, jiujiang_user).get(
        reverse("core:audit"), {"format": "xlsx", "object_repr": "3604"}
    )
    rows = _sheet_rows(response)[1:]
    assert rows and all("3604" in r[5] for r in rows)
    assert not any("3611" in (r[5] or "") for r in rows)
    expected = (
        ObjectChange.objects.restrict(jiujiang_user).filter(object_repr__contains="3604").count()
    )
    assert len(rows) == expected


def test_an_english_browser_still_gets_chinese_until_the_user_switches(
    client, network, province_admin
):
    c = _client(client, province_admin)
    html = c.get(
        reverse("network:overview"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert "在营站点" in html


def test_figures_are_written_with_thousands_separators_and_signs():
    from fucai.core.templatetags.fucai_ui import sign_class, signed, thousands

    assert (thousands(5706), signed(876), signed(-1012), signed(0)) == (
        "5,706",
        "+876",
        "-1,012",
        "0",
    )
    assert (sign_class(876), sign_class(-3), sign_class(0)) == (
        "delta-up",
        "delta-down",
        "delta-flat",
    )


def test_an_owner_whose_station_changed_long_ago_still_sees_the_latest_day(
    client, network, owner_user
):
    response = _client(client, owner_user).get(reverse("network:overview"))
    assert response.context["as_of"] == dt.date(2023, 6, 1)  # not 2022-05-01, their own last change
    summary = response.context["summary"]
    assert (summary.open_stations, [g.name for g in summary.groups]) == (1, ["兴国县"])
