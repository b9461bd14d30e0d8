"""Report packs (报告包): a monthly or quarterly Excel workbook of the province or of one city,
one sheet per module that has data for the period (the sections each module declares in its
`report_sections`, fucai.core.registry) and a 说明 sheet (scope, period, as of, who, when).

Made by the background worker (django-q2: `request_pack` queues `run_pack`), by the schedule
(`scheduled_packs`, on the 1st of each month: last month's packs, and last quarter's after a
quarter ends, for the province and every city) or at once (`fucai report pack`). One row per
scope, kind and period: made again, the row is reused and its file replaced only once the new
workbook is complete and stored — the new file is written under a new name, the row switched to
it in one transaction, and the old file deleted after that commits; a failure leaves the row
`failed` with the error and the previous file in place."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fucai.reports.choices import PackKind, PackStatus

logger = logging.getLogger(__name__)
TASK = "fucai.reports.packs.run_pack"
SCHEDULE_NAME = "reports-monthly-packs"
SCHEDULE_TASK = "fucai.reports.packs.scheduled_packs"
ONE_DAY = dt.timedelta(days=1)
# the sheets' order (the modules' sections by key; others after them, in INSTALLED_APPS order)
SHEET_ORDER = ("sales", "network", "evaluation", "party", "welfare")
_PATTERNS = {PackKind.MONTHLY: r"\d{4}-\d{2}", PackKind.QUARTERLY: r"\d{4}-Q[1-4]"}


class PackError(ValueError):
    """A pack that cannot be asked for (a bad scope, kind or period), in the user's language."""


