"""The bulletin's numbers and sentence templates, without the demo: how figures are written,
which templates are refused, and that a sentence whose fact is absent is not written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from fucai.reports import numbers as N
from fucai.reports.facts import Fact
from fucai.reports.forms import BulletinSentenceForm
from fucai.reports.models import BulletinSentence
from fucai.reports.sentences import condition_errors, render, template_errors


def test_money_is_written_from_fen_exactly_in_yi_and_wan():
    assert N.yi_text(260_600_000_000) == "26.06"
    assert N.yi_text(57_500_000_000) == "5.75"
    assert N.yi_text(260_550_000_000) == "26.06"  # half up, exactly (no float)
    assert N.wan_text(32_720_000) == "32.72"
    assert N.fen_in_wan(6_305_503_900) == Decimal("6305.5039")


def test_percentages_have_one_decimal_and_a_change_says_its_direction():
    assert N.pct_text("26.55") == "26.6%"
    assert N.change_text("26.6") == "增幅26.6%"
    assert N.change_text("-3.25") == "降幅3.3%"
    assert N.change_text("0.04") == "持平"
    assert N.count_change_text(876) == "增加876个"
    assert N.count_change_text(-12) == "减少12个"


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (112, 1, "100余"),
        (1845, 1, "1000余"),
        (1000, 1, "1000"),  # the round figure itself: no 余
        (Decimal("6305.5039"), 1, "6000余"),
        (Decimal("32.72"), 1, "30余"),
        (Decimal("1537.2"), 2, "1500余"),
        (123, 2, "120余"),
        (7, 1, "7"),
        (Decimal("7.5"), 1, "7.5"),  # below 10 a round figure says too little: two decimals
        (Decimal("1.19"), 1, "1.19"),
        (Decimal("0.615"), 1, "0.62"),
    ],
)
def test_over_cuts_down_to_significant_digits_and_says_yu_only_when_larger(value, digits, text):
    assert N.over_text(value, digits) == text


FACTS = {
    "area": Fact("area", "全省", text="全省"),
    "jobs_created": Fact("jobs_created", 1845, "人", "1845"),
    "instant_record": Fact("instant_record", False, text=""),
}


def test_a_sentence_is_written_only_when_its_facts_and_conditions_hold():
    assert render("{area}新增就业{jobs_created:余1}人。", "", FACTS) == "全省新增就业1000余人。"
    assert render("{area}新增就业{jobs_created}人。", "", FACTS) == "全省新增就业1845人。"
    assert render("{area}销量{sales_yi}亿元。", "", FACTS) is None  # no sales fact: omitted
    assert render("创历史新高。", "instant_record", FACTS) is None  # the analytics deny it
    assert render("{area}。", "not instant_record", FACTS) == "全省。"
    assert render("{area}。", "rank_up", FACTS) is None  # no Ministry table: no rank claim
    nothing = {**FACTS, "jobs_created": Fact("jobs_created", 0, "人", "0")}
    assert render("{area}新增就业{jobs_created:余1}人。", "", nothing) is None  # not "0人"


def test_an_unknown_field_a_field_of_another_section_or_a_bad_format_is_refused():
    assert template_errors("{sales_yi}亿元", "sales") == []
    [error] = template_errors("{sales_yuan}亿元", "sales")
    assert "{sales_yuan}" in error and "sales_yi" in error
    [other] = template_errors("{stations_open}个", "sales")  # a network field in sales
    assert "{stations_open}" in other and "二、网点建设" in other
    [brace] = template_errors("{sales_yi亿元。", "sales")
    assert "{{" in brace and "expected" not in brace  # said in the user's words, not Python's
    [conversion] = template_errors("{sales_yi!r}", "sales")
    assert "!r" in conversion and "braces" not in conversion
    assert template_errors("{sales_yi:.3f}", "sales")
    assert template_errors("{area:余1}", "sales")  # 余 only after a number
    assert template_errors("{sales_yi!r}", "sales")
    assert template_errors("{sales_yi.real}", "sales")
    assert template_errors("{sales_yi", "sales")
    assert template_errors("{instant_record}", "sales")  # a condition, not a figure
    assert condition_errors("rank_up not instant_record", "sales") == []
    assert condition_errors("sales_yi", "sales")
    assert condition_errors("not", "sales")


@pytest.mark.django_db
def test_the_shipped_sentences_are_loaded_and_every_one_is_valid():
    rows = list(BulletinSentence.objects.filter(language="zh-hans"))
    assert {r.key for r in rows} >= {"sales_total", "stations", "branch_meetings", "vanguard"}
    for row in rows:
        assert template_errors(row.template, row.section) == [], row.key
        assert condition_errors(row.condition, row.section) == [] or not row.condition, row.key
        assert row.default_template == row.template


@pytest.mark.django_db
def test_an_edit_naming_an_unknown_field_is_refused_with_the_fields_it_may_use():
    sentence = BulletinSentence.objects.get(key="jobs", language="zh-hans")
    data = {"template": "新增就业{jobs}人。", "condition": "", "paragraph": 1, "order": 30}
    form = BulletinSentenceForm(data, instance=sentence)
    assert not form.is_valid()
    assert "{jobs}" in str(form.errors["template"])  # named, with the fields it may use
    edited = {**data, "template": "新增{jobs_created:余1}人。"}
    good = BulletinSentenceForm(edited, instance=sentence)
    assert good.is_valid()
    good.save()
    sentence.refresh_from_db()
    assert sentence.template == "新增{jobs_created:余1}人。"


@pytest.mark.django_db
def test_only_the_provinces_editors_edit_the_wording(client, province_admin, ganzhou_user):
    sentence = BulletinSentence.objects.get(key="jobs", language="zh-hans")
    url = reverse("reports:sentence_edit", args=[sentence.pk])
    client.force_login(ganzhou_user)
    assert client.get(reverse("reports:sentences")).status_code == 403
    assert client.post(url, {"template": "x"}).status_code == 403
    client.force_login(province_admin)
    page = client.get(reverse("reports:sentences"))
    assert page.status_code == 200 and "jobs_created" in page.content.decode()
    refused = client.post(url, {"template": "{nope}", "paragraph": 1, "order": 1})
    assert refused.status_code == 400 and "{nope}" in refused.content.decode()
    saved = client.post(
        url, {"template": "新增就业{jobs_created}人。", "paragraph": 1, "order": 1, "enabled": "on"}
    )
    assert saved.status_code == 302
