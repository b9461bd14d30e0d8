"""The bulletin written from the demo (built once for the module): as of 2023-09-03 the seed's
own sentences and figures, sentence by sentence; on other days every figure is what the modules'
commands report for that day, and no record or rank claim the analytics deny; a city's bulletin
holds only that city."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from fucai.core.management.commands.demo import wipe_demo
from fucai.core.models import ObjectChange
from fucai.network.tests.test_demo import run_demo
from fucai.reports import numbers as N
from fucai.reports.bulletin import build_bulletin
from fucai.reports.facts import ScopeNotFound
from fucai.sales.money import yuan_to_fen

SEED_DAY = dt.date(2023, 9, 3)
CITIES = (
    "南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭", "赣州", "吉安", "宜春", "抚州", "上饶",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (network, users, sales, Party work, welfare) built once for the module, its
    sales store in a temporary directory; removed again when the module is done."""
    data_dir = tmp_path_factory.mktemp("demo-bulletin")
    with override_settings(DATA_DIR=data_dir), django_db_blocker.unblock():
        last_change = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        run_demo()
        yield SimpleNamespace(data_dir=data_dir)
        wipe_demo()
        ObjectChange.objects.filter(pk__gt=last_change).delete()


@pytest.fixture
def demo_db(demo, db):
    return demo


