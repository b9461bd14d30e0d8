"""`fucai sales import`: validate a batch of files and commit it to the store, or change nothing.

Rules (docs/formats.md, "Import rules"):

- every file of a batch is read and every row checked (DuckDB, vectorised); one error anywhere →
  nothing is committed, every file's SalesImport is marked failed with its errors;
- by default (mode "cells") a daily or ticket file sets the (station, day, game) cells it
  contains and leaves every other stored row alone; in mode "days" (a full corrected day file,
  chosen by the user) it replaces its days: every stored row of those days, of the stations the
  user imports, goes, those the file does not hold included. Either way the records say, per
  day, how many stored rows were replaced and removed, the amount removed and the amount added
  (a dry run computes the same). Importing the same file twice gives the same state, and
  changes nothing the second time (no new store version);
- a city agency imports only its own stations; the Ministry of Finance table only the province;
- the batch holds the store's writer lock from start to end, so imports run one after another;
  a SalesImport left "running" by a killed process is settled by the next import (succeeded if
  the store's manifest lists it, interrupted otherwise).
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fucai.analytics.backends import forget_contexts
from fucai.core.grant import IMPORT_SALES, grant_for
from fucai.sales.choices import ImportKind, ImportMode, ImportStatus
from fucai.sales.ingest import validate as checks
from fucai.sales.ingest.errors import RowError
from fucai.sales.ingest.fastpath import CleanDaily, DailyChecker, check_daily
from fucai.sales.ingest.mof import MofTable, parse_mof_workbook
from fucai.sales.ingest.readers import (
    CSV_SUFFIXES,
    DailyStream,
    FileError,
    RawFile,
    is_mof_workbook,
    read_sales_file,
    sha256_of,
)
from fucai.sales.store import CommitResult, Removal, SalesStore, YearStream

MAX_ERRORS = 200
STEPS = ("parsed", "rows", "rules")  # the steps of the checks, after reading the files
RESTREAM = object()  # _check_stream's answer: stream the file again, keeping its facts
ERRORS_PER_RECORD = 50
GAME_VALUES = frozenset({"suspended", "duplicate"})  # errors whose value is a known game

# per file: first and last day, amount, and daily facts (a daily row is one; tickets are summed)
FILE_STATS = """
SELECT s.file_no, s.first_day, s.last_day, s.amount_fen, COALESCE(t.facts, s.daily_rows)
FROM (SELECT file_no, min(day) AS first_day, max(day) AS last_day,
             CAST(sum(fen) AS BIGINT) AS amount_fen,
             count(*) FILTER (WHERE kind = 'daily') AS daily_rows
      FROM checked GROUP BY file_no) s
LEFT JOIN (SELECT file_no, count(*) AS facts
           FROM (SELECT DISTINCT file_no, station_code, day, game
                 FROM checked WHERE kind = 'tickets')
           GROUP BY file_no) t USING (file_no)