# -- what a pack is of ----------------------------------------------------------------------------
def period_bounds(kind: str, period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a monthly (2023-08) or quarterly (2023-Q3) period that has
    begun (a period in the future has nothing to report: PackError)."""
    from fucai.evaluation.indicators import PeriodError
    from fucai.evaluation.indicators import period_bounds as bounds

    pattern = _PATTERNS.get(kind)
    if pattern is None:
        raise PackError(_("kind: monthly or quarterly"))
    if not re.fullmatch(pattern, str(period).strip()):
        example = "2023-08" if kind == PackKind.MONTHLY else "2023-Q3"
        raise PackError(
            _("period %(period)r: write it as %(example)s") % {"period": period, "example": example}
        )
    try:
        start, end = bounds(period.strip())
    except PeriodError as exc:
        raise PackError(str(exc)) from None
    if start > timezone.localdate():
        raise PackError(
            _("period %(period)s has not begun: a pack covers a month or quarter up to today")
            % {"period": period}
        )
    return start, end


def previous_period(kind: str, day: dt.date) -> str | None:
    """The month before `day`'s month; for quarterly, the quarter that ended just before `day`'s
    month began (None when `day`'s month does not start a quarter)."""
    last = day.replace(day=1) - ONE_DAY
    if kind == PackKind.MONTHLY:
        return f"{last:%Y-%m}"
    if last.month % 3:
        return None
    return f"{last.year}-Q{last.month // 3}"


def scope_for(code: str):
    """The ReportScope of "province" or a city (adcode or name: 360700, 赣州, 赣州市)."""
    from fucai.core.reporting import PROVINCE, ReportScope
    from fucai.geo.choices import DivisionLevel
    from fucai.geo.models import Division

    value = str(code).strip()
    if value == PROVINCE:
        return ReportScope(PROVINCE, _("Whole province"))
    cities = Division.objects.filter(level=DivisionLevel.PREFECTURE)
    city = (
        cities.filter(code=value).first() or cities.filter(name__in=[value, f"{value}市"]).first()
    )
    if city is None:
        raise PackError(
            _("scope %(scope)r: “province” or a city of the province") % {"scope": value}
        )
    return ReportScope(city.code, city.name, city.pk)


def all_scopes() -> list:
    """The province and every city, as ReportScopes."""
    from fucai.core.reporting import PROVINCE
    from fucai.geo.choices import DivisionLevel
    from fucai.geo.models import Division

    cities = Division.objects.filter(level=DivisionLevel.PREFECTURE).order_by("code")
    return [scope_for(PROVINCE), *(scope_for(c.code) for c in cities)]


def default_as_of(period_end: dt.date) -> dt.date:
    """The period's last day, or today while it runs."""
    return min(period_end, timezone.localdate())


# -- the workbook ---------------------------------------------------------------------------------
def sections_for(scope, start: dt.date, end: dt.date, as_of: dt.date, progress=None) -> list:
    """Every module's section of the pack that has data (fucai.core.registry.report_sections);
    `progress(step, done, total)` is told after each."""
    from fucai.core.registry import report_sections, resolve

    paths = report_sections()
    found = []
    for done, path in enumerate(paths, start=1):
        section = resolve(path)(scope, start, end, as_of)
        if section is not None:
            found.append(section)
        if progress is not None:
            progress(section.title if section else path, done, len(paths))
    rank = {key: n for n, key in enumerate(SHEET_ORDER)}
    return sorted(found, key=lambda s: rank.get(s.key, len(rank)))


def pack_workbook(scope, kind: str, period: str, as_of: dt.date, who: str, made, sections):
    """The .xlsx bytes of a pack: a sheet per section, then the 说明 sheet."""
    from openpyxl import Workbook

    from fucai.core.excel import add_notes_sheet, workbook_bytes, write_table

    wb = Workbook()
    wb.remove(wb.active)
    for section in sections:
        write_table(wb.create_sheet(section.title[:31]), section.columns, section.rows)
    start, end = period_bounds(kind, period)
    notes = [
        (_("Scope"), scope.name),
        (_("Kind"), PackKind(kind).label),
        (_("Period"), f"{period} ({start.isoformat()} – {end.isoformat()})"),
        (_("As of"), as_of.isoformat()),
        (_("Made by"), who),
        (_("Made"), timezone.localtime(made).strftime("%Y-%m-%d %H:%M")),
        (_("Sheets"), "、".join(s.title for s in sections) or _("none: no data for the period")),
    ]
    notes += [note for section in sections for note in section.notes]
    add_notes_sheet(wb, _("Notes"), notes)
    return workbook_bytes(wb)


def who_made(pack) -> str:
    user = pack.requested_by
    if user is None:
        return str(_("the schedule"))
    return user.get_full_name() or user.username


def download_name(pack) -> str:
    name = pack.city.name if pack.city_id else _("Whole province")
    return _("%(scope)s report pack %(period)s") % {"scope": name, "period": pack.period} + ".xlsx"


# -- asking for a pack, and making it -------------------------------------------------------------
def prepare(scope, kind: str, period: str, as_of: dt.date | None, user):
    """The pack's row (new, or the existing one of that scope, kind and period), queued, and
    whether it was: a pack already queued or running is returned as it is."""
    from fucai.reports.models import ReportPack

    _start, end = period_bounds(kind, period)
    as_of = as_of or default_as_of(end)
    pack, _new = ReportPack.objects.get_or_create(
        scope=scope.code,
        kind=kind,
        period=period,
        defaults={"city_id": scope.city_id, "as_of": as_of, "requested_by": user},
    )
    if not _new and pack.running:
        return pack, False
    pack.as_of, pack.requested_by = as_of, user
    pack.status, pack.progress, pack.step, pack.error = PackStatus.QUEUED, 0, "", ""
    pack.finished = None
    pack.save()
    return pack, True


def request_pack(scope, kind: str, period: str, as_of: dt.date | None = None, user=None):
    """Queue the pack for the worker (inline with FUCAI_TASKS_SYNC); its row at once."""
    from django_q.tasks import async_task

    pack, queued = prepare(scope, kind, period, as_of, user)
    if queued:
        language = translation.get_language() or settings.LANGUAGE_CODE
        async_task(
            TASK,
            pack.pk,
            language,
            task_name=f"report-pack-{pack.pk}",
            group="reports",
            sync=settings.TASKS_SYNC,
        )
    return pack


def make_now(scope, kind: str, period: str, as_of: dt.date | None = None, user=None):
    """Make the pack in this process (`fucai report pack`); its row, done or failed."""
    pack, _queued = prepare(scope, kind, period, as_of, user)
    run_pack(pack.pk, translation.get_language() or settings.LANGUAGE_CODE)
    pack.refresh_from_db()
    return pack


def _progress(pk: int) -> Callable[[str, int, int], None]:
    from fucai.reports.models import ReportPack

    def tell(step: str, done: int, total: int) -> None:
        pct = min(95, 5 + 90 * done // max(total, 1))
        ReportPack.objects.filter(pk=pk).update(step=str(step)[:80], progress=pct)

    return tell


def run_pack(pk: int, language: str = "zh-hans") -> dict:
    """The worker's job: the workbook of pack `pk`, stored, then the row switched to it."""
    from fucai.reports.models import ReportPack

    pack = ReportPack.objects.select_related("city", "requested_by").get(pk=pk)
    ReportPack.objects.filter(pk=pk).update(status=PackStatus.RUNNING, progress=5, step="")
    with translation.override(language):
        try:
            scope = scope_for(pack.scope)
            start, end = period_bounds(pack.kind, pack.period)
            sections = sections_for(scope, start, end, pack.as_of, _progress(pk))
            made = timezone.now()
            content = pack_workbook(
                scope, pack.kind, pack.period, pack.as_of, who_made(pack), made, sections
            )
        except Exception as exc:
            logger.exception("report pack %s failed", pk)
            return _fail(pk, str(exc) or exc.__class__.__name__)
        _switch(pack, content, made, [s.key for s in sections])
    return {"pack": pk}


def _switch(pack, content: bytes, made, keys: list[str]) -> None:
    """Store the new file, point the row at it in one transaction, then drop the old file."""
    from fucai.reports.models import ReportPack

    field = ReportPack._meta.get_field("file")
    storage = field.storage
    name = storage.save(
        field.generate_filename(pack, f"{pack.scope}-{pack.period}.xlsx"), ContentFile(content)
    )
    old = pack.file.name
    try:
        with transaction.atomic():
            row = ReportPack.objects.select_for_update().get(pk=pack.pk)
            row.file.name = name
            row.file_as_of, row.file_made, row.sections = pack.as_of, made, keys
            row.status, row.progress, row.step, row.error = PackStatus.DONE, 100, "", ""
            row.finished = timezone.now()
            row.save()
            if old and old != name:
                transaction.on_commit(lambda: storage.delete(old))
    except Exception:
        storage.delete(name)
        raise


def _fail(pk: int, error: str) -> dict:
    from fucai.reports.models import ReportPack

    row = ReportPack.objects.get(pk=pk)
    row.status, row.error, row.progress, row.step = PackStatus.FAILED, error, 100, ""
    row.finished = timezone.now()
    row.save()
    return {"pack": pk, "error": error}


# -- the schedule ---------------------------------------------------------------------------------
def scheduled_packs(today: dt.date | None = None) -> list[int]:
    """The schedule's job (the 1st of each month): last month's packs, and last quarter's when
    one just ended, for the province and every city, each queued for the worker."""
    day = today or timezone.localdate()
    packs = []
    for kind in (PackKind.MONTHLY, PackKind.QUARTERLY):
        period = previous_period(kind, day)
        if period is None:
            continue
        packs += [request_pack(scope, kind, period).pk for scope in all_scopes()]
    return packs


def next_first_of_month(now: dt.datetime | None = None) -> dt.datetime:
    """02:00 local time on the 1st of the next month."""
    local = timezone.localtime(now or timezone.now())
    first = (local.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return local.replace(
        year=first.year, month=first.month, day=1, hour=2, minute=0, second=0, microsecond=0
    )


def ensure_schedule(**_kwargs):
    """The monthly django-q2 Schedule of `scheduled_packs`, made once (a post_migrate handler:
    migrating again changes nothing, a changed schedule is kept)."""
    from django_q.models import Schedule

    schedule, _new = Schedule.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": SCHEDULE_TASK,
            "schedule_type": Schedule.MONTHLY,
            "repeats": -1,
            "next_run": next_first_of_month(),
        },
    )
    return schedule
