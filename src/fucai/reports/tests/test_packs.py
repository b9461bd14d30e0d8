"""Report packs without the demo: who sees which pack, the schedule, a failing section, the
command and the archive page (fucai.reports.packs, fucai.reports.views_packs)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from openpyxl import load_workbook

from fucai.core import registry
from fucai.core.reporting import ReportSection
from fucai.reports.choices import PackKind, PackStatus
from fucai.reports.models import ReportPack
from fucai.reports.packs import (
    SCHEDULE_NAME,
    ensure_schedule,
    make_now,
    previous_period,
    scheduled_packs,
    scope_for,
)


def a_pack(city, period="2023-Q3", content=b"old"):
    pack = ReportPack.objects.create(
        scope=city.code if city else "province",
        city=city,
        kind=PackKind.QUARTERLY,
        period=period,
        as_of=dt.date(2023, 9, 30),
        status=PackStatus.DONE,
    )
    pack.file.save(f"{pack.scope}-{period}.xlsx", ContentFile(content))
    return pack


def same_page(response) -> str:
    """The body without its CSRF token (a new one per response)."""
    return re.sub(
        r"'X-CSRFToken'|\"X-CSRFToken\": \"\w+\"|value=\"\w{32,}\"", "", response.content.decode()
    )


def stored(pack) -> bytes:
    pack.refresh_from_db()
    with pack.file.open("rb") as fh:
        return fh.read()


def sections_replaced(monkeypatch, *functions):
    """The registry's report sections replaced by these functions of this module."""
    paths = [f"{__name__}.{f.__name__}" for f in functions]
    monkeypatch.setattr(registry, "report_sections", lambda: paths)


def a_good_section(scope, start, end, as_of):
    return ReportSection("sales", "销售", ["范围", "天数"], [[scope.name, (end - start).days + 1]])


def a_failing_section(scope, start, end, as_of):
    raise RuntimeError("the sales store is unreachable")


def test_a_ganzhou_user_cannot_download_jiujiangs_pack_and_it_looks_missing(
    client, ganzhou, jiujiang, ganzhou_user
):
    mine, theirs = a_pack(ganzhou), a_pack(jiujiang)
    client.force_login(ganzhou_user)
    url, nowhere = (reverse("reports:pack_download", args=[pk]) for pk in (theirs.pk, 999))
    response, missing = client.get(url), client.get(nowhere)
    assert response.status_code == 404 == missing.status_code
    assert same_page(response).replace(url, nowhere) == same_page(missing)
    assert b"360400" not in response.content
    ok = client.get(reverse("reports:pack_download", args=[mine.pk]))
    assert ok.status_code == 200
    assert ok.content == b"old"


def test_the_archive_lists_a_citys_own_packs_and_the_province_sees_all(
    client, ganzhou, jiujiang, ganzhou_user, province_admin
):
    a_pack(ganzhou), a_pack(jiujiang), a_pack(None)
    client.force_login(ganzhou_user)
    page = client.get(reverse("reports:packs")).content.decode()
    assert page.count("data-pack=") == 1
    assert 'data-pack="360700-2023-Q3"' in page
    assert "九江" not in page and 'id="pack-form"' not in page
    client.force_login(province_admin)
    page = client.get(reverse("reports:packs")).content.decode()
    assert page.count("data-pack=") == 3
    assert 'id="pack-form"' in page


def test_the_monthly_schedule_exists_after_migrate_and_making_it_again_changes_nothing(db):
    schedule = Schedule.objects.get(name=SCHEDULE_NAME)
    assert schedule.func == "fucai.reports.packs.scheduled_packs"
    assert schedule.schedule_type == Schedule.MONTHLY
    assert timezone.localtime(schedule.next_run).day == 1
    ensure_schedule()
    ensure_schedule()
    assert Schedule.objects.filter(name=SCHEDULE_NAME).count() == 1


def test_the_first_of_october_makes_septembers_and_the_third_quarters_packs_for_all(
    db, monkeypatch
):
    sections_replaced(monkeypatch, a_good_section)
    made = ReportPack.objects.filter(pk__in=scheduled_packs(dt.date(2023, 10, 1)))
    assert made.filter(kind=PackKind.MONTHLY, period="2023-09").count() == 12  # province + 11
    assert made.filter(kind=PackKind.QUARTERLY, period="2023-Q3").count() == 12
    assert set(made.values_list("status", flat=True)) == {PackStatus.DONE}
    assert not made.exclude(requested_by=None).exists()  # the schedule's
    assert previous_period(PackKind.QUARTERLY, dt.date(2023, 11, 1)) is None
    assert previous_period(PackKind.MONTHLY, dt.date(2024, 1, 1)) == "2023-12"
    assert previous_period(PackKind.QUARTERLY, dt.date(2024, 1, 1)) == "2023-Q4"


