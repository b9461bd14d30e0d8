"""The compliance checker on hand-made records: met, missing, due next, quarter and month rules,
a year-end day, a day long before the year, a branch's own stricter rule."""

from __future__ import annotations

import datetime as dt

import pytest

from fucai.party.compliance import compliance, is_met, periods
from fucai.party.models import Branch, ComplianceRule, Meeting

D = dt.date


@pytest.fixture
def branch(db):
    return Branch.objects.create(code="T000", name="测试党支部")


def hold(branch, kind: str, *days: str) -> None:
    for day in days:
        Meeting.objects.create(
            branch=branch, meeting_type=kind, held_on=D.fromisoformat(day), topic="测试"
        )


def by_type(branch, year, as_of):
    return {item.type: item for item in compliance(branch, year, as_of)}


def test_a_period_is_met_with_at_least_the_required_number():
    assert is_met(1, 1) and is_met(3, 2) and not is_met(0, 1) and not is_met(1, 2)


def test_a_year_has_12_months_4_quarters_and_the_last_quarter_ends_on_31_december():
    assert len(periods(2023, "month")) == 12
    quarters = periods(2023, "quarter")
    assert [q.key for q in quarters] == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
    assert quarters[3].end == D(2023, 12, 31)
    assert periods(2024, "month")[1].end == D(2024, 2, 29)


def test_committee_meetings_in_every_month_but_april_flag_april_only(branch):
    hold(branch, "committee", "2023-01-10", "2023-02-10", "2023-03-10", "2023-05-10")
    hold(branch, "committee", "2023-06-10", "2023-06-20")
    item = by_type(branch, 2023, D(2023, 7, 15))["committee"]
    assert item.required == 6  # January to June have ended
    assert item.held == 6
    assert item.missing_periods == ["2023-04"]
    assert item.due.key == "2023-07" and item.due_remaining == 1
    assert item.due.end == D(2023, 7, 31)


def test_a_quarter_rule_counts_quarters_not_months(branch):
    hold(branch, "member_assembly", "2023-02-01", "2023-03-01", "2023-07-01")
    item = by_type(branch, 2023, D(2023, 9, 3))["member_assembly"]
    assert item.required == 2  # Q1 and Q2 have ended
    assert item.held == 3
    assert item.missing_periods == ["2023-Q2"]
    assert item.due is None  # Q3 already has its assembly


def test_on_31_december_every_period_of_the_year_has_ended(branch):
    hold(branch, "lecture", "2023-03-01", "2023-06-01", "2023-09-01", "2023-12-31")
    items = by_type(branch, 2023, D(2023, 12, 31))
    assert items["lecture"].required == 4
    assert items["lecture"].missing_periods == []
    assert items["lecture"].due is None
    assert items["theme_day"].required == 12
    assert len(items["theme_day"].missing_periods) == 12


def test_a_day_long_before_the_year_requires_nothing_and_nothing_is_due(branch):
    hold(branch, "committee", "2023-01-10")
    item = by_type(branch, 2023, D(1999, 1, 1))["committee"]
    assert (item.required, item.held, item.missing_periods, item.due) == (0, 0, [], None)


def test_meetings_after_the_as_of_day_are_not_counted(branch):
    hold(branch, "group", "2023-01-05", "2023-02-05", "2023-03-05")
    item = by_type(branch, 2023, D(2023, 2, 10))["group"]
    assert (item.required, item.held, item.missing_periods) == (1, 2, [])
    assert item.due is None  # February has its meeting


def test_a_branch_rule_of_two_committee_meetings_a_month_overrides_the_province(branch):
    ComplianceRule.objects.create(
        meeting_type="committee", period="month", required=2, source="本支部规定", branch=branch
    )
    hold(branch, "committee", "2023-01-10", "2023-01-20", "2023-02-10")
    item = by_type(branch, 2023, D(2023, 3, 5))["committee"]
    assert item.required == 4
    assert item.missing_periods == ["2023-02"]
    assert item.due_remaining == 2
    other = Branch.objects.create(code="T001", name="另一支部")
    assert by_type(other, 2023, D(2023, 3, 5))["committee"].required == 2


def test_the_five_default_rules_cite_their_source(db):
    rules = {r.meeting_type: r for r in ComplianceRule.objects.filter(branch=None)}
    assert set(rules) == {"member_assembly", "committee", "group", "lecture", "theme_day"}
    assert rules["member_assembly"].period == "quarter"
    assert "第十一条" in rules["member_assembly"].source
    assert "第十二条" in rules["committee"].source
    assert "第十三条" in rules["group"].source
    assert rules["theme_day"].period == "month"
