"""Uploads of sales files: the size limit (FUCAI_UPLOAD_MAX_MB), files of refused uploads removed
at once, damaged workbooks, imports left running by a killed worker, and no existence oracle."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from fucai.core.testing.files import damaged_xlsx
from fucai.sales.choices import ImportStatus
from fucai.sales.ingest.importer import import_files
from fucai.sales.jobs import UploadTicket, upload_root
from fucai.sales.models import SalesImport
from fucai.sales.tests.test_web_import import GANZHOU_ROWS, csv_upload, login, table_rows, upload

pytestmark = pytest.mark.django_db


def batch_files(batch: str) -> list[str]:
    return sorted(p.name for p in (upload_root() / batch).iterdir())


# -- the size limit -------------------------------------------------------------------------------
def test_a_file_over_the_upload_limit_is_refused_naming_the_limit(
    client, network, store, province_admin, settings
):
    settings.UPLOAD_MAX_MB = 1
    login(client, province_admin)
    big = SimpleUploadedFile("big.csv", b"station_code,date,game,amount,tickets\n" + b"x" * 2**20)
    response = client.post(reverse("sales:import_new"), {"files": [big]})
    assert response.status_code == 400
    assert "big.csv is 1.0 MB; files of at most 1 MB can be uploaded." in response.content.decode()
    assert not upload_root().exists() or not any(upload_root().iterdir())
    assert SalesImport.objects.count() == 0


def test_the_upload_limit_message_is_in_chinese_by_default(
    client, network, store, province_admin, settings
):
    settings.UPLOAD_MAX_MB = 1
    login(client, province_admin, language="zh-hans")
    big = SimpleUploadedFile("大文件.csv", b"x" * (2**20 + 1))
    html = client.post(reverse("sales:import_new"), {"files": [big]}).content.decode()
    assert "大文件.csv 为 1.0 MB；只能上传不超过 1 MB 的文件。" in html


def test_a_station_file_over_the_limit_is_refused_too(client, db, province_admin, settings):
    settings.UPLOAD_MAX_MB = 1
    login(client, province_admin)
    big = SimpleUploadedFile("stations.csv", b"x" * (2**20 + 1))
    html = client.post(reverse("network:import"), {"file": big}).content.decode()
    assert "stations.csv is 1.0 MB; files of at most 1 MB can be uploaded." in html


def test_the_upload_limit_is_200_mb_unless_the_environment_says_otherwise():
    from django.conf import settings

    assert settings.UPLOAD_MAX_MB == 200


def test_a_sales_cockpit_as_of_year_1_is_no_server_error(client, network, store, province_admin):
    login(client, province_admin)
    paths = ("sales:cockpit", "api:sales_cockpit_monthly", "api:sales_cockpit_games")
    for path in (*paths, "api:sales_cockpit_map"):
        response = client.get(reverse(path), {"as_of": "0001-01-01"})
        assert response.status_code == 200, path


# -- files of refused uploads ---------------------------------------------------------------------
def test_the_file_of_a_refused_upload_is_removed_at_once(client, network, store, province_admin):
    login(client, province_admin)
    bad = [("36110214", "2023-03-01", "ssq", "12.345", "1")]
    batch = upload(client, csv_upload("bad.csv", bad))
    assert SalesImport.objects.get(batch=batch).status == ImportStatus.FAILED
    assert batch_files(batch) == ["upload.json"]
    page = client.get(reverse("sales:import_detail", args=[batch])).content.decode()
    assert table_rows(page, "import-errors")[0][:3] == ["bad.csv", "2", "amount"]


def test_the_file_of_a_dry_run_is_removed_and_that_of_an_import_kept(
    client, network, store, ganzhou_user
):
    login(client, ganzhou_user)
    checked = upload(client, csv_upload("check.csv", GANZHOU_ROWS), dry_run="on")
    assert SalesImport.objects.get(batch=checked).status == ImportStatus.SUCCEEDED
    assert batch_files(checked) == ["upload.json"]
    imported = upload(client, csv_upload("real.csv", GANZHOU_ROWS))
    assert batch_files(imported) == ["real.csv", "upload.json"]


# -- damaged workbooks ----------------------------------------------------------------------------
def test_a_damaged_xlsx_upload_is_a_clear_error_naming_the_file(
    client, network, store, ganzhou_user
):
    login(client, ganzhou_user, language="zh-hans")
    workbook = damaged_xlsx([["station_code", "date", "game", "amount", "tickets"]])
    batch = upload(client, SimpleUploadedFile("坏表.xlsx", workbook))
    page = client.get(reverse("sales:import_detail", args=[batch]))
    assert page.status_code == 200
    assert table_rows(page.content.decode(), "import-errors") == [
        ["坏表.xlsx", "", "", "该文件已损坏或不是 Excel（.xlsx）工作簿；请在 Excel 中重新保存。"]
    ]
    assert batch_files(batch) == ["upload.json"]


def test_the_cli_reports_a_damaged_xlsx_naming_the_file(network, store, tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(damaged_xlsx([["station_code"]]))
    with translation.override("en"), pytest.raises(CommandError):
        call_command("sales", "import", str(path))
    err = capsys.readouterr().err
    assert "broken.xlsx: the file is damaged or not an Excel (.xlsx) workbook" in err


# -- imports left running -------------------------------------------------------------------------
def _left_running(store, province_admin) -> SalesImport:
    """A web import that a killed worker left at 71 %, with its file on disk."""
    batch = uuid.uuid4()
    ticket = UploadTicket(
        batch=str(batch), user_id=province_admin.pk, city_id=None, files=["a.csv"]
    )
    ticket.save()
    (ticket.directory / "a.csv").write_text("station_code,date,game,amount,tickets\n")
    return SalesImport.objects.create(
        batch=batch,
        file_name="a.csv",
        status=ImportStatus.RUNNING,
        progress=71,
        started_at=timezone.now() - dt.timedelta(hours=1),
        user=province_admin,
    )


def test_a_worker_starting_marks_an_import_left_running_as_interrupted(store, province_admin):
    from django_q.signals import post_spawn

    record = _left_running(store, province_admin)

    post_spawn.send(sender="django_q", proc_name="Worker-1")

    record.refresh_from_db()
    assert record.status == ImportStatus.INTERRUPTED
    assert record.finished_at is not None
    assert batch_files(str(record.batch)) == ["upload.json"]


def test_a_worker_starting_leaves_an_import_that_holds_the_store_lock_alone(store, province_admin):
    from fucai.sales.jobs import settle_interrupted_imports

    record = _left_running(store, province_admin)
    with store.locked():
        assert settle_interrupted_imports() == 0
    record.refresh_from_db()
    assert (record.status, record.progress) == (ImportStatus.RUNNING, 71)


# -- no existence oracle --------------------------------------------------------------------------
@pytest.mark.parametrize("fast", [True, False])
def test_another_citys_station_is_an_unknown_code_like_one_that_does_not_exist(
    network, store, write_csv, ganzhou_user, fast
):
    rows = [
        ["36040001", "2023-03-01", "ssq", "10.00", "5"],  # 九江's, exists
        ["36049999", "2023-03-01", "ssq", "10.00", "5"],  # exists nowhere
    ]
    with translation.override("zh-hans"):
        outcome = import_files(
            [write_csv("gz.csv", rows)],
            user=ganzhou_user,
            store=store,
            fast=fast,
            today=dt.date(2023, 9, 3),
        )
        messages = [(e.row, e.column, e.message) for e in outcome.errors]
    assert messages == [
        (2, "station_code", "未知站点编号 36040001"),
        (3, "station_code", "未知站点编号 36049999"),
    ]