def command_json(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def user(name: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


# -- the seed day -------------------------------------------------------------------------------
SEED_SENTENCES = (
    # (the seed's words, traditional characters turned simplified, as fucai writes them)
    "全省福利彩票销量26.06亿元，同比增幅26.6%",
    "即开票销量5.75亿元，同比增幅116.9%，创历史新高",
    "全省站点总数达5706个，较年初增加876个",
    "在各地商业综合体、繁华商圈、文旅街区等城市核心区域建设新渠道网点145个",
    "为社会新增就业人员1000余人",
    "动员全市433名党员干部与福彩站点结对子",
    "安排30余万福彩公益金资助困难家庭330户",
    "建设福彩销售网点15个",
    "全省有党员业主100余名",
    "站点累计销量6000余万元",
    "抚州市新增网点98个，增设“临川四梦”即开型彩票固定宣传销售亭14个，建成福彩公益驿站65个",
    "省中心召开党员大会6次、支委会议20次、党小组会议15次，中心领导讲党课5次",
    "实现“全国排名有进位、市场份额有提升”",
)


def test_the_province_bulletin_of_3_september_2023_writes_the_seeds_sentences(demo_db):
    text = build_bulletin(SEED_DAY, "province").text()
    missing = [s for s in SEED_SENTENCES if s not in text]
    assert missing == [], text
    assert "截至9月3日，全省福利彩票销量26.06亿元，同比增幅26.6%。其中，即开票销量5.75亿元" in text
    assert "吉安市动员全市433名党员干部" in text
    assert "赣州市福彩机构安排30余万" in text


def test_the_partner_sentence_names_jiujiangs_partner_and_states_over_1500_wan(demo_db):
    doc = build_bulletin(SEED_DAY, "province")
    sentence = next(p for s in doc.sections for p in s.paragraphs if "联姻" in p)
    assert sentence.startswith("九江市福彩机构与")
    # the seed's words: the demo's partner outlets sold 1,576万元 since opening (all in 2023)
    assert "建设福彩销售网点15个，新增销量1500余万元。" in sentence
    assert doc.facts["partner_sales_wan"]["text"] == "1576.43"


def test_the_seed_days_facts_are_the_modules_figures(demo_db):
    facts = build_bulletin(SEED_DAY, "province").facts
    assert facts["sales_yi"]["text"] == "26.06" and facts["instant_record"]["value"] is True
    from fucai.party.vanguard_posts import vanguard_posts

    posts = vanguard_posts(user("party"), SEED_DAY)  # the vanguard page's figures
    assert facts["vanguard_owners"]["value"] == posts.owners == 112
    assert facts["vanguard_sales_wan"]["value"] == str(N.fen_in_wan(posts.total_fen))
    assert posts.total_fen > 60_000_000_00
    assert facts["grants_households"]["value"] == 330
    assert facts["grants_paid_wan"]["text"] == "32.72"
    assert facts["pairing_cadres_year"]["value"] == 433 and facts["pairing_cadres"]["value"] == 426
    assert facts["jobs_created"]["value"] == 1845 and facts["welfare_posts_open"]["value"] == 82


# -- any other day: the commands' figures ------------------------------------------------------
@pytest.mark.parametrize("day", ["2023-06-30", "2022-12-31"])
def test_every_figure_is_what_the_commands_report_for_the_day(demo_db, day):
    as_of = dt.date.fromisoformat(day)
    doc = build_bulletin(as_of, "province")
    text, facts = doc.text(), doc.facts
    sales = command_json("sales", "summary", "--as-of", day)
    total, instant = sales["total"], sales["by_category"]["instant"]
    sales_yi = N.yi_text(yuan_to_fen(total["amount_yuan"]))
    assert f"全省福利彩票销量{sales_yi}亿元，同比{N.change_text(total['yoy_pct'])}" in text
    instant_yi = N.yi_text(yuan_to_fen(instant["amount_yuan"]))
    assert f"即开票销量{instant_yi}亿元，同比{N.change_text(instant['yoy_pct'])}" in text
    assert ("创历史新高" in text) == (total["record_high"] or instant["record_high"])
    network = command_json("network", "summary", "--as-of", day)
    change = N.count_change_text(network["net_new_this_year"])
    assert f"全省站点总数达{network['open_stations']}个，较年初{change}" in text
    assert f"新渠道网点{network['core_urban_new_this_year']}个" in text
    assert f"就业人员{N.over_text(network['jobs_created_this_year'])}人" in text
    share = command_json("sales", "market-share", "--as-of", day)
    gained = share["rank_change"] > 0 and float(share["share_change_points"]) > 0
    assert ("全国排名有进位、市场份额有提升" in text) == gained
    assert f"全国排名第{share['national_rank']}位" in text
    raised = command_json("welfare", "raised", "--as-of", day)
    assert f"筹集公益金{N.yi_text(raised['fund_fen'])}亿元" in text
    assert facts["stations_open"]["value"] == network["open_stations"]


def test_on_30_june_2023_the_branch_and_pairings_are_the_party_commands_figures(demo_db):
    text = build_bulletin(dt.date(2023, 6, 30), "province").text()
    life = command_json("party", "compliance", "--year", "2023", "--as-of", "2023-06-30")
    branch = next(b for b in life["branches"] if b["code"] == "DZ360000")
    held = {t["type"]: t["held"] for t in branch["types"]}
    assert f"召开党员大会{held['member_assembly']}次、支委会议{held['committee']}次" in text
    grants = command_json("welfare", "grants", "--as-of", "2023-06-30", "--city", "赣州")
    assert f"困难家庭{grants['households']}户" in text


def test_on_31_december_2022_no_rank_claim_and_no_record_are_written(demo_db):
    text = build_bulletin(dt.date(2022, 12, 31), "province").text()
    assert "有进位" not in text and "创历史新高" not in text
    assert "市场份额36.3%（上年同期42.6%），全国排名第12位（上年同期第13位）" in text


# -- a city's bulletin --------------------------------------------------------------------------
def test_a_ganzhou_users_bulletin_has_only_ganzhous_figures(demo_db):
    ganzhou = user("ganzhou")
    doc = build_bulletin(SEED_DAY, None, ganzhou)
    assert doc.scope_name == "赣州市" and doc.title == "赣州市福利彩票工作简报"
    text = doc.text()
    others = [c for c in CITIES if c != "赣州" and c in text]
    assert others == [], text
    sales = command_json("sales", "summary", "--as-of", "2023-09-03", "--user", "ganzhou")
    assert f"全市福利彩票销量{N.yi_text(yuan_to_fen(sales['total']['amount_yuan']))}亿元" in text
    network = command_json("network", "summary", "--as-of", "2023-09-03", "--user", "ganzhou")
    assert f"全市站点总数达{network['open_stations']}个" in text
    assert "全国排名" not in text  # the Ministry's table ranks provinces, not cities
    assert [row[0] for row in doc.table.rows][:1] and all(
        not any(c in row[0] for c in CITIES if c != "赣州") for row in doc.table.rows
    )


def test_a_ganzhou_user_asking_for_jiujiang_or_the_province_is_told_nothing(demo_db):
    ganzhou = user("ganzhou")
    for scope in ("360400", "九江", "province", "no-such-city"):
        with pytest.raises(ScopeNotFound):
            build_bulletin(SEED_DAY, scope, ganzhou)


def test_the_reports_page_previews_ganzhous_bulletin_and_hides_jiujiangs(demo_db, client):
    client.force_login(user("ganzhou"))
    page = client.get(reverse("reports:home"), {"as_of": "2023-09-03"})
    body = page.content.decode()
    assert page.status_code == 200 and "全市站点总数达" in body and "九江" not in body
    other = client.get(reverse("reports:home"), {"as_of": "2023-09-03", "scope": "360400"})
    missing = client.get(reverse("reports:home"), {"as_of": "2023-09-03", "scope": "999999"})
    assert other.status_code == missing.status_code == 404
    # the same page but for the address it echoes (the language form's "next")
    assert unmasked(other, "360400") == unmasked(missing, "999999")


def unmasked(response, asked: str) -> str:
    """The page without its CSRF tokens (masked afresh in every response) and the scope asked."""
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return body.replace(asked, "SCOPE")


def test_the_command_writes_the_text_and_refuses_another_citys_scope(demo_db):
    out = io.StringIO()
    call_command("report", "bulletin", "--as-of", "2023-09-03", "--scope", "360700", stdout=out)
    assert "赣州市福利彩票工作简报" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such scope"):
        call_command(
            "report", "bulletin", "--as-of", "2023-09-03", "--scope", "九江", "--user", "ganzhou"
        )


def test_an_admins_edit_of_the_wording_changes_the_bulletin_without_code(demo_db):
    from fucai.reports.models import BulletinSentence

    BulletinSentence.objects.filter(key="jobs").update(
        template="新开站点带动就业{jobs_created:余2}人。"
    )
    BulletinSentence.objects.filter(key="vanguard").update(enabled=False)
    text = build_bulletin(SEED_DAY, "province").text()
    assert "新开站点带动就业1800余人。" in text  # 1,845 jobs, two significant digits
    assert "党员业主" not in text


def test_a_day_outside_the_sales_data_is_moved_into_them_on_the_page_the_command_and_downloads(
    demo_db, client
):
    from docx import Document

    future = build_bulletin(dt.date(2030, 1, 1), "province")
    assert future.as_of == dt.date(2023, 12, 31) and "2023-12-31" in future.notice
    past = build_bulletin(dt.date(2001, 1, 1), "province")
    assert past.as_of == dt.date(2021, 1, 1) and "2021-01-01" in past.notice
    assert "0万元" not in past.text() and "站点总数达0个" not in past.text()
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "report", "bulletin", "--as-of", "2027-06-01", "--format", "text", stdout=out, stderr=err
    )
    assert "2023年12月31日" in out.getvalue() and "2023-12-31" in err.getvalue()
    client.force_login(user("jiujiang"))
    response = client.get(
        reverse("reports:bulletin_docx"), {"as_of": "2030-01-01", "scope": "360400"}
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "2023年12月31日" in text and "2030" not in text


def test_a_market_manager_on_the_command_line_is_told_their_role_holds_no_scope(demo_db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="您的角色两者都不包括"):
        call_command("report", "bulletin", "--as-of", "2023-09-03", "--user", "manager")
