"""Evaluation pages (issue 13 point 8): schemes (indicators, weights, the AHP matrix with its CR),
running a period, a run's results (grades, eliminations, pay factors; Excel; compared with
another run), publishing, an alternative's explanation and objections, what-if and robustness.

Every page asks fucai.evaluation.visibility: 403 without a role that sees evaluations, a run or
result outside what one sees is the same 404 as a missing one, and a run's tables keep only the
rows one sees."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fucai.evaluation import visibility as vis
from fucai.evaluation.models import EvaluationObjection, EvaluationScheme

TOP = 20  # rows a long table shows before "show all" (what-if, robustness)


def _scheme_row(request, name: str, version: str | None = None) -> EvaluationScheme:
    vis.evaluation_reach(request.user)
    rows = EvaluationScheme.objects.filter(name=name)
    row = rows.filter(version=version).first() if version and version.isdigit() else rows.first()
    if row is None:
        raise Http404
    return row


def _require_run(request) -> None:
    vis.evaluation_reach(request.user)
    if not vis.may_run(request.user):
        raise PermissionDenied(_("Only the provincial centre runs evaluations."))


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    vis.evaluation_reach(request.user)
    schemes = EvaluationScheme.objects.order_by("name", "-version")
    latest = {}
    for row in schemes:
        latest.setdefault(row.name, row)
    runs = vis.visible_runs(request.user)[:100]
    context = {"schemes": list(latest.values()), "runs": runs, "may_run": vis.may_run(request.user)}
    return render(request, "evaluation/home.html", context)


RI_NAMES = {
    "saaty": "Saaty (2005), Theory and Applications of the Analytic Network Process, p. 31",
    "donegan_dodd": "Donegan & Dodd (1991), Mathematical and Computer Modelling 15(10)",
}


def ahp_table(scheme) -> dict | None:
    if scheme.weights.method != "ahp":
        return None
    from fucai.evaluation.methods import RANDOM_INDEX
    from fucai.evaluation.scheme import ahp_cell

    result = scheme.ahp_result()
    codes = [f"C{k}" for k in range(1, len(scheme.indicators) + 1)]  # the matrix's headings
    return {
        "key": [(c, i.label, i.name) for c, i in zip(codes, scheme.indicators, strict=True)],
        "codes": codes,
        "rows": [
            (code, [(ahp_cell(cell), k == j) for k, cell in enumerate(cells)])
            for j, (code, cells) in enumerate(zip(codes, scheme.weights.matrix, strict=True))
        ],
        "lambda_max": result.lambda_max,
        "ci": result.ci,
        "cr": result.cr,
        "consistent": result.consistent,
        "random_index": scheme.weights.random_index,
        "ri_name": RI_NAMES[scheme.weights.random_index],
        "ri_table": sorted(RANDOM_INDEX[scheme.weights.random_index].items()),
    }


def latest_manual_sets(name: str) -> list:
    """The latest manual-input set of each period of the scheme, latest period first."""
    from fucai.evaluation.models import ManualInputSet

    latest = {}
    for row in ManualInputSet.objects.filter(scheme=name).order_by("period", "-version"):
        latest.setdefault(row.period, row)
    return sorted(latest.values(), key=lambda r: r.period, reverse=True)


@login_required
@require_GET
def scheme_detail(request: HttpRequest, name: str) -> HttpResponse:
    from fucai.evaluation.manual import manual_indicators

    row = _scheme_row(request, name, request.GET.get("version"))
    scheme = row.parsed()
    weights = None
    if scheme.weights.method == "direct":
        weights = scheme.weights.values
    elif scheme.weights.method == "ahp":
        weights = scheme.ahp_result().weights
    context = {
        "row": row,
        "scheme": scheme,
        "weights": weights,
        "ahp": ahp_table(scheme),
        "versions": EvaluationScheme.objects.filter(name=name).order_by("-version"),
        "runs": vis.visible_runs(request.user).filter(scheme__name=name)[:50],
        "may_run": vis.may_run(request.user),
        "manual": manual_indicators(scheme),
        "manual_sets": latest_manual_sets(name),
        "today": dt.date.today(),
    }
    return render(request, "evaluation/scheme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request: HttpRequest, name: str) -> HttpResponse:
    """A new version of the scheme: its document edited (validated; errors name their path)."""
    from fucai.evaluation.scheme import SchemeError
    from fucai.evaluation.schemes_store import save_scheme

    _require_run(request)
    row = _scheme_row(request, name)
    text, errors, status = row.document, [], 200
    valid_from = row.valid_from.isoformat()
    valid_to = row.valid_to.isoformat() if row.valid_to else ""
    note = ""
    if request.method == "POST":
        text = request.POST.get("document", "")
        valid_from, valid_to = request.POST.get("valid_from", ""), request.POST.get("valid_to", "")
        note = request.POST.get("note", "")[:200]
        try:
            start = dt.date.fromisoformat(valid_from)
            end = dt.date.fromisoformat(valid_to) if valid_to else None
        except ValueError:
            errors, start = [_("effective from / to: dates such as 2024-01-01")], None
        if start is not None:
            try:
                new = save_scheme(
                    text, request.user, valid_from=start, valid_to=end, note=note, name=name
                )
            except SchemeError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Version %(v)s saved.") % {"v": new.version})
                return redirect("evaluation:scheme_detail", name=name)
        status = 400
    context = {
        "row": row,
        "text": text,
        "errors": errors,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "note": note,
    }
    return render(request, "evaluation/scheme_edit.html", context, status=status)


@login_required
@require_POST
def run_new(request: HttpRequest, name: str) -> HttpResponse:
    """Run a period of the scheme (its latest version) on fucai's data: queued for the worker."""
    from fucai.evaluation.indicators import PeriodError
    from fucai.evaluation.manual import unentered_for_period
    from fucai.evaluation.runs import new_run, start_run

    _require_run(request)
    row = _scheme_row(request, name)
    period = request.POST.get("period", "").strip()
    try:
        as_of = dt.date.fromisoformat(request.POST["as_of"]) if request.POST.get("as_of") else None
        draws = int(request.POST.get("draws") or 0)
        if not 0 <= draws <= 100_000:
            raise ValueError
    except ValueError:
        return HttpResponse(_("as of: a date; draws: 0 to 100000"), status=400)
    try:
        lacking = unentered_for_period(row.parsed(), period)
        confirmed = [m["name"] for m in lacking] if request.POST.get("confirm_missing") else []
        if lacking and not confirmed:
            return _confirm_missing(request, row, lacking, period, as_of, draws)
        run = new_run(row, period, as_of, request.user, draws, missing_confirmed=confirmed)
    except (ValidationError, PeriodError) as exc:
        messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return HttpResponse(" ".join(messages_), status=400)
    start_run(run)
    return redirect("evaluation:run_detail", pk=run.pk)


