"""Sales imports started from the web, run by the background worker (django-q2, `fucai qcluster`).

The upload page saves the files under `DATA_DIR/uploads/<batch>/` with an `upload.json` ticket
(who, which files, how to import them) and queues `run_import(batch)`. The worker imports the
files with the importer of `fucai sales import`, under the batch id of the ticket: the importer's
SalesImport records (one per file, sharing the batch) carry the status and the progress that the
import's page polls. Until the worker has started, the ticket alone says that the upload waits;
if the job fails before the importer recorded anything, the ticket keeps the reason.

With `settings.TASKS_SYNC` (env FUCAI_TASKS_SYNC, on in the tests) the job runs inline.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from fucai.core.grant import IMPORT_SALES, grant_for
from fucai.sales.choices import ImportStatus
from fucai.sales.ingest.errors import RowError
from fucai.sales.ingest.importer import ImportOutcome, ImportRefused, SalesImporter

logger = logging.getLogger(__name__)

TICKET = "upload.json"
TASK = "fucai.sales.jobs.run_import"
FINISHED = frozenset({ImportStatus.SUCCEEDED, ImportStatus.FAILED, ImportStatus.INTERRUPTED})


def upload_root() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def safe_name(name: str, taken: set[str]) -> str:
    """The file's own name made safe for the disk (no directories, no odd characters; Chinese
    stays), and unique within its batch."""
    base = Path(name.replace("\\", "/")).name.strip()
    try:
        clean = get_valid_filename(base)
    except Exception:  # "", "." or ".." → SuspiciousFileOperation
        clean = "upload"
    stem, suffix = Path(clean).stem or "upload", Path(clean).suffix.lower()
    candidate, n = f"{stem}{suffix}", 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    taken.add(candidate)
    return candidate


@dataclass
class UploadTicket:
    """An upload handed to the worker: who sent which files, and how to import them."""

    batch: str
    user_id: int
    city_id: int | None
    files: list[str]
    dry_run: bool = False
    mode: str = "cells"
    kind: str | None = None
    period: list[int] | None = None
    language: str = field(default_factory=lambda: settings.LANGUAGE_CODE)
    queued_at: str = field(default_factory=lambda: timezone.now().isoformat())
    error: str = ""

    @property
    def directory(self) -> Path:
        return upload_root() / self.batch

    @property
    def paths(self) -> list[Path]:
        return [self.directory / name for name in self.files]

    def save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f".{TICKET}.tmp"
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1))
        tmp.replace(self.directory / TICKET)

    @classmethod
    def load(cls, batch: uuid.UUID | str) -> UploadTicket | None:
        path = upload_root() / str(uuid.UUID(str(batch))) / TICKET
        if not path.is_file():
            return None
        return cls(**json.loads(path.read_text()))

    def visible_to(self, user) -> bool:
        """The uploader and whoever may import the sales of the uploader's agency (its city
        agency, the provincial centre) see a waiting upload."""
        if user.pk == self.user_id:
            return True
        reach = grant_for(user).capability(IMPORT_SALES)
        return reach.everything or (self.city_id is not None and self.city_id in reach.cities)


def store_uploads(
    files: list[UploadedFile],
    user,
    *,
    dry_run: bool = False,
    kind: str | None = None,
    period: tuple[int, int] | None = None,
    mode: str = "cells",
) -> UploadTicket:
    """Save the uploaded files into a new batch directory and write its ticket."""
    taken: set[str] = set()
    ticket = UploadTicket(
        batch=str(uuid.uuid4()),
        user_id=user.pk,
        city_id=None if user.is_provincial else user.city_id,
        files=[safe_name(f.name, taken) for f in files],
        dry_run=dry_run,
        mode=mode,
        kind=kind or None,
        period=list(period) if period else None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    ticket.directory.mkdir(parents=True, exist_ok=False)
    for upload, path in zip(files, ticket.paths, strict=True):
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    ticket.save()
    return ticket


def enqueue_import(ticket: UploadTicket) -> str:
    """Queue the import of a saved upload for the worker (inline with TASKS_SYNC)."""
    from django_q.tasks import async_task

    return async_task(
        TASK,
        ticket.batch,
        task_name=f"sales-import-{ticket.batch}",
        group="sales-import",
        sync=settings.TASKS_SYNC,
    )


def run_import(batch: str) -> dict:
    """The worker's job: import (or check) the files of an upload as its user."""
    from django.contrib.auth import get_user_model

    from fucai.core.context import acting_as

    ticket = UploadTicket.load(batch)
    if ticket is None:
        raise FileNotFoundError(f"No upload {batch} under {upload_root()}.")
    user = get_user_model().objects.filter(pk=ticket.user_id).first()
    with translation.override(ticket.language), acting_as(user, "web-import"):
        try:
            outcome = _import(ticket, user)
        except ImportRefused as exc:
            discard_files(ticket)
            return _refused(ticket, str(exc))
        except Exception as exc:
            discard_files(ticket)
            _refused(ticket, _("The import stopped: %(error)s") % {"error": exc})
            raise
    if not outcome.ok or ticket.dry_run:
        discard_files(ticket)
    return {"batch": ticket.batch, "ok": outcome.ok, "errors": outcome.error_count}


