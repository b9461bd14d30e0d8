"""The demo's Party records: the provincial branch's 2023 to 2023-09-03 as the seed tells it,
its missing month flagged, one branch per city; the CLI's JSON shape over them."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from fucai.party.compliance import compliance
from fucai.party.demo import PROVINCE_CODE, PartyDemoBuilder
from fucai.party.models import Branch, Meeting


class _Ctx:
    seed = 1

    def progress(self, label, count) -> None:
        self.count = count


@pytest.fixture
def demo(db):
    builder, ctx = PartyDemoBuilder(), _Ctx()
    builder.build(ctx)
    return builder, ctx


def test_the_provincial_branch_held_6_assemblies_20_committee_15_group_meetings_and_5_lectures(
    demo,
):
    branch = Branch.objects.get(code=PROVINCE_CODE)
    items = {i.type: i for i in compliance(branch, 2023, dt.date(2023, 9, 3))}
    held = [items[k].held for k in ("member_assembly", "committee", "group", "lecture")]
    assert held == [6, 20, 15, 5]
    assert items["theme_day"].held == 7
    assert items["theme_day"].missing_periods == ["2023-05"]
    assert [p for i in items.values() for p in i.missing_periods] == ["2023-05"]
    assert items["committee"].due.key == "2023-09"  # none yet on 3 September
    assert items["member_assembly"].due is None  # Q3 has two


def test_the_seed_themes_are_theme_party_days_and_one_assembly_was_entered_after_the_fact(demo):
    topics = set(Meeting.objects.filter(meeting_type="theme_day").values_list("topic", flat=True))
    assert {"贯彻党的二十大、奋进新征程", "传承红色基因、增强党纪意识"} <= topics
    late = Meeting.objects.exclude(late_reason="").filter(branch__code=PROVINCE_CODE)
    assert [(m.held_on.isoformat(), m.is_late) for m in late] == [("2023-08-30", True)]


def test_every_city_has_a_branch_and_the_builder_knows_it_is_current(demo):
    builder, ctx = demo
    assert Branch.objects.exclude(city=None).count() == 11
    assert builder.is_current(ctx)
    builder.wipe(ctx)
    assert Branch.objects.count() == 0 and not builder.is_current(ctx)


def test_the_cli_gives_branches_with_their_types_in_json(demo):
    out = io.StringIO()
    call_command(
        "party",
        "compliance",
        "--year",
        "2023",
        "--as-of",
        "2023-09-03",
        "--format",
        "json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert len(result["branches"]) == 12
    province = next(b for b in result["branches"] if b["code"] == PROVINCE_CODE)
    assert province["name"] == "江西省福利彩票发行中心党支部"
    assert [t["type"] for t in province["types"]] == [
        "member_assembly",
        "committee",
        "group",
        "lecture",
        "theme_day",
    ]
    assert {k for t in province["types"] for k in t} >= {
        "type",
        "required",
        "held",
        "missing_periods",
    }
    theme = province["types"][4]
    assert (theme["required"], theme["held"], theme["missing_periods"]) == (8, 7, ["2023-05"])


def test_the_cli_table_lines_up_the_provincial_branch(demo):
    out = io.StringIO()
    call_command(
        "party",
        "compliance",
        "--year",
        "2023",
        "--as-of",
        "2023-09-03",
        "--branch",
        PROVINCE_CODE,
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 6 and "2023-05" in lines[5]