def _confirm_missing(request, row, lacking, period, as_of, draws) -> HttpResponse:
    """The warning before a run whose manual inputs are not (all) entered: which indicators,
    for which period, where to enter them, and the explicit choice to run anyway (they then
    count as the worst value) — a run is never queued on missing inputs without it."""
    context = {
        "row": row,
        "lacking": lacking,
        "period": period,
        "as_of": as_of.isoformat() if as_of else "",
        "draws": draws,
    }
    return render(request, "evaluation/run_confirm.html", context)


def _result_rows(request, run):
    return (
        vis.visible_results(request.user, run)
        .select_related("city")
        .order_by("rank", "alternative")
    )


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = vis.get_run(request.user, pk)
    ids = vis.visible_ids(request.user, run)
    if request.GET.get("format") == "xlsx" and run.status == "done":
        from fucai.core.excel import xlsx_response
        from fucai.evaluation.exports import result_workbook
        from fucai.evaluation.runs import run_scheme

        result = scoped_result(run, ids)
        workbook = result_workbook(run_scheme(run), result, run_people(run))
        return xlsx_response(workbook, f"{run.scheme.name}-{run.period}.xlsx")
    comparison, other = None, None
    if request.GET.get("with", "").isdigit():
        from fucai.evaluation.runs import compare

        other = vis.get_run(request.user, int(request.GET["with"]))
        comparison = compare(run, other, ids)
    results = _result_rows(request, run)
    total = results.count()
    show_all = request.GET.get("show") == "all" or total <= TOP
    results = list(results if show_all else results[:TOP])
    if run.status == "done":
        from fucai.evaluation.runs import run_scheme

        scheme = run_scheme(run)
        for r in results:
            r.grade_shown = scheme.grade_label(r.grade)
    context = {
        "run": run,
        "title": run.scheme.parsed().shown_title(),
        "worker": worker_state(run),
        "results": results,
        "hidden": 0 if show_all else total - TOP,
        "comparison": comparison,
        "other": other,
        "others": vis.visible_runs(request.user)
        .filter(status="done", scheme__population=run.scheme.population)
        .exclude(pk=run.pk)[:30],
        "may_run": vis.may_run(request.user),
        "whole": vis.sees_whole_run(request.user),
        "missing": missing_manual_rows(run),
        "objections": EvaluationObjection.objects.filter(
            result__in=vis.visible_results(request.user, run)
        ).select_related("result", "filed_by", "resolved_by"),
    }
    return render(request, "evaluation/run_detail.html", context)


