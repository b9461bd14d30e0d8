"""The cockpit drilled down (issue 8, item 7): `?city=` re-scopes cards, ranking, charts and
exports to one of the user's cities, `?county=` to the user's stations in one county, each with
a breadcrumb back; a place outside the user's scope reads as one that does not exist. On the
hand-worked facts of test_cockpit (赣州: 兴国县 36110214 30M instant + 170M kl8, 章贡区
36110001 100M instant; 九江: 400M)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fucai.sales.tests.test_cockpit import (
    AS_OF,
    CHARTS,
    YUAN,
    _card,
    _get,
    _sheet,
    _table,
    facts,  # noqa: F401 (the fixture)
)

GANZHOU, JIUJIANG = "360700", "360400"
XINGGUO, XUNYANG = "360732", "360403"  # a 赣州 county, a 九江 county

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("facts")]


def _main(response) -> str:
    """The page's content, without the per-request tokens of the top bar's forms."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def _figures(cards) -> list[tuple[int, int]]:
    return [
        (figures.amount_fen, figures.prior_amount_fen)
        for figures in (cards.total, cards.draw, cards.instant)
    ]


def test_a_ganzhou_user_asking_for_jiujiang_gets_the_answer_of_a_city_that_does_not_exist(
    client, ganzhou_user
):
    unseen = _get(client, ganzhou_user, city=JIUJIANG)
    missing = _get(client, ganzhou_user, city="369900")
    assert unseen.status_code == missing.status_code == 404
    assert _main(unseen).replace(JIUJIANG, "") == _main(missing).replace("369900", "")
    assert "九江" not in unseen.content.decode()
    assert _get(client, ganzhou_user, county=XUNYANG).status_code == 404
    assert _get(client, ganzhou_user, city=GANZHOU, county=XUNYANG).status_code == 404
    assert _get(client, ganzhou_user, city=JIUJIANG, export="ranking").status_code == 404
    for name in ("monthly", "games", "map"):
        assert _get(client, ganzhou_user, CHARTS[name], city=JIUJIANG).status_code == 403


def test_the_province_drilled_to_ganzhou_shows_the_ganzhou_users_own_figures(
    client, province_admin, ganzhou_user
):
    drilled = _get(client, province_admin, city=GANZHOU)
    assert drilled.status_code == 200
    own = _get(client, ganzhou_user)
    assert _figures(drilled.context["cards"]) == _figures(own.context["cards"])
    assert drilled.context["cards"].total.amount_fen == 300_000_000 * YUAN
    assert drilled.context["cards"].network.open_stations == (
        own.context["cards"].network.open_stations
    )
    assert drilled.context["cards"].market is None  # the Ministry's table is the province's
    html = drilled.content.decode()
    assert _card(html, "total") == _card(own.content.decode(), "total")
    assert _table(html, "ranking-table") == _table(own.content.decode(), "ranking-table")
    assert [row[1] for row in _table(html, "ranking-table")] == ["兴国县", "章贡区"]
    assert "九江" not in html.split('id="ranking-table"')[1].split("</table>")[0]
    crumbs = [(c.label, c.url) for c in drilled.context["board"].breadcrumb()]
    assert [label for label, _url in crumbs] == [province_admin.scope_label, "赣州市"]
    assert crumbs[0][1] == f"{reverse('sales:cockpit')}?as_of={AS_OF}&compare=calendar"
    assert 'id="cockpit-breadcrumb"' in html


def test_the_drilled_exports_and_charts_hold_the_drilled_city_only(
    client, province_admin, ganzhou_user
):
    rows = _sheet(_get(client, province_admin, city=GANZHOU, export="ranking"))
    assert [row[2] for row in rows[1:-1]] == ["兴国县", "章贡区"]
    for name in ("monthly", "games"):
        drilled = _get(client, province_admin, CHARTS[name], city=GANZHOU).json()
        assert drilled == _get(client, ganzhou_user, CHARTS[name]).json()
    drilled_map = _get(client, province_admin, CHARTS["map"], city=GANZHOU).json()
    assert (drilled_map["level"], drilled_map["city"]) == ("county", GANZHOU)


def test_the_ranking_by_city_links_each_city_to_its_drill_down(client, province_admin):
    html = _get(client, province_admin).content.decode()
    url = f"{reverse('sales:cockpit')}?as_of={AS_OF}&amp;compare=calendar&amp;city={GANZHOU}"
    assert f'href="{url}">赣州市</a>' in html


def test_a_county_lists_its_stations_ranked_each_linking_to_its_page(client, province_admin):
    response = _get(client, province_admin, city=GANZHOU, county=XINGGUO)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.grouping == "station"
    cards = response.context["cards"]
    assert (cards.total.amount_fen, cards.instant.amount_fen) == (
        200_000_000 * YUAN,
        30_000_000 * YUAN,
    )
    html = response.content.decode()
    assert _table(html, "ranking-table") == [
        ["1", "兴国县0214投注站", "20,000.00", "15,000.00", "+33.3%", "100.0%"]
    ]
    station_url = reverse("network:station_detail", args=["36110214"])
    assert f'href="{station_url}">兴国县0214投注站</a>' in html
    assert [c.label for c in board.breadcrumb()] == [province_admin.scope_label, "赣州市", "兴国县"]
    # the county's city is found from the county alone
    alone = _get(client, province_admin, county=XINGGUO)
    assert alone.context["cards"].total.amount_fen == 200_000_000 * YUAN


def test_every_card_of_the_row_speaks_one_unit(client, province_admin):
    html = _get(client, province_admin, city=GANZHOU, county=XINGGUO).content.decode()
    # the total is 2亿: the instant tickets' 3,000万 are 0.30亿 beside it, not 万元
    assert _card(html, "total").startswith("本年累计销量 2.00 亿元")
    assert _card(html, "instant").startswith("即开票销量 0.30 亿元")
    assert _card(html, "draw").startswith("电脑票销量 1.70 亿元")
    assert "万元" not in _card(html, "instant") + _card(html, "draw")


def test_the_presets_write_their_days_in_iso_in_english_as_in_chinese(client, province_admin):
    chinese = _get(client, province_admin).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("sales:cockpit"), {"as_of": AS_OF}).content.decode()
    assert "通报（2023-09-03）" in chinese and "最新（2023-09-04）" in chinese
    assert "Bulletin (2023-09-03)" in english and "Latest (2023-09-04)" in english
    assert "9/3/2023" not in english
