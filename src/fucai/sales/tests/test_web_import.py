"""The web import of sales files: upload, the background job (inline here, as with
FUCAI_TASKS_SYNC), the progress endpoint, the result or the error table, and scope."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import YearToDateRunner
from fucai.analytics.scope import Scope
from fucai.sales.choices import ImportStatus
from fucai.sales.jobs import ImportBatch, UploadTicket, run_import, safe_name
from fucai.sales.models import SalesImport

GOOD_ROWS = [
    ("36110214", "2023-03-01", "ssq", "1200.00", "600"),
    ("36110214", "2023-03-01", "即开票", "350.50", "35"),
    ("36040001", "2023-03-01", "福彩3D", "88.20", "44"),
    ("36110214", "2023-03-02", "kl8", "410", "205"),
]
GOOD_FEN = 120000 + 35050 + 8820 + 41000
GANZHOU_ROWS = [
    ("36110214", "2023-03-01", "ssq", "1200.00", "600"),
    ("36110001", "2023-03-05", "kl8", "100.00", "50"),
]

pytestmark = pytest.mark.django_db


def csv_upload(name: str, rows) -> SimpleUploadedFile:
    lines = ["station_code,date,game,amount,tickets", *(",".join(row) for row in rows)]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def login(client, user, language: str = "en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def upload(client, *files, **fields):
    response = client.post(reverse("sales:import_new"), {"files": list(files), **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = response["Location"].rstrip("/").split("/")[-1]
    assert response["Location"] == reverse("sales:import_detail", args=[batch])
    return batch


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def table_rows(html: str, table_id: str) -> list[list[str]]:
    match = re.search(rf'id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert match, f"no table {table_id}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(1), re.S)
    return [[text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


# -- a good file -----------------------------------------------------------------------------------
def test_a_province_admin_imports_a_good_daily_csv_and_the_runners_see_it(
    client, network, store, province_admin, settings
):
    settings.ANALYTICS_RECHECK_SECONDS = 0
    login(client, province_admin)
    batch = upload(client, csv_upload("day.csv", GOOD_ROWS))

    record = SalesImport.objects.get()
    assert str(record.batch) == batch
    assert (record.status, record.progress, record.rows, record.fact_rows) == (
        ImportStatus.SUCCEEDED,
        100,
        4,
        4,
    )
    assert (record.user, record.file_name, record.dry_run) == (province_admin, "day.csv", False)
    assert (record.first_day, record.last_day) == (dt.date(2023, 3, 1), dt.date(2023, 3, 2))
    assert Path(settings.DATA_DIR, "uploads", batch, "day.csv").is_file()

    html = client.get(reverse("sales:import_detail", args=[batch])).content.decode()
    assert 'data-state="succeeded"' in html and 'data-progress="100"' in html
    assert "hx-trigger" not in html  # finished: the page stops polling
    assert text(re.search(r'id="import-result">(.*?)</section>', html, re.S).group(1)).startswith(
        "Rows read 4 Daily facts 4 Amount (yuan) 2048.70 Days covered 2 2023-03-01 – 2023-03-02"
    )

    ytd = YearToDateRunner(AnalyticsContext("duckdb", store), Scope.province()).run(
        dt.date(2023, 3, 2)
    )
    assert ytd.total.amount_fen == GOOD_FEN
    assert store.read_daily().num_rows == 4


def test_the_upload_page_speaks_chinese_by_default_and_offers_dry_run(
    client, network, province_admin
):
    client.force_login(province_admin)
    response = client.get(reverse("sales:import_new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "导入销售数据" in html
    assert 'name="dry_run"' in html and 'name="files"' in html and "multiple" in html


def test_a_dry_run_checks_the_files_and_imports_nothing(client, network, store, province_admin):
    login(client, province_admin)
    batch = upload(client, csv_upload("day.csv", GOOD_ROWS), dry_run="on")
    record = SalesImport.objects.get()
    assert (record.status, record.dry_run, record.rows, record.amount_fen) == (
        ImportStatus.SUCCEEDED,
        True,
        4,
        GOOD_FEN,
    )
    assert record.store_version is None
    assert store.manifest().version == 0 and store.read_daily().num_rows == 0
    html = client.get(reverse("sales:import_detail", args=[batch])).content.decode()
    assert "Check passed" in html and 'id="import-dry-run"' in html


def test_a_replace_days_dry_run_shows_the_rows_it_would_remove_per_day(
    client, network, store, province_admin
):
    login(client, province_admin)
    upload(client, csv_upload("day.csv", GOOD_ROWS))
    version = store.manifest().version
    fix = [("36110214", "2023-03-01", "ssq", "1300.00", "650")]
    batch = upload(client, csv_upload("fix.csv", fix), mode="days", dry_run="on")
    assert store.manifest().version == version  # a dry run changes nothing
    html = client.get(reverse("sales:import_detail", args=[batch])).content.decode()
    assert 'data-mode="days"' in html and 'data-removed="2"' in html
    assert table_rows(html, "import-day-changes") == [
        ["2023-03-01", "1", "2", "1638.70", "1", "1300.00"]
    ]


def test_the_default_mode_keeps_the_other_games_of_the_day(client, network, store, province_admin):
    login(client, province_admin)
    upload(client, csv_upload("day.csv", GOOD_ROWS))
    upload(client, csv_upload("fix.csv", [("36110214", "2023-03-01", "ssq", "1300.00", "650")]))
    assert store.read_daily().num_rows == 4
    record = SalesImport.objects.filter(file_name="fix.csv").get()
    assert (record.mode, record.replaced_rows, record.removed_rows) == ("cells", 1, 0)


# -- a bad file ------------------------------------------------------------------------------------
def test_a_file_with_a_bad_row_shows_the_error_table_and_changes_nothing(
    client, network, store, province_admin
):
    login(client, province_admin)
    upload(client, csv_upload("good.csv", GOOD_ROWS))
    before = store.manifest()
    bad = [*GOOD_ROWS[:2], ("36110214", "2023-03-03", "ssq", "12.345", "6"), GOOD_ROWS[3]]
    batch = upload(client, csv_upload("bad.csv", bad))

    assert store.manifest() == before
    record = SalesImport.objects.get(batch=batch)
    assert (record.status, record.error_count) == (ImportStatus.FAILED, 1)
    html = client.get(reverse("sales:import_detail", args=[batch])).content.decode()
    assert 'data-state="failed"' in html and "hx-trigger" not in html
    progress = client.get(reverse("sales:import_progress", args=[batch])).json()
    assert (progress["state"], progress["progress"], progress["error_count"]) == ("failed", 100, 1)
    assert table_rows(html, "import-errors") == [
        [
            "bad.csv",
            "4",
            "amount",
            "malformed amount &#x27;12.345&#x27;: yuan with at most two decimals, e.g. 1234.50",
        ]
    ]

    response = client.get(reverse("sales:import_errors", args=[batch]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("File", "Row", "Column", "Reason"),
        (
            "bad.csv",
            4,
            "amount",
            "malformed amount '12.345': yuan with at most two decimals, e.g. 1234.50",
        ),
    ]


def test_the_error_table_is_in_chinese_for_a_chinese_page(client, network, store, province_admin):
    client.force_login(province_admin)
    batch = upload(client, csv_upload("bad.csv", [("36110214", "2023-03-03", "ssq", "-5", "6")]))
    html = client.get(reverse("sales:import_detail", args=[batch])).content.decode()
    assert table_rows(html, "import-errors") == [["bad.csv", "2", "amount", "金额为负：-5"]]
    assert "未导入任何数据" in html


def test_a_ganzhou_user_uploading_a_jiujiang_stations_sales_gets_the_row_refused(
    client, network, store, ganzhou_user
):
    login(client, ganzhou_user)
    rows = [*GANZHOU_ROWS, ("36040001", "2023-03-01", "ssq", "50.00", "25")]
    batch = upload(client, csv_upload("mixed.csv", rows))
    html = client.get(reverse("sales:import_detail", args=[batch])).content.decode()
    assert table_rows(html, "import-errors") == [
        [
            "mixed.csv",
            "4",
            "station_code",
            "unknown station code 36040001",
        ]
    ]
    assert store.read_daily().num_rows == 0
    # its own stations alone go in
    upload(client, csv_upload("ganzhou.csv", GANZHOU_ROWS))
    assert store.read_daily().num_rows == 2


def test_an_unsupported_file_type_is_refused_before_anything_is_saved(
    client, network, store, province_admin, settings
):
    login(client, province_admin)
    pdf = SimpleUploadedFile("sales.pdf", b"%PDF-1.4", "application/pdf")
    response = client.post(reverse("sales:import_new"), {"files": [pdf]})
    assert response.status_code == 400
    assert "sales.pdf: unsupported file type" in response.content.decode()
    assert not SalesImport.objects.exists()
    assert not Path(settings.DATA_DIR, "uploads").exists()


# -- who may --------------------------------------------------------------------------------------
def test_a_market_manager_may_not_import_nor_see_the_imports(
    client, network, store, market_manager_user, province_admin
):
    batch = upload(login(client, province_admin), csv_upload("day.csv", GOOD_ROWS))
    login(client, market_manager_user)
    assert client.get(reverse("sales:import_new")).status_code == 403
    response = client.post(
        reverse("sales:import_new"), {"files": [csv_upload("day.csv", GOOD_ROWS)]}
    )
    assert response.status_code == 403
    assert SalesImport.objects.count() == 1
    for name in ("sales:import_detail", "sales:import_progress", "sales:import_errors"):
        assert client.get(reverse(name, args=[batch])).status_code == 403
    assert client.get(reverse("sales:import_list")).status_code == 403


def test_the_menu_offers_the_sales_import_to_editors_only(
    client, network, province_admin, ganzhou_user, market_manager_user
):
    def menu(user) -> list[str]:
        client.force_login(user)
        response = client.get(reverse("network:overview"))
        return [item["name"] for group in response.context["nav_menu"] for item in group["items"]]

    assert "sales:import_list" in menu(province_admin)
    assert "sales:import_list" in menu(ganzhou_user)
    assert "sales:import_list" not in menu(market_manager_user)
    client.force_login(province_admin)
    assert "销售导入" in client.get(reverse("network:overview")).content.decode()
    html = client.get(reverse("sales:import_new")).content.decode()
    current = re.findall(r'<a href="([^"]+)" class="active"\s+aria-current="page"', html)
    assert current == [reverse("sales:import_list")]  # not the cockpit at /sales/ as well


def test_the_list_shows_each_agency_its_own_imports_newest_first(
    client, network, store, province_admin, ganzhou_user, jiujiang_user
):
    province_batch = upload(login(client, province_admin), csv_upload("all.csv", GOOD_ROWS))
    ganzhou_batch = upload(login(client, ganzhou_user), csv_upload("gz.csv", GANZHOU_ROWS))

    def listed(user) -> list[str]:
        html = login(client, user).get(reverse("sales:import_list")).content.decode()
        return [row[1] for row in table_rows(html, "import-list") if len(row) > 1]

    assert listed(province_admin) == ["gz.csv", "all.csv"]
    assert listed(ganzhou_user) == ["gz.csv"]
    assert listed(jiujiang_user) == []
    login(client, jiujiang_user)
    assert client.get(reverse("sales:import_detail", args=[ganzhou_batch])).status_code == 404
    login(client, ganzhou_user)
    assert client.get(reverse("sales:import_detail", args=[province_batch])).status_code == 404


# -- progress and the worker -----------------------------------------------------------------------
def test_the_progress_endpoint_returns_the_percentage_and_stops_polling_when_done(
    client, network, province_admin
):
    record = SalesImport.objects.create(
        user=province_admin, file_name="big.csv", kind="daily", progress=42
    )
    url = reverse("sales:import_progress", args=[record.batch])
    login(client, province_admin)
    assert client.get(url).json() == {
        "batch": str(record.batch),
        "state": "running",
        "progress": 42,
        "finished": False,
        "dry_run": False,
        "rows": 0,
        "error_count": 0,
    }
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert 'aria-valuenow="42"' in fragment and ">42%<" in fragment

    SalesImport.objects.filter(pk=record.pk).update(
        status=ImportStatus.SUCCEEDED, progress=100, rows=7
    )
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and ">100%<" in fragment
    assert client.get(url).json()["state"] == "succeeded"


def test_an_upload_waits_in_the_queue_until_the_worker_runs_it(
    client, network, store, ganzhou_user, jiujiang_user, settings, monkeypatch
):
    from django_q.conf import Conf
    from django_q.models import OrmQ, Task
    from django_q.tasks import _sync

    settings.TASKS_SYNC = False
    batch = upload(login(client, ganzhou_user), csv_upload("gz.csv", GANZHOU_ROWS))
    assert not SalesImport.objects.exists()
    assert OrmQ.objects.count() == 1
    html = client.get(reverse("sales:import_detail", args=[batch])).content.decode()
    assert 'data-state="queued"' in html and 'hx-trigger="every 1s"' in html
    assert "fucai qcluster" in html
    assert client.get(reverse("sales:import_progress", args=[batch])).json()["state"] == "queued"
    login(client, jiujiang_user)
    assert client.get(reverse("sales:import_detail", args=[batch])).status_code == 404

    # What a worker does with the queued task. Conf.SYNC keeps django-q from closing the test's
    # database connection (it closes "old" connections between tasks; on PostgreSQL that kills
    # the connection holding the test transaction).
    monkeypatch.setattr(Conf, "SYNC", True)
    _sync(OrmQ.objects.get().payload)
    task = Task.objects.get(name=f"sales-import-{batch}")
    assert task.success and task.result == {"batch": batch, "ok": True, "errors": 0}
    record = SalesImport.objects.get()
    assert (str(record.batch), record.user, record.city) == (
        batch,
        ganzhou_user,
        network["stations"]["xingguo"].city,
    )
    login(client, ganzhou_user)
    progress = client.get(reverse("sales:import_progress", args=[batch])).json()
    assert (progress["state"], progress["progress"], progress["rows"]) == ("succeeded", 100, 2)


def test_the_job_records_why_it_refused_an_upload_before_importing(
    client, network, store, ganzhou_user, settings
):
    settings.TASKS_SYNC = False
    batch = upload(login(client, ganzhou_user), csv_upload("gz.csv", GANZHOU_ROWS))
    ganzhou_user.role_assignments.all().delete()  # the role was withdrawn before the worker ran
    assert run_import(batch)["ok"] is False
    assert not SalesImport.objects.exists()
    ticket = UploadTicket.load(batch)
    assert "Only the provincial centre and city agencies import sales" in ticket.error
    found = ImportBatch(batch, ticket, [])
    assert (found.state, found.finished) == ("failed", True)


def test_the_job_records_the_progress_step_by_step(client, network, store, province_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, province_admin)
    with CaptureQueriesContext(connection) as queries:
        upload(client, csv_upload("day.csv", GOOD_ROWS))
    recorded = [
        int(m.group(1))
        for q in queries
        if (m := re.search(r'UPDATE "sales_salesimport" SET "progress" = (\d+)', q["sql"]))
    ]
    assert len(recorded) >= 4  # reading and checking (one block), stats, the year, records
    assert recorded == sorted(recorded) and recorded[0] > 0 and recorded[-1] < 100
    assert SalesImport.objects.get().progress == 100


def test_uploaded_file_names_are_made_safe_and_unique():
    taken: set[str] = set()
    assert safe_name("../../etc/passwd", taken) == "passwd"
    assert safe_name("销售 日报.CSV", taken) == "销售_日报.csv"
    assert safe_name("销售 日报.csv", taken) == "销售_日报-2.csv"
    assert safe_name("C:\\Users\\a\\day.xlsx", taken) == "day.xlsx"
    assert safe_name("..", taken) == "upload"


def test_a_bad_worker_count_stops_start_up_with_a_clear_message(tmp_path):
    env = {**os.environ, "FUCAI_DATA_DIR": str(tmp_path), "FUCAI_WORKERS": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "fucai", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "FUCAI_WORKERS=0 must be at least 1" in result.stderr


# -- serving with the worker -----------------------------------------------------------------------
def test_serve_runs_the_worker_beside_the_server_and_stops_it_on_exit(monkeypatch, settings):
    from django.core.management import call_command

    from fucai.core.management.commands import serve

    settings.TASKS_SYNC = False
    workers: list[subprocess.Popen] = []
    served: list[tuple] = []

    def start() -> subprocess.Popen:
        workers.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]))
        return workers[-1]

    def runserver(name, *args, **kwargs):
        served.append((name, args, kwargs, workers[0].poll()))
        raise KeyboardInterrupt  # the user stops the server

    monkeypatch.setattr(serve, "start_worker", start)
    monkeypatch.setattr(serve, "call_command", runserver)
    with pytest.raises(KeyboardInterrupt):
        call_command("serve", "127.0.0.1:8123", stderr=io.StringIO())
    assert served == [("runserver", ("127.0.0.1:8123",), {"use_reloader": False}, None)]
    assert workers[0].poll() is not None  # stopped with the server

    settings.TASKS_SYNC = True  # jobs run inline: no worker needed
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    call_command("serve", stderr=io.StringIO())
    assert len(workers) == 1


# -- keeping uploads -------------------------------------------------------------------------------
def test_gc_removes_the_uploads_of_old_finished_imports_and_keeps_the_rest(
    client, network, store, province_admin, settings
):
    from django.core.management import call_command

    from fucai.sales.jobs import upload_root

    login(client, province_admin)
    done = upload(client, csv_upload("old.csv", GOOD_ROWS))
    recent = upload(client, csv_upload("recent.csv", GOOD_ROWS[:1]))
    settings.TASKS_SYNC = False  # this one waits in the queue
    waiting = upload(client, csv_upload("waiting.csv", GOOD_ROWS[:1]))
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=100)).isoformat()
    for batch in (done, waiting):
        ticket = UploadTicket.load(batch)
        ticket.queued_at = old
        ticket.save()
    stray = upload_root() / "not-a-batch"
    stray.mkdir()
    os.utime(stray, (0, 0))  # a leftover directory from 1970

    out = io.StringIO()
    call_command("sales", "gc", stdout=out)
    assert "removed 2 upload(s)" in out.getvalue() and "90 day(s)" in out.getvalue()
    assert sorted(p.name for p in upload_root().iterdir()) == sorted([recent, waiting])
    record = SalesImport.objects.get(batch=done)  # the record stays, with the file's hash
    assert (record.file_name, len(record.file_sha256)) == ("old.csv", 64)
    call_command("sales", "gc", "--upload-days", "1", stdout=io.StringIO())
    assert sorted(p.name for p in upload_root().iterdir()) == sorted([recent, waiting])