def missing_manual_rows(run) -> list[dict]:
    """The manual indicators a run had values missing of: label and how many (the banner)."""
    from fucai.evaluation.runs import run_scheme, unentered_manual

    names = unentered_manual(run)
    if not names:
        return []
    labels = {i.name: i.shown_label() for i in run_scheme(run).indicators}
    cells = run.result["missing_inputs"]["indicators"]
    total = len(run.inputs.get("ids", []))
    return [
        {"label": labels.get(n, n), "missing": len(cells[n]["ids"]), "of": total} for n in names
    ]


def run_people(run) -> dict[str, tuple[str, str]]:
    """id → (name, city name) of a run's alternatives, from its frozen inputs."""
    from fucai.geo.models import Division

    cities = run.inputs.get("cities", {})
    names = dict(Division.objects.filter(code__in=set(cities.values())).values_list("code", "name"))
    labels = run.inputs.get("labels", {})
    return {
        i: (labels.get(i, i), names.get(cities.get(i, ""), "")) for i in run.inputs.get("ids", [])
    }


def scoped_result(run, ids: set[str]) -> dict:
    """The run's result with only the alternatives in `ids` (and its robustness likewise)."""
    result = dict(run.result)
    result["alternatives"] = [r for r in run.result["alternatives"] if r["id"] in ids]
    if run.robustness:
        rob = dict(run.robustness)
        rob["alternatives"] = [r for r in rob["alternatives"] if r["id"] in ids]
        result["robustness"] = rob
    return result


def worker_state(run) -> str | None:
    """A queued run the worker has not taken: whether it runs (fucai.core.worker)."""
    from fucai.core.worker import queue_state
    from fucai.evaluation.choices import RunStatus

    return queue_state(run.created) if run.status == RunStatus.QUEUED else None


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = vis.get_run(request.user, pk)
    context = {"run": run, "worker": worker_state(run)}
    response = render(request, "evaluation/_run_progress.html", context)
    if not run.running and request.GET.get("was") == "running":
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    from fucai.evaluation.runs import publish

    _require_run(request)
    run = vis.get_run(request.user, pk)
    try:
        publish(run, request.user)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    messages.success(request, _("The run is published."))
    return redirect("evaluation:run_detail", pk=run.pk)


