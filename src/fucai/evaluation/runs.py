"""Runs, frozen (issue 13 point 3). Running a scheme version for a period freezes its inputs (the
InputTable of fucai.evaluation.indicators.build_inputs), the engine's result (and robustness if
asked), who and when; `reproduce(run)` re-evaluates the stored inputs with the stored scheme
version (and variant) and gives the stored result, whatever the data later. Publishing is a step
of its own; objections are filed against a published result and resolved with a note.

Long runs go to the background worker (django-q2, `fucai qcluster`; inline with
FUCAI_TASKS_SYNC), like the Party's effect studies: `start_run` queues `run_job(pk)`."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fucai.evaluation.choices import ObjectionStatus, Population, RunStatus
from fucai.evaluation.inputs import InputTable
from fucai.evaluation.models import EvaluationObjection, EvaluationResult, EvaluationRun

logger = logging.getLogger(__name__)
TASK = "fucai.evaluation.runs.run_job"


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of "2023", "2023-Q3" or "2023-07": the indicators' one definition
    (fucai.evaluation.indicators.period_bounds), its refusal as a ValidationError for forms."""
    from fucai.evaluation.indicators import PeriodError
    from fucai.evaluation.indicators import period_bounds as bounds

    try:
        return bounds(period)
    except PeriodError as exc:
        raise ValidationError(str(exc), code="period") from None


# --- the frozen inputs ----------------------------------------------------------------------
def inputs_to_dict(table: InputTable) -> dict:
    return {
        "population": table.population,
        "period": table.period,
        "start": table.start.isoformat(),
        "end": table.end.isoformat(),
        "ids": list(table.ids),
        "labels": dict(table.labels),
        "cities": dict(table.cities),
        "values": {k: dict(v) for k, v in table.values.items()},
        "sources": {k: dict(v) for k, v in table.sources.items()},
        "data_version": table.data_version,
    }


def inputs_from_dict(data: dict) -> InputTable:
    return InputTable(
        population=data["population"],
        period=data["period"],
        start=dt.date.fromisoformat(data["start"]),
        end=dt.date.fromisoformat(data["end"]),
        ids=tuple(data["ids"]),
        labels=data["labels"],
        cities=data["cities"],
        values=data["values"],
        sources=data.get("sources", {}),
        data_version=data.get("data_version", ""),
    )


# --- the scheme a run used -------------------------------------------------------------------
def run_scheme(run: EvaluationRun):
    """The stored scheme version, with the run's variant (a saved what-if) applied."""
    from fucai.evaluation.schemes_store import stored_scheme

    scheme = stored_scheme(run.scheme)
    if run.variant:
        from fucai.evaluation.whatif import vary

        scheme = vary(scheme, **run.variant)
    return scheme


def compute(
    scheme, table: InputTable, draws: int = 0, previous: dict | None = None
) -> tuple[dict, dict]:
    """(result, robustness or {}) of the engine on an InputTable; `previous`: id → periods
    running in a bottom-k zone before this one (`previous_streaks`)."""
    from fucai.evaluation.engine import evaluate, robustness
    from fucai.evaluation.indicators import completed_matrix

    names = [i.name for i in scheme.indicators]
    missing = [n for n in names if n not in table.values]
    if missing:
        raise ValidationError(
            _("the inputs have no values of %(names)s") % {"names": ", ".join(missing)}
        )
    matrix, filled = completed_matrix(table, scheme)  # a missing value counts as the worst
    ids = list(table.ids)
    result = evaluate(scheme, ids, matrix, previous, elapsed=table.elapsed)
    result["filled"] = [list(cell) for cell in filled]
    result["missing_inputs"] = missing_record(scheme, table)
    result["previous_streaks"] = dict(previous or {})
    extra = {}
    if draws and scheme.robustness is not None:
        settings_ = scheme.robustness.model_copy(update={"draws": draws})
        extra = robustness(scheme, ids, matrix, settings_, table.elapsed, previous)
    return result, extra


def missing_record(scheme, table: InputTable) -> dict:
    """What a run records of its missing inputs: the rule they were counted by and, per
    indicator, the alternatives without a value (manual ones: not entered)."""
    from fucai.evaluation.indicators import MISSING_RULE

    indicators = {}
    for indicator in scheme.indicators:
        column = table.values.get(indicator.name, {})
        missing = [i for i in table.ids if column.get(i) is None]
        if missing:
            indicators[indicator.name] = {"manual": indicator.source == "manual", "ids": missing}
    return {"rule": MISSING_RULE, "indicators": indicators}