def test_a_failing_section_marks_the_pack_failed_and_keeps_the_previous_file(
    db, ganzhou, monkeypatch
):
    pack = a_pack(ganzhou)
    old_name = pack.file.name
    sections_replaced(monkeypatch, a_good_section, a_failing_section)
    failed = make_now(scope_for("赣州"), PackKind.QUARTERLY, "2023-Q3")
    assert failed.pk == pack.pk
    assert failed.status == PackStatus.FAILED
    assert failed.error == "the sales store is unreachable"
    assert failed.file.name == old_name and stored(failed) == b"old"


def test_making_a_pack_again_replaces_its_file_once_the_new_one_is_complete(
    db, ganzhou, monkeypatch, django_capture_on_commit_callbacks
):
    pack = a_pack(ganzhou)
    old_name = pack.file.name
    storage = pack.file.storage
    sections_replaced(monkeypatch, a_good_section)
    with django_capture_on_commit_callbacks(execute=True):
        done = make_now(scope_for("360700"), PackKind.QUARTERLY, "2023-Q3")
    assert done.pk == pack.pk and done.status == PackStatus.DONE and done.progress == 100
    assert done.file.name != old_name and not storage.exists(old_name)
    workbook = load_workbook(io.BytesIO(stored(done)))
    assert workbook.sheetnames == ["销售", "说明"]
    assert [c.value for c in workbook["销售"][2]] == ["赣州市", 92]
    notes = {row[0]: row[1] for row in workbook["说明"].iter_rows(values_only=True)}
    assert notes["范围"] == "赣州市"
    assert notes["截至日期"] == "2023-09-30"
    assert done.sections == ["sales"]


def test_the_command_writes_the_pack_and_files_it_with_who_asked(
    db, ganzhou, province_admin, monkeypatch, tmp_path
):
    sections_replaced(monkeypatch, a_good_section)
    out = tmp_path / "pack.xlsx"
    stdout = io.StringIO()
    call_command(
        "report",
        "pack",
        "--scope",
        "province",
        "--kind",
        "monthly",
        "--period",
        "2023-08",
        "--as-of",
        "2023-08-20",
        "-o",
        str(out),
        "--user",
        province_admin.username,
        stdout=stdout,
    )
    assert stdout.getvalue().strip() == str(out)
    workbook = load_workbook(out)
    assert [c.value for c in workbook["销售"][2]] == ["全省", 31]
    pack = ReportPack.objects.get(scope="province", kind="monthly", period="2023-08")
    assert pack.requested_by == province_admin and pack.as_of == dt.date(2023, 8, 20)


def test_the_command_refuses_a_city_user_another_citys_pack_and_a_bad_period(
    db, ganzhou, jiujiang, ganzhou_user
):
    from django.core.management.base import CommandError

    base = ["report", "pack", "--kind", "quarterly"]
    with pytest.raises(CommandError, match="九江"):
        call_command(*base, "--scope", "九江", "--period", "2023-Q3", "--user", "ganzhou_user")
    with pytest.raises(CommandError, match="2023-Q3"):
        call_command(*base, "--scope", "赣州", "--period", "2023-09")
    with pytest.raises(CommandError, match="2099-Q1"):  # not begun: nothing to report
        call_command(*base, "--scope", "赣州", "--period", "2099-Q1")
    assert not ReportPack.objects.exists()


def test_only_the_province_may_ask_for_a_pack_now_and_it_is_queued_for_the_worker(
    client, ganzhou, ganzhou_user, province_admin, monkeypatch
):
    sections_replaced(monkeypatch, a_good_section)
    data = {"scope": "360700", "kind": "quarterly", "period": "2023-Q3"}
    client.force_login(ganzhou_user)
    assert client.post(reverse("reports:pack_new"), data).status_code == 403
    client.force_login(province_admin)
    bad = client.post(reverse("reports:pack_new"), {**data, "period": "2023-13"})
    assert bad.status_code == 400
    future = client.post(reverse("reports:pack_new"), {**data, "period": "2099-Q1"})
    assert future.status_code == 400 and not ReportPack.objects.filter(period="2099-Q1").exists()
    response = client.post(reverse("reports:pack_new"), data)
    assert response.status_code == 302
    pack = ReportPack.objects.get(scope="360700", period="2023-Q3")
    assert pack.status == PackStatus.DONE  # the worker ran inline (TASKS_SYNC in tests)
    assert pack.requested_by == province_admin and pack.city == ganzhou