@login_required
@require_GET
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The explanation of one result, with its objections (and the forms to file or resolve)."""
    from fucai.evaluation.explain import explain
    from fucai.evaluation.runs import run_scheme

    result = vis.get_result(request.user, pk)
    context = {
        "result": result,
        "run": result.run,
        "x": explain(result.run, result.alternative),
        "title": run_scheme(result.run).shown_title(),
        "objections": result.objections.select_related("filed_by", "resolved_by"),
        "may_object": vis.may_object(request.user, result),
        "may_resolve": vis.may_resolve(request.user, result),
    }
    return render(request, "evaluation/result_detail.html", context)


@login_required
@require_POST
def objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    from fucai.evaluation.runs import file_objection

    result = vis.get_result(request.user, pk)
    if not vis.may_object(request.user, result):
        raise PermissionDenied(_("Only the person evaluated may object to a published result."))
    try:
        file_objection(result, request.user, request.POST.get("text", ""))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    messages.success(request, _("Your objection is filed."))
    return redirect("evaluation:result_detail", pk=result.pk)


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    from fucai.evaluation.runs import resolve_objection

    objection = (
        EvaluationObjection.objects.filter(pk=pk, result__in=vis.visible_results(request.user))
        .select_related("result__run__scheme")
        .first()
    )
    if objection is None:
        raise Http404
    if not vis.may_resolve(request.user, objection.result):
        raise PermissionDenied(_("Only the scheme's owners resolve an objection."))
    try:
        resolve_objection(objection, request.user, request.POST.get("resolution", ""))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    messages.success(request, _("The objection is resolved."))
    return redirect("evaluation:result_detail", pk=objection.result_id)


def _variant_of(request, scheme) -> dict:
    from fucai.evaluation.whatif import clean_variant

    source = request.POST if request.method == "POST" else request.GET
    if request.content_type == "application/json" and request.body:
        try:
            source = json.loads(request.body)
        except ValueError:
            raise ValidationError(_("not JSON")) from None
    weights = source.get("weights")
    if weights is None:
        weights = {
            i.name: source.get(f"w_{i.name}")
            for i in scheme.indicators
            if source.get(f"w_{i.name}")
        }
    return clean_variant(scheme, weights or None, source.get("method"), source.get("normalisation"))


@login_required
@require_GET
def whatif(request: HttpRequest, pk: int) -> HttpResponse:
    from fucai.evaluation.runs import run_scheme

    run = vis.get_run(request.user, pk)
    if run.status != "done":
        raise Http404
    scheme = run_scheme(run)
    weights = run.result["weights"]
    context = {
        "run": run,
        "scheme": scheme,
        "indicators": [(i, weights[i.name]) for i in scheme.indicators],
        "weights_sum": sum(round(w, 4) for w in weights.values()),
        "used_sum": sum(weights.values()),
        "top": TOP,
        "may_run": vis.may_run(request.user),
    }
    return render(request, "evaluation/whatif.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def whatif_json(request: HttpRequest, pk: int) -> JsonResponse:
    """The stored inputs re-ranked with other weights or method (nothing saved), the rows one
    sees beside their frozen ranks."""
    from fucai.evaluation.runs import run_scheme
    from fucai.evaluation.whatif import what_if

    run = vis.get_run(request.user, pk)
    if run.status != "done":
        raise Http404
    try:
        variant = _variant_of(request, run_scheme(run))
        data = what_if(run, variant, vis.visible_ids(request.user, run))
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=400)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def whatif_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep a what-if as a new run: the same frozen inputs, the variant recorded."""
    from fucai.evaluation.runs import freeze, inputs_from_dict, new_run, run_scheme

    _require_run(request)
    run = vis.get_run(request.user, pk)
    if run.status != "done":
        raise Http404
    try:
        variant = _variant_of(request, run_scheme(run))
        if not variant:
            raise ValidationError(_("Nothing changed: change a weight or the method."))
        new = new_run(
            run.scheme, run.period, run.as_of, request.user, variant={**run.variant, **variant}
        )
        freeze(new, inputs_from_dict(run.inputs))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    return redirect("evaluation:run_detail", pk=new.pk)


def robustness_chart(rows: list[dict]) -> dict:
    return {
        "names": [r["label"] for r in rows],
        "rank": [r["rank"] for r in rows],
        "low": [r["rank_low"] for r in rows],
        "high": [r["rank_high"] for r in rows],
        "borderline": [r["borderline"] for r in rows],
        "labels": {
            "rank": _("Rank"),
            "interval": _("5th–95th percentile rank"),
            "borderline": _("Borderline: 5th–95th percentile rank"),
            "axis": _("Rank"),
        },
    }


def probability_columns(scheme) -> list[dict]:
    """The probability columns of a robustness table: one per grade band; the elimination (none
    without an elimination rule) — one column with the elimination grade when that grade is a
    label of its own, since P(that grade) is then P(eliminated) —; and the elimination zone when
    a bottom-k rule looks at earlier periods (in the zone now is not yet out)."""
    bands = [b.name for b in scheme.grades.bands]
    columns = [{"key": "grade", "grade": b, "label": f"P({b})"} for b in bands]
    if scheme.elimination is None:
        return columns
    own = scheme.elimination.grade not in bands
    label = (
        _("P(eliminated: %(grade)s)") % {"grade": scheme.elimination.grade}
        if own
        else _("P(eliminated)")
    )
    columns.append({"key": "out", "label": label})
    if any(r.rule == "bottom_k" and r.periods > 1 for r in scheme.elimination.rules):
        columns.append({"key": "zone", "label": _("P(elimination zone)")})
    return columns