def reproduce(run: EvaluationRun) -> dict:
    """The result of the run's stored inputs under its stored scheme version: the stored one."""
    previous = run.result.get("previous_streaks") if run.result else None
    result, _extra = compute(run_scheme(run), inputs_from_dict(run.inputs), previous=previous)
    return result


def previous_period(period: str) -> str:
    """The period before: 2023 → 2022, 2023-Q1 → 2022-Q4, 2023-01 → 2022-12."""
    start, _end = period_bounds(period)
    if "-Q" in period:
        quarter = (start.month - 1) // 3 + 1
        return f"{start.year - 1}-Q4" if quarter == 1 else f"{start.year}-Q{quarter - 1}"
    if "-" in period:
        day = start - dt.timedelta(days=1)
        return f"{day.year}-{day.month:02d}"
    return str(start.year - 1)


def latest_published(scheme_name: str, period: str) -> EvaluationRun | None:
    """The latest published (finished) run of the scheme for the period."""
    return (
        EvaluationRun.objects.filter(
            scheme__name=scheme_name,
            period=period,
            status=RunStatus.DONE,
            published__isnull=False,
        )
        .order_by("-published", "-pk")
        .first()
    )


def run_streaks(run: EvaluationRun | None) -> dict[str, int]:
    """id → periods running in a bottom-k zone at the end of `run` (None: nobody has a streak)."""
    rows = run.result.get("alternatives", []) if run is not None else []
    return {r["id"]: r["bottom_k_streak"] for r in rows if r.get("bottom_k_streak")}


def previous_streaks(run: EvaluationRun) -> dict[str, int]:
    """id → periods running in a bottom-k zone, from the latest published run of the same
    scheme for the period before (none published: nobody has a streak)."""
    return run_streaks(latest_published(run.scheme.name, previous_period(run.period)))


def previous_named(scheme_name: str, period: str, ref: str) -> EvaluationRun:
    """The run a command names as the period before `period` (`fucai evaluate period
    --previous`): `run:ID`, or the period before itself (its latest published run). Either way a
    published, finished run of the same scheme for the period just before; otherwise refused,
    saying why."""
    before = previous_period(period)
    ref = (ref or "").strip()
    params = {"ref": ref, "period": period, "before": before, "scheme": scheme_name}
    if ref.lower().startswith("run:"):
        pk = ref[4:].strip()
        run = EvaluationRun.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        if run is None:
            raise ValidationError(_("--previous %(ref)s: no such run") % params)
        params.update(other=run.scheme.name, other_period=run.period)
        if run.scheme.name != scheme_name:
            message = _("--previous %(ref)s: a run of %(other)s, not of %(scheme)s")
            raise ValidationError(message % params)
        if run.period != before:
            message = _("--previous %(ref)s: a run of %(other_period)s, not of %(before)s")
            raise ValidationError(message % params)
        if run.status != RunStatus.DONE or run.published is None:
            raise ValidationError(_("--previous %(ref)s: not a published run") % params)
        return run
    if ref != before:
        message = _(
            "--previous %(ref)s: the period before %(period)s is %(before)s (or name run:ID)"
        )
        raise ValidationError(message % params)
    run = latest_published(scheme_name, before)
    if run is None:
        message = _("--previous %(ref)s: no published run of %(scheme)s for %(before)s")
        raise ValidationError(message % params)
    return run


# --- freezing ---------------------------------------------------------------------------------
def check_in_force(scheme_row, period: str, start: dt.date, end: dt.date) -> None:
    """A scheme is run only for a period it is in force in (its effective dates overlap it)."""
    before = end < scheme_row.valid_from
    after = scheme_row.valid_to is not None and start > scheme_row.valid_to
    if before or after:
        message = _("period %(period)s: the scheme is in force from %(start)s to %(end)s")
        until = scheme_row.valid_to.isoformat() if scheme_row.valid_to else "…"
        params = {"period": period, "start": scheme_row.valid_from.isoformat(), "end": until}
        raise ValidationError(message % params, code="period")