def discard_files(ticket: UploadTicket) -> None:
    """Delete the files of an upload that imported nothing (refused, stopped, or a dry run) at
    once; the ticket stays for the import's page, and the records keep each file's SHA-256.
    Imported files are kept for FUCAI_UPLOAD_RETENTION_DAYS (prune_uploads)."""
    for path in ticket.paths:
        path.unlink(missing_ok=True)


def settle_interrupted_imports(**_signal) -> int:
    """Mark the imports that a stopped worker left "running" as interrupted, and discard their
    files. Connected to django-q2's post_spawn (fucai.sales.apps): it runs whenever a worker of
    `fucai qcluster` starts. An import that is really running holds the store's lock (and settles
    the others itself when it starts): then nothing is done here. Returns the imports settled."""
    from fucai.sales.ingest.importer import reconcile_interrupted
    from fucai.sales.models import SalesImport
    from fucai.sales.store import SalesStore

    store = SalesStore()
    with store.locked(wait=False) as held:
        if not held:
            return 0
        running = SalesImport.objects.filter(status=ImportStatus.RUNNING)
        batches = set(running.values_list("batch", flat=True))
        settled = reconcile_interrupted(store, uuid.uuid4())
    for batch in batches:
        ticket = UploadTicket.load(batch)
        interrupted = SalesImport.objects.filter(batch=batch, status=ImportStatus.INTERRUPTED)
        if ticket is not None and interrupted.exists():
            discard_files(ticket)
    if settled:
        logger.warning("settled %d sales import(s) left running by a stopped worker", settled)
    return settled


def _import(ticket: UploadTicket, user) -> ImportOutcome:
    if user is None:
        raise ImportRefused(_("The uploading user no longer exists."))
    return SalesImporter(
        ticket.paths,
        user=user,
        kind=ticket.kind,
        period=tuple(ticket.period) if ticket.period else None,
        dry_run=ticket.dry_run,
        mode=ticket.mode,
        batch=uuid.UUID(ticket.batch),  # the records join the upload's batch
    ).run()


def prune_uploads(older_than: dt.timedelta) -> list[str]:
    """Delete the upload directories of finished imports queued longer than `older_than` ago
    (directories without a readable ticket too, judged by their age); the SalesImport records
    stay, with each file's name and SHA-256. Returns the batches removed."""
    import shutil

    root = upload_root()
    if not root.is_dir():
        return []
    cutoff = timezone.now() - older_than
    removed = []
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        if _prunable(directory, cutoff):
            shutil.rmtree(directory, ignore_errors=True)
            removed.append(directory.name)
    return removed


def _prunable(directory: Path, cutoff: dt.datetime) -> bool:
    try:
        ticket = UploadTicket.load(directory.name)
    except (ValueError, TypeError, json.JSONDecodeError):
        ticket = None
    if ticket is None:  # not an upload fucai finished writing: only its age counts
        modified = dt.datetime.fromtimestamp(directory.stat().st_mtime, dt.UTC)
        return modified < cutoff
    if dt.datetime.fromisoformat(ticket.queued_at) >= cutoff:
        return False
    from fucai.sales.models import SalesImport

    records = list(SalesImport.objects.filter(batch=ticket.batch))
    return ImportBatch(ticket.batch, ticket, records).finished  # refused before a record too


def _refused(ticket: UploadTicket, reason: str) -> dict:
    logger.warning("sales import %s refused: %s", ticket.batch, reason)
    ticket.error = reason[:500]
    ticket.save()
    return {"batch": ticket.batch, "ok": False, "error": ticket.error}