def probability_cells(row: dict, columns: list[dict], scheme) -> list[dict]:
    """A row's probabilities in the columns' order. Runs frozen before the whole rule was drawn
    kept the zone's probability as `elimination_probability` (and no `zone_probability`): their
    P(eliminated) is then the elimination grade's, when it has its own."""
    grades = row["grade_probability"]
    if "zone_probability" in row:
        out, zone = row["elimination_probability"], row["zone_probability"]
    else:
        zone = row["elimination_probability"]
        out = grades.get(scheme.elimination.grade, zone) if scheme.elimination else zone
    values = {"out": out, "zone": zone}
    cells = []
    for column in columns:
        value = (
            grades.get(column["grade"], 0) if column["key"] == "grade" else values[column["key"]]
        )
        cells.append({**column, "value": value, "zero": column["key"] == "grade" and not value})
    return cells


@login_required
@require_GET
def robustness(request: HttpRequest, pk: int) -> HttpResponse:
    """The robustness chart and table: the first TOP rows by rank, `?show=all` all of them,
    `?review=1` only the borderline ones (chart and table)."""
    from fucai.evaluation.runs import run_scheme

    run = vis.get_run(request.user, pk)
    ids = vis.visible_ids(request.user, run)
    labels = run.inputs.get("labels", {})
    rows = sorted(
        (r for r in run.robustness.get("alternatives", []) if r["id"] in ids),
        key=lambda r: (r["rank"], r["id"]),
    )
    scheme = run_scheme(run) if run.result else None
    columns = probability_columns(scheme) if scheme else []
    for r in rows:
        r["label"] = labels.get(r["id"], r["id"])
        r["cells"] = probability_cells(r, columns, scheme)
    review = request.GET.get("review") == "1"
    shown = [r for r in rows if r["borderline"]] if review else rows
    show_all = request.GET.get("show") == "all" or len(shown) <= TOP
    context = {
        "run": run,
        "rows": shown if show_all else shown[:TOP],
        "total": len(rows),
        "borderline": sum(r["borderline"] for r in rows),
        "review": review,
        "show_all": show_all,
        "hidden": 0 if show_all else len(shown) - TOP,
        "top": TOP,
        "columns": columns,
        "chart": robustness_chart(shown),
    }
    return render(request, "evaluation/robustness.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manual_inputs(request: HttpRequest, name: str) -> HttpResponse:
    """The manual-input sheet of a scheme and period (fucai.evaluation.manual): GET ?period=
    downloads the template (the current values filled in), POST imports a filled one (all or
    nothing; each refusal names the file, row and column). The province's."""
    import tempfile
    from pathlib import Path

    from fucai.core.excel import xlsx_response
    from fucai.evaluation.indicators import PeriodError
    from fucai.evaluation.manual import ManualImportError, import_manual, template_workbook

    _require_run(request)
    row = _scheme_row(request, name)
    scheme = row.parsed()
    period = (request.POST if request.method == "POST" else request.GET).get("period", "").strip()
    errors: list[str] = []
    try:
        if request.method == "GET":
            workbook = template_workbook(scheme, period, request.user)
            filename = _("manual inputs %(scheme)s %(period)s.xlsx") % {
                "scheme": row.title,
                "period": period,
            }
            return xlsx_response(workbook, filename, f"manual-{row.name}-{period}.xlsx")
        upload = request.FILES.get("file")
        if upload is None:
            raise ManualImportError([_("Choose the filled template to import.")])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.read())
            import_manual(path, scheme, period, request.user)
    except PeriodError as exc:
        errors = [str(exc)]
    except ManualImportError as exc:
        errors = [*exc.errors, _("Nothing was imported.")]
    if errors:
        context = {"row": row, "period": period, "errors": errors}
        return render(request, "evaluation/manual_errors.html", context, status=400)
    done = _("The manual inputs of %(period)s were imported.") % {"period": period}
    messages.success(request, done)
    return redirect("evaluation:scheme_detail", name=row.name)