def new_run(
    scheme_row,
    period: str,
    as_of: dt.date | None,
    user,
    draws: int = 0,
    variant=None,
    missing_confirmed: list[str] | None = None,
):
    """A queued run. `missing_confirmed`: the manual indicators the user was warned had values
    not entered for the period and chose to run with anyway (counted as the worst value); the
    worker refuses a run whose manual inputs lack values it was not confirmed for."""
    start, end = period_bounds(period)
    if as_of is not None and not start <= as_of <= end:
        raise ValidationError(_("as of: a day of the period %(period)s") % {"period": period})
    check_in_force(scheme_row, period, start, end)
    return EvaluationRun.objects.create(
        scheme=scheme_row,
        period=period,
        as_of=as_of or end,
        robustness_draws=draws,
        variant=variant or {},
        created_by=user,
        inputs=confirmation(user, missing_confirmed) if missing_confirmed else {},
    )


def confirmation(user, names: list[str]) -> dict:
    """Kept in the run's inputs: who chose to run without these manual inputs, and when."""
    return {
        "missing_confirmed": {
            "indicators": sorted(names),
            "by": user.get_username() if user else "",
            "by_name": (user.get_full_name() or user.get_username()) if user else "",
            "at": timezone.now().isoformat(timespec="seconds"),
        }
    }


@transaction.atomic
def freeze(run: EvaluationRun, table: InputTable) -> EvaluationRun:
    """Compute the run on `table` and keep both, with a result row per alternative."""
    from fucai.geo.models import Division
    from fucai.network.models import MarketManager

    scheme = run_scheme(run)
    result, extra = compute(scheme, table, run.robustness_draws, previous_streaks(run))
    cities = {d.code: d for d in Division.objects.filter(code__in=set(table.cities.values()))}
    managers = {}
    if scheme.population == Population.MARKET_MANAGERS:
        managers = {
            m.employee_code: m for m in MarketManager.objects.filter(employee_code__in=table.ids)
        }
    EvaluationResult.objects.filter(run=run).delete()
    EvaluationResult.objects.bulk_create(
        EvaluationResult(
            run=run,
            alternative=row["id"],
            label=table.labels.get(row["id"], row["id"])[:80],
            city=cities.get(table.cities.get(row["id"], "")),
            market_manager=managers.get(row["id"]),
            rank=row["rank"],
            score=row["score"],
            grade=row["grade"],
            eliminated=row["eliminated"],
            pay_factor=None if row["pay_factor"] is None else Decimal(str(row["pay_factor"])),
            pay=None if row["pay"] is None else Decimal(row["pay"]),
        )
        for row in result["alternatives"]
    )
    confirmed = {k: v for k, v in (run.inputs or {}).items() if k == "missing_confirmed"}
    run.inputs = {**inputs_to_dict(table), **confirmed}
    run.data_version = table.data_version[:200]
    run.result = result
    run.robustness = extra
    run.status = RunStatus.DONE
    run.progress, run.step, run.error = 100, "", ""
    run.finished = timezone.now()
    run.save()
    return run


def start_run(run: EvaluationRun) -> str:
    """Queue the run for the worker (inline with TASKS_SYNC)."""
    from django_q.tasks import async_task

    return async_task(
        TASK, run.pk, task_name=f"evaluation-{run.pk}", group="evaluation", sync=settings.TASKS_SYNC
    )


def _step(pk: int, step: str, pct: int) -> None:
    EvaluationRun.objects.filter(pk=pk).update(status=RunStatus.RUNNING, step=step, progress=pct)


def run_job(pk: int) -> dict:
    """The worker's job: the period's inputs from fucai's data, then freeze."""
    from fucai.evaluation.indicators import build_inputs  # the indicator part (issue 13)

    run = EvaluationRun.objects.select_related("scheme", "created_by").get(pk=pk)
    _step(pk, _("reading the data"), 10)
    try:
        scheme = run_scheme(run)
        # the whole population (grades by quota need everyone); who sees which row is decided
        # when the results are shown (fucai.evaluation.visibility)
        table = build_inputs(scheme, run.period, as_of=run.as_of)
        refuse_unconfirmed_missing(run, scheme, table)
        _step(pk, _("evaluating"), 50)
        freeze(run, table)
    except ValidationError as exc:
        return _fail(pk, " ".join(exc.messages))
    except Exception as exc:
        _fail(pk, _("The run stopped: %(error)s") % {"error": exc})
        raise
    return {"run": pk}