"""


class ImportRefused(PermissionError):
    """The user may not import (wrong role); nothing was read."""


@dataclass
class ImportOutcome:
    """What an import did: its records, and the first errors if it was refused."""

    batch: uuid.UUID
    imports: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    commit: CommitResult | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0


@dataclass
class _File:
    number: int
    path: Path
    label: str
    record: object
    raw: RawFile | None = None
    mof: MofTable | None = None
    errors: list[RowError] = field(default_factory=list)
    sha256: str = ""


def import_scope(user) -> set[str] | None:
    """Station codes the user may import (None: all). The command line without --user acts for
    the provincial centre."""
    from fucai.network.models import Station

    if user is None:
        return None
    if not user.is_active:
        raise ImportRefused(_("This account is inactive."))
    reach = grant_for(user).capability(IMPORT_SALES)
    if reach.everything:
        return None
    if not reach.is_empty:
        return set(Station.objects.restrict(user, IMPORT_SALES).values_list("code", flat=True))
    raise ImportRefused(_("Only the provincial centre and city agencies import sales."))


def reconcile_interrupted(store: SalesStore, batch: uuid.UUID) -> int:
    """Settle imports left running by a process that died (caller holds the store lock)."""
    from fucai.sales.models import SalesImport

    applied = set(store.manifest().imports)
    settled = 0
    for record in SalesImport.objects.filter(status=ImportStatus.RUNNING).exclude(batch=batch):
        done = record.pk in applied
        record.status = ImportStatus.SUCCEEDED if done else ImportStatus.INTERRUPTED
        record.message = _("Settled after the importing process stopped.")
        record.finished_at = record.finished_at or timezone.now()
        record.save(update_fields=["status", "message", "finished_at"])
        settled += 1
    return settled


class SalesImporter:
    """One batch of files, imported as a whole (see the module docstring)."""

    def __init__(
        self,
        paths,
        *,
        user=None,
        kind: str | None = None,
        period: tuple[int, int] | None = None,
        store: SalesStore | None = None,
        progress: bool = False,
        today: dt.date | None = None,
        max_errors: int = MAX_ERRORS,
        fast: bool = True,
        dry_run: bool = False,
        batch: uuid.UUID | None = None,
        mode: str = ImportMode.CELLS,
    ) -> None:
        """`dry_run`: read and check exactly as an import does, commit nothing (the records
        say dry_run, and succeed when the files have no error). `batch`: the id the records
        share (the web upload's). `fast=False` always runs the full checks (tests compare
        both paths). `mode`: ImportMode (what the files replace, see the module docstring)."""
        self.paths = [Path(p) for p in paths]
        self.mode = ImportMode(mode)
        self.fast = fast
        self.dry_run = dry_run
        self.user = user
        self.kind = kind
        self.period = period
        self.store = store or SalesStore()
        self.show_progress = progress
        self.today = today or timezone.localdate()
        self.max_errors = max_errors
        self.batch = batch or uuid.uuid4()
        self.allowed = import_scope(user)
        self.files: list[_File] = []
        self._bar = None
        self._clean: CleanDaily | None = None
        self._percent = 0
        self._references: dict | None = None
        self._done, self._total = 0.0, 0

    # -- orchestration -------------------------------------------------------------------------
    def run(self) -> ImportOutcome:
        from tqdm import tqdm

        self._total = len(self.paths) + len(STEPS) + 3  # + facts, stats, the records
        self._bar = tqdm(
            total=self._total,
            disable=not self.show_progress,
            file=sys.stderr,
            desc=_("import"),
            unit=_("step"),
            leave=False,
        )
        try:
            with self.store.locked():
                # The records are made once the lock is held: a batch waiting for another
                # import has none (the web shows it queued), so that import's start cannot
                # take it for one left running by a process that died.
                reconcile_interrupted(self.store, self.batch)
                self.files = [self._record(i, p) for i, p in enumerate(self.paths)]
                return self._run()
        except BaseException as exc:
            self._fail_running(f"{type(exc).__name__}: {exc}")
            raise
        finally:
            self._bar.close()

    def _run(self) -> ImportOutcome:
        import duckdb

        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        try:
            self._clean = self._stream(con) if self.fast else None
            if self._clean is None:
                for f in self.files:
                    self._read(f)
                    self._step()
                self._clean = self._fast(con)
                if self._clean is not None:
                    self._step(len(STEPS))
            if self._clean is not None:
                if self._clean.facts is not None:
                    con.register("facts", self._clean.facts)
                return self._commit(con)
            error_count, row_errors = self._validate(con)
            file_errors = [e for f in self.files for e in f.errors]
            if file_errors or error_count:
                return self._refuse(file_errors, row_errors, error_count + len(file_errors))
            return self._commit(con)
        finally:
            con.close()

    def _stream(self, con) -> CleanDaily | None:
        """A batch of one daily CSV file that breaks no rule, checked block by block as Arrow
        parses it (fucai.sales.ingest.fastpath); None if the batch is not one such file or a
        block breaks a rule: the file is then read whole and fully checked.

        Years the store does not have are written while the file streams (store.YearStream),
        if the file is in store order; when that turns out not to hold after blocks were
        written, they are deleted and the file streams again, kept in memory this time."""
        if len(self.files) != 1 or self.kind not in (None, ImportKind.DAILY):
            return None
        f = self.files[0]
        if not f.path.is_file() or f.path.suffix.lower() not in CSV_SUFFIXES:
            return None
        self._register_references(con)
        self._bar_mark = self._done
        with ThreadPoolExecutor(1) as pool:  # hashing releases the GIL: beside the parsing
            digest = pool.submit(sha256_of, f.path)
            clean = self._check_stream(con, f.path, write=not self.dry_run)
            if clean is RESTREAM:
                clean = self._check_stream(con, f.path, write=False)
            f.sha256 = digest.result()
        if clean is None:
            return None
        self._stream_progress(1.0)
        f.record.kind, f.record.rows, f.record.file_sha256 = ImportKind.DAILY, clean.rows, f.sha256
        f.record.save(update_fields=["kind", "rows", "file_sha256"])
        return clean

    def _check_stream(self, con, path: Path, write: bool):
        """Run the fast checks over the file's blocks (CleanDaily, None or RESTREAM); the
        reading and checking steps advance with the share of the file read."""
        try:
            stream = DailyStream(path)
        except FileError:
            return None
        checker = DailyChecker(con, self.today, keep=not write)
        writer = YearStream(self.store, checker.codes, checker.game_codes) if write else None
        clean = None
        try:
            for block in stream.blocks():
                if not checker.add(block):
                    return None
                if writer is not None and not (checker.ordered and writer.add(checker.last)):
                    if writer.started:
                        return RESTREAM
                    writer.abort()  # nothing written yet: keep the facts instead
                    checker.keep, writer = True, None
                    checker.blocks.append(checker.last.table)
                self._stream_progress(stream.fraction())
            clean = checker.finish(writer.finish() if writer is not None else None)
            return clean
        except FileError:
            return None
        finally:
            stream.close()
            if writer is not None and clean is None:
                writer.abort()

    def _stream_progress(self, fraction: float) -> None:
        """Reading the file and its checks (1 + len(STEPS) steps) done up to `fraction`."""
        target = self._bar_mark + (1 + len(STEPS)) * fraction
        if target > self._done:
            self._step(target - self._done)

    # -- reading -------------------------------------------------------------------------------
    def _record(self, number: int, path: Path) -> _File:
        from fucai.sales.models import SalesImport

        exists = path.is_file()
        record = SalesImport.objects.create(
            batch=self.batch,
            user=self.user,
            user_name=getattr(self.user, "username", "") or "",
            city_id=getattr(self.user, "city_id", None) if self.allowed is not None else None,
            file_name=path.name,
            file_size=path.stat().st_size if exists else 0,
            kind=self.kind or ImportKind.DAILY,
            dry_run=self.dry_run,
            mode=self.mode,
        )
        return _File(number=number, path=path, label=path.name, record=record)

    def _read(self, f: _File) -> None:
        if not f.path.is_file():
            f.errors.append(RowError(f.label, None, "", "not_found"))
            f.record.save(update_fields=["kind", "rows"])
            return
        with ThreadPoolExecutor(1) as pool:  # hashing releases the GIL: beside the parsing
            digest = pool.submit(lambda: f.sha256 or sha256_of(f.path))
            self._read_content(f)
            f.sha256 = f.record.file_sha256 = digest.result()
        f.record.save(update_fields=["kind", "rows", "file_sha256"])

    def _read_content(self, f: _File) -> None:
        try:
            if self.kind == ImportKind.MOF or (self.kind is None and is_mof_workbook(f.path)):
                self._read_mof(f)
            else:
                f.raw = read_sales_file(f.path, self.kind)
                f.record.kind, f.record.rows = f.raw.kind, f.raw.rows
                if not f.raw.rows:
                    f.errors.append(RowError(f.label, None, "", "no_rows"))
        except FileError as exc:
            f.errors.append(RowError(f.label, None, exc.column, exc.code, exc.value, exc.detail))
        except Exception as exc:
            f.errors.append(RowError(f.label, None, "", "unreadable_excel", str(exc)[:200]))

    def _read_mof(self, f: _File) -> None:
        f.record.kind = ImportKind.MOF
        if self.allowed is not None:
            f.errors.append(RowError(f.label, None, "", "mof_not_allowed"))
            return
        f.mof, errors = parse_mof_workbook(f.path, f.label, self.period)
        f.errors += errors
        f.record.rows = f.mof.rows if f.mof else 0

    # -- validation ------------------------------------------------------------------------------
    def _fast(self, con) -> CleanDaily | None:
        """A batch of one daily file that breaks no rule, proved so by the fast path
        (fucai.sales.ingest.fastpath); None sends the batch through the full checks."""
        if len(self.files) != 1 or not self.fast:
            return None
        f = self.files[0]
        if f.errors or f.raw is None or f.raw.kind != ImportKind.DAILY:
            return None
        self._register_references(con)
        return check_daily(con, f.raw.table, self.today)

    def _register_references(self, con) -> None:
        """The reference tables (stations, opening spans, games, suspensions, scope) in `con`,
        read from the database once per import whichever checks run."""
        if self._references is None:
            self._references = checks.reference_tables(self.allowed)
        for name, table in self._references.items():
            con.register(name, table)

    def _raw_table(self, kind: str) -> pa.Table | None:
        parts = []
        for f in self.files:
            if f.raw is None or f.raw.kind != kind or f.errors:
                continue
            t = f.raw.table
            if len(self.files) > 1:  # files may differ in which columns are dictionaries
                t = pa.table([_as_text(c) for c in t.columns], names=t.column_names)
            number = pa.array(np.full(t.num_rows, f.number, np.int32))
            parts.append(t.add_column(0, "file_no", number))
        return pa.concat_tables(parts) if parts else None

    def _validate(self, con) -> tuple[int, list[RowError]]:
        self._check_mof_periods()
        daily, tickets = self._raw_table(ImportKind.DAILY), self._raw_table(ImportKind.TICKETS)
        if daily is not None:
            con.register("raw_daily", daily)
        if tickets is not None:
            con.register("raw_tickets", tickets)
        self._register_references(con)
        self._has_tickets = tickets is not None
        count = checks.validate(
            con,
            daily is not None,
            tickets is not None,
            self.today,
            step=lambda _: self._step(),
            files=len(self.files),
        )
        names = {f.number: f.label for f in self.files}
        rows = checks.first_errors(con, self.max_errors)
        games = self._game_labels()
        errors = [
            RowError(
                names[n],
                row,
                self._header(n, column),
                code,
                games.get(value, value) if code in GAME_VALUES else value or "",
                detail or "",
                names.get(other, "") if other is not None else "",
            )
            for n, row, column, code, value, detail, other in rows
        ]
        for n, c in checks.error_counts_by_file(con).items():
            self.files[n].record.error_count = c
        return count, errors

    def _header(self, number: int, column: str | None) -> str:
        """A column as file `number` names it (`销量(元)`, not `amount`)."""
        raw = self.files[number].raw
        return raw.header(column) if raw is not None and column else column or ""

    def _game_labels(self) -> dict[str, str]:
        """A game's spelling in a file (lower-cased) → its name in the catalogue (`福彩3D`)."""
        table = (self._references or {}).get("ref_games")
        if table is None or "label" not in table.column_names:
            return {}
        return dict(zip(table["alias"].to_pylist(), table["label"].to_pylist(), strict=True))

    def _check_mof_periods(self) -> None:
        seen: dict[str, _File] = {}
        for f in self.files:
            if f.mof is None:
                continue
            if f.mof.period in seen:
                f.errors.append(
                    RowError(
                        f.label,
                        None,
                        "",
                        "mof_two_files_same_period",
                        f.mof.period,
                        other=seen[f.mof.period].label,
                    )
                )
            seen.setdefault(f.mof.period, f)

    # -- outcomes --------------------------------------------------------------------------------
    def _refuse(
        self, file_errors: list[RowError], row_errors: list[RowError], total: int
    ) -> ImportOutcome:
        now = timezone.now()
        for f in self.files:
            mine = [e for e in (*f.errors, *row_errors) if e.file == f.label]
            f.record.error_count = f.record.error_count + len(f.errors)
            f.record.errors = [e.as_dict() for e in mine[:ERRORS_PER_RECORD]]
            f.record.status = ImportStatus.FAILED
            f.record.finished_at = now
            f.record.message = (
                _("%(n)s error(s); nothing was imported.") % {"n": f.record.error_count}
                if f.record.error_count
                else _("Another file of the batch has errors.")
            )
            f.record.save()
        errors = (file_errors + row_errors)[: self.max_errors]
        return ImportOutcome(self.batch, [f.record for f in self.files], errors, total)

    def _commit(self, con) -> ImportOutcome:
        """Commit the checked rows (the table `facts`) to the store; record the success."""
        if self.dry_run:
            return self._checked(con)
        if self._clean is None:  # the fast path registered its facts already
            checks.build_facts(con, self._has_tickets)
        self._file_stats(con)
        self._day_changes(con)
        self._step()
        ids = tuple(f.record.pk for f in self.files if f.mof is None)  # the sales files
        written = self._clean.written if self._clean is not None else None
        if written is not None:  # the stream wrote the partitions already
            years = len(written)
        else:
            years = con.execute("SELECT count(DISTINCT year(date)) FROM facts").fetchone()[0]
        self._bar.total += years
        self._total += years
        commit = None
        if written is not None:
            commit = self.store.commit_written(written, ids, progress=lambda _: self._step())
        elif years:
            commit = self.store.commit_facts(
                con,
                "facts",
                ids,
                mode=self.mode,
                scope=self._removal().scope,
                lock=False,
                progress=lambda _: self._step(),
                arrow=self._clean.facts if self._clean is not None else None,
            )
        with transaction.atomic():
            for f in self.files:
                if f.mof is not None:
                    self._save_mof(f)
            self._succeed(commit)
        self._step()
        forget_contexts()
        return ImportOutcome(self.batch, [f.record for f in self.files], [], 0, commit)

    def _removal(self) -> Removal:
        scope = frozenset(self.allowed) if self.allowed is not None else None
        return Removal(self.mode, scope)

    def _has_facts(self, con) -> bool:
        if self._clean is not None and self._clean.facts is not None:
            return True  # registered (asking DuckDB's catalogue costs 20 ms)
        query = "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'facts'"
        return bool(con.execute(query).fetchall()[0][0])

    def _day_changes(self, con) -> None:
        """What the batch does to the store, per day, on the first sales file's record (the
        batch's effect: its files are committed together). Facts streamed into years the
        store did not have replace nothing: only what they add is counted."""
        record = next((f.record for f in self.files if f.mof is None), None)
        if record is None:
            return
        if self._has_facts(con):
            changes = self.store.day_changes(con, "facts", self._removal())
        else:
            changes = []
        record.day_changes = changes
        record.replaced_rows = sum(c["replaced_rows"] for c in changes)
        record.removed_rows = sum(c["removed_rows"] for c in changes)
        record.removed_amount_fen = sum(c["removed_fen"] for c in changes)

    def _checked(self, con) -> ImportOutcome:
        """A dry run found no error: say so, and leave the store alone."""
        if self._clean is None and any(f.raw is not None for f in self.files):
            checks.build_facts(con, self._has_tickets)
        self._file_stats(con)
        self._day_changes(con)
        now = timezone.now()
        for f in self.files:
            f.record.status, f.record.progress = ImportStatus.SUCCEEDED, 100
            f.record.finished_at = now
            f.record.message = _("Dry run: no errors found; nothing was imported.")
            f.record.save()
        return ImportOutcome(self.batch, [f.record for f in self.files])

    def _file_stats(self, con) -> None:
        if self._clean is not None:
            record = self.files[0].record
            record.first_day, record.last_day = self._clean.first_day, self._clean.last_day
            record.amount_fen, record.fact_rows = self._clean.amount_fen, self._clean.rows
            return
        for n, first, last, amount, facts in con.execute(FILE_STATS).fetchall():
            record = self.files[n].record
            record.first_day, record.last_day, record.amount_fen, record.fact_rows = (
                first,
                last,
                amount,
                facts,
            )

    def _save_mof(self, f: _File) -> None:
        from fucai.sales.models import MofReport

        table = f.mof
        MofReport.objects.replace_month(
            table.year,
            table.month,
            [
                MofReport(
                    year=table.year,
                    month=table.month,
                    region=c.region,
                    lottery=c.lottery,
                    month_amount_fen=c.month_amount_fen,
                    month_yoy_pct=c.month_yoy_pct,
                    ytd_amount_fen=c.ytd_amount_fen,
                    ytd_yoy_pct=c.ytd_yoy_pct,
                    note=table.note,
                    source=f.record,
                )
                for c in table.cells
            ],
            source=f.record.file_name,
        )
        f.record.first_day = dt.date(table.year, 1, 1)
        f.record.last_day = _month_end(table.year, table.month)
        f.record.fact_rows = len(table.cells)

    def _succeed(self, commit: CommitResult | None) -> None:
        now = timezone.now()
        for f in self.files:
            f.record.status = ImportStatus.SUCCEEDED
            f.record.progress = 100
            f.record.finished_at = now
            f.record.store_version = commit.manifest.version if commit else None
            if f.mof is not None:
                f.record.message = _("Ministry of Finance table for %(period)s.") % {
                    "period": f.mof.period
                }
                if f.mof.note:
                    f.record.message += " " + _("Source: %(note)s.") % {"note": f.mof.note}
            elif commit is not None and not commit.changed:
                f.record.message = _("Same content as the store: nothing changed.")
            f.record.save()

    def _fail_running(self, message: str) -> None:
        from fucai.sales.models import SalesImport

        SalesImport.objects.filter(batch=self.batch, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED, message=message[:300], finished_at=timezone.now()
        )

    def _step(self, amount: float = 1) -> None:
        """Advance the bar; the import records show the new percentage (when it changed)."""
        from fucai.sales.models import SalesImport

        self._bar.update(amount)
        self._done += amount  # counted here: a disabled bar (--no-progress) counts nothing
        percent = min(99, int(100 * self._done / max(self._total, 1)))
        if percent <= self._percent:  # unchanged, or the total grew (the years to write)
            return
        self._percent = percent
        SalesImport.objects.filter(batch=self.batch, status=ImportStatus.RUNNING).update(
            progress=percent
        )


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def import_files(paths, **options) -> ImportOutcome:
    """Import a batch of files; see SalesImporter for the options."""
    return SalesImporter(paths, **options).run()
