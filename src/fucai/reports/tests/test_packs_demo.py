"""Report packs on the demo (built once for the module, its sales store in a temporary
directory): 赣州's pack of 2023-Q3 has the five modules' sheets, and their figures are the
modules' own — those their commands report for the same dates and scope."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from fucai.core.management.commands.demo import wipe_demo
from fucai.core.models import ObjectChange
from fucai.network.tests.test_demo import run_demo
from fucai.reports.choices import PackKind, PackStatus
from fucai.reports.packs import make_now, scope_for

Q3_START, Q3_END, Q2_END = dt.date(2023, 7, 1), dt.date(2023, 9, 30), dt.date(2023, 6, 30)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo-packs")
    with override_settings(DATA_DIR=data_dir), django_db_blocker.unblock():
        last_change = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        run_demo()
        yield data_dir
        wipe_demo()
        ObjectChange.objects.filter(pk__gt=last_change).delete()


@pytest.fixture(scope="module")
def ganzhou_q3(demo, django_db_blocker):
    with django_db_blocker.unblock():
        pack = make_now(scope_for("赣州"), PackKind.QUARTERLY, "2023-Q3", Q3_END)
        with pack.file.open("rb") as fh:
            yield pack, load_workbook(io.BytesIO(fh.read()))


def command_json(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def sales_ytd(day: dt.date, *user: str) -> Decimal:
    data = command_json("sales", "summary", "--as-of", day.isoformat(), *user)
    return Decimal(data["total"]["amount_yuan"])


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_ganzhous_third_quarter_pack_has_the_five_modules_sheets_and_the_notes(db, ganzhou_q3):
    pack, workbook = ganzhou_q3
    assert pack.status == PackStatus.DONE, pack.error
    assert pack.sections == ["sales", "network", "evaluation", "party", "welfare"]
    assert len(workbook.sheetnames) == 6 and workbook.sheetnames[-1] == "说明"
    notes = {row[0]: row[1] for row in workbook["说明"].iter_rows(values_only=True)}
    assert notes["范围"] == "赣州市"
    assert notes["期次"] == "2023-Q3 (2023-07-01 – 2023-09-30)"
    assert notes["截至日期"] == "2023-09-30"


def test_the_sales_sheets_quarter_is_what_fucai_sales_summary_gives_for_those_dates(db, ganzhou_q3):
    _pack, workbook = ganzhou_q3
    sheet = rows(workbook.worksheets[0])
    quarter = sales_ytd(Q3_END, "--user", "ganzhou") - sales_ytd(Q2_END, "--user", "ganzhou")
    assert quarter > 100_000_000  # 赣州 sells over 1亿元 a quarter
    assert sheet[-1][1] == "合计"
    assert money(sheet[-1][2]) == quarter
    assert money(sum(Decimal(str(r[2])) for r in sheet[:-1])) == quarter
    assert {r[0] for r in sheet[:-1]} == {"2023-07", "2023-08", "2023-09"}


def test_the_network_sheet_is_fucai_network_summary_at_both_ends_of_the_quarter(db, ganzhou_q3):
    _pack, workbook = ganzhou_q3
    total = rows(workbook.worksheets[1])[-1]
    end = command_json("network", "summary", "--as-of", "2023-09-30", "--user", "ganzhou")
    start = command_json("network", "summary", "--as-of", "2023-06-30", "--user", "ganzhou")
    assert total[1] == "合计"
    assert (total[2], total[3]) == (start["open_stations"], end["open_stations"])
    assert total[4] == end["net_new_this_year"]
    assert total[-1] == end["open_at_year_start"]


def test_the_evaluation_sheet_holds_ganzhous_published_results_only(db, ganzhou_q3):
    from fucai.accounts.models import User
    from fucai.evaluation.visibility import visible_results

    _pack, workbook = ganzhou_q3
    sheet = rows(workbook.worksheets[2])
    seen = visible_results(User.objects.get(username="ganzhou")).filter(
        run__published__isnull=False
    )
    assert len(sheet) == seen.count() > 1
    assert {r[3] for r in sheet} == {"赣州市"}
    city_row = seen.get(run__scheme__population="city_agencies")
    assert [r[4] for r in sheet if r[2] == "赣州市"] == [city_row.rank]


def test_the_party_sheet_counts_the_branchs_meetings_of_the_quarter(db, ganzhou_q3):
    from fucai.party.models import Meeting

    _pack, workbook = ganzhou_q3
    sheet = rows(workbook.worksheets[3])
    held = Meeting.objects.filter(branch__code="DZ360700", held_on__range=(Q3_START, Q3_END))
    assert {r[0] for r in sheet} == {"DZ360700"}
    assert sum(r[3] for r in sheet) == held.count() >= 1


def test_the_welfare_sheet_is_fucai_welfare_grants_for_ganzhou(db, ganzhou_q3):
    _pack, workbook = ganzhou_q3
    sheet = rows(workbook.worksheets[4])
    grants = command_json("welfare", "grants", "--as-of", "2023-09-30", "--city", "赣州")
    assert {r[0] for r in sheet[:-1]} == {"赣州市"}
    assert money(sheet[-1][5]) == Decimal(str(grants["paid_yuan"]))
    notes = {row[0]: row[1] for row in workbook["说明"].iter_rows(values_only=True)}
    assert int(notes["受助户数"]) == grants["households"] >= 330


def test_nothing_of_another_city_is_in_ganzhous_pack(db, ganzhou_q3):
    _pack, workbook = ganzhou_q3
    text = " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    for other in ("九江", "吉安", "抚州", "南昌", "上饶"):
        assert other not in text


def test_the_provinces_august_pack_sells_what_the_summary_gives_for_august(db, demo):
    pack = make_now(scope_for("province"), PackKind.MONTHLY, "2023-08")
    with pack.file.open("rb") as fh:
        sheet = rows(load_workbook(io.BytesIO(fh.read())).worksheets[0])
    august = sales_ytd(dt.date(2023, 8, 31)) - sales_ytd(dt.date(2023, 7, 31))
    assert money(sheet[-1][2]) == august
    assert len(sheet) == 11 + 1  # every city, and the total