def refuse_unconfirmed_missing(run: EvaluationRun, scheme, table: InputTable) -> None:
    """A run whose manual inputs lack values is refused unless its user confirmed running
    without them (the run page's warning): never silently counted as the worst."""
    from fucai.evaluation.manual import unentered

    confirmed = set((run.inputs or {}).get("missing_confirmed", {}).get("indicators", []))
    lacking = [m for m in unentered(scheme, table.ids, table.values) if m["name"] not in confirmed]
    if lacking:
        raise ValidationError(missing_message(lacking, run.period))


def missing_message(lacking: list[dict], period: str) -> str:
    """ "Manual inputs not entered for 2023-Q3: 培训学时 (123 of 123), …"."""
    listed = "; ".join(
        _("%(label)s (%(missing)s of %(of)s)")
        % {"label": m["label"], "missing": len(m["missing"]), "of": m["of"]}
        for m in lacking
    )
    return _(
        "Manual inputs not entered for %(period)s: %(indicators)s. Enter them on the scheme's "
        "manual-input sheet, or confirm running without them (they count as the worst value)."
    ) % {"period": period, "indicators": listed}


def _fail(pk: int, error: str) -> dict:
    EvaluationRun.objects.filter(pk=pk).update(
        status=RunStatus.FAILED, error=error, progress=100, step="", finished=timezone.now()
    )
    return {"run": pk, "error": error}


# --- comparing, publishing, objections ------------------------------------------------------
def compare(run: EvaluationRun, other: EvaluationRun, ids: set[str] | None = None) -> list[dict]:
    """Side by side, per alternative of `run` (those in `ids`): rank, grade and score in both
    and the changes (rank change > 0: moved up)."""
    theirs = {r["id"]: r for r in other.result.get("alternatives", [])}
    rows = []
    for mine in sorted(run.result.get("alternatives", []), key=lambda r: (r["rank"], r["id"])):
        if ids is not None and mine["id"] not in ids:
            continue
        their = theirs.get(mine["id"])
        rows.append(
            {
                "id": mine["id"],
                "label": run.inputs.get("labels", {}).get(mine["id"], mine["id"]),
                "rank": mine["rank"],
                "grade": mine["grade"],
                "score": mine["score"],
                "other_rank": their and their["rank"],
                "other_grade": their and their["grade"],
                "other_score": their and their["score"],
                "rank_change": None if their is None else their["rank"] - mine["rank"],
                "score_change": None if their is None else mine["score"] - their["score"],
                "grade_changed": their is not None and their["grade"] != mine["grade"],
            }
        )
    return rows


def unentered_manual(run: EvaluationRun) -> list[str]:
    """The manual indicators a frozen run had values missing of (counted as the worst)."""
    missing = (run.result or {}).get("missing_inputs", {}).get("indicators", {})
    return [name for name, cell in missing.items() if cell.get("manual")]


def publish(run: EvaluationRun, user) -> EvaluationRun:
    if run.status != RunStatus.DONE:
        raise ValidationError(_("Only a finished run can be published."))
    if unentered_manual(run):
        raise ValidationError(
            _(
                "A run whose manual inputs were not all entered is provisional: enter them and "
                "run the period again to publish it."
            )
        )
    if run.published is None:
        run.published, run.published_by = timezone.now(), user
        run.save(update_fields=["published", "published_by"])
    return run


def file_objection(result: EvaluationResult, user, text: str) -> EvaluationObjection:
    from fucai.evaluation.visibility import may_object

    if not may_object(user, result):
        raise ValidationError(_("Only the person evaluated may object to a published result."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Say what you object to.")})
    return EvaluationObjection.objects.create(result=result, text=text.strip(), filed_by=user)


def resolve_objection(objection: EvaluationObjection, user, note: str) -> EvaluationObjection:
    from fucai.evaluation.visibility import may_resolve

    if not may_resolve(user, objection.result):
        raise ValidationError(_("Only the scheme's owners resolve an objection."))
    if objection.status == ObjectionStatus.RESOLVED:
        raise ValidationError(_("This objection is already resolved."))
    if not (note or "").strip():
        raise ValidationError({"resolution": _("Write the resolution.")})
    objection.status = ObjectionStatus.RESOLVED
    objection.resolution, objection.resolved_by = note.strip(), user
    objection.resolved = timezone.now()
    objection.save()
    return objection