@dataclass
class ImportBatch:
    """One upload as its page shows it: the ticket, and the importer's records (one per file)."""

    batch: str
    ticket: UploadTicket | None
    records: list

    @classmethod
    def for_user(cls, batch: uuid.UUID | str, user) -> ImportBatch | None:
        """The batch if the user may see it: imports where the user may import (the scope of
        SalesImport under IMPORT_SALES; the ticket before there is a record)."""
        from fucai.sales.models import SalesImport

        records = list(
            SalesImport.objects.restrict(user, IMPORT_SALES)
            .filter(batch=batch)
            .select_related("user")
            .order_by("pk")
        )
        ticket = UploadTicket.load(batch)
        if not records and (ticket is None or not ticket.visible_to(user)):
            return None
        return cls(str(batch), ticket, records)

    @property
    def state(self) -> str:
        """queued, running, succeeded or failed (an interrupted import counts as failed)."""
        statuses = {record.status for record in self.records}
        if not statuses:
            return "failed" if self.ticket and self.ticket.error else "queued"
        if ImportStatus.RUNNING in statuses:
            return "running"
        return "succeeded" if statuses == {ImportStatus.SUCCEEDED} else "failed"

    @property
    def finished(self) -> bool:
        return self.state in ("succeeded", "failed")

    @property
    def progress(self) -> int:
        """Percent of the work done: 100 once finished, refused or not."""
        if self.finished:
            return 100
        return min(
            (r.progress for r in self.records if r.status == ImportStatus.RUNNING), default=0
        )

    @property
    def dry_run(self) -> bool:
        if self.records:
            return all(record.dry_run for record in self.records)
        return bool(self.ticket and self.ticket.dry_run)

    @property
    def replaces_days(self) -> bool:
        return any(record.mode == "days" for record in self.records)

    @property
    def day_changes(self) -> list[dict]:
        """What the batch did (or, dry, would do) to the store per day: stored rows replaced
        and removed, the amount removed and added (in yuan)."""
        from fucai.sales.money import fen_to_yuan

        changes = [change for record in self.records for change in record.day_changes]
        return [
            {
                **change,
                "removed_yuan": fen_to_yuan(change["removed_fen"]),
                "added_yuan": fen_to_yuan(change["added_fen"]),
            }
            for change in changes
        ]

    @property
    def replaced_rows(self) -> int:
        return sum(record.replaced_rows for record in self.records)

    @property
    def removed_rows(self) -> int:
        return sum(record.removed_rows for record in self.records)

    @property
    def removed_amount_yuan(self):
        from fucai.sales.money import fen_to_yuan

        return fen_to_yuan(sum(record.removed_amount_fen for record in self.records))

    @property
    def file_names(self) -> list[str]:
        if self.records:
            return [record.file_name for record in self.records]
        return list(self.ticket.files) if self.ticket else []

    @property
    def message(self) -> str:
        if self.ticket and self.ticket.error:
            return self.ticket.error
        return next((record.message for record in self.records if record.message), "")

    @property
    def user_name(self) -> str:
        return self.records[0].user_name if self.records else ""

    @property
    def started_at(self) -> dt.datetime | None:
        return self.records[0].started_at if self.records else None

    @property
    def rows(self) -> int:
        return sum(record.rows for record in self.records)

    @property
    def fact_rows(self) -> int:
        return sum(record.fact_rows for record in self.records)

    @property
    def amount_fen(self) -> int:
        return sum(record.amount_fen for record in self.records)

    @property
    def amount_yuan(self):
        from fucai.sales.money import fen_to_yuan

        return fen_to_yuan(self.amount_fen)

    @property
    def first_day(self) -> dt.date | None:
        return min((r.first_day for r in self.records if r.first_day), default=None)

    @property
    def last_day(self) -> dt.date | None:
        return max((r.last_day for r in self.records if r.last_day), default=None)

    @property
    def days(self) -> int:
        """Days from the first to the last day covered (both included)."""
        if self.first_day is None or self.last_day is None:
            return 0
        return (self.last_day - self.first_day).days + 1

    @property
    def error_count(self) -> int:
        return sum(record.error_count for record in self.records)

    @property
    def errors(self) -> list[RowError]:
        """The first errors the importer kept, as sentences in the current language."""
        return [_row_error(error) for record in self.records for error in record.errors]


def _row_error(stored: dict) -> RowError:
    """A RowError back from a record's JSON (its message is rebuilt in the current language)."""
    text = {key: stored.get(key) or "" for key in ("column", "code", "value", "detail", "other")}
    return RowError(file=stored.get("file", ""), row=stored.get("row"), **text)
