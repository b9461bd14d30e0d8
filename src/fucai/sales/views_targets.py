"""The sales targets page (fucai.sales.targets): completion rate and 序时进度 of the targets the
user sees as of a day (a city, its managers or its stations), its Excel export; for the
provincial centre (SET_SALES_TARGETS) the template, the import of a filled one and the entry of
one target, each a new version of the year's targets (the previous kept)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fucai.core.grant import SET_SALES_TARGETS, grant_for
from fucai.sales.models import SalesTargetSet, TargetLevel
from fucai.sales.targets import (
    ParsedTarget,
    TargetImportError,
    completion,
    import_targets,
    save_targets,
    targets_for,
)


def _setter_only(request: HttpRequest) -> None:
    if not grant_for(request.user).can(SET_SALES_TARGETS):
        raise PermissionDenied(_("Only the provincial centre sets the sales targets."))


def _as_of(request: HttpRequest) -> tuple[dt.date, str]:
    """The day (moved into the sales data as the cockpit moves it) and the notice saying so."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.sales.cockpit import sales_span
    from fucai.sales.forms import CockpitForm

    form = CockpitForm.for_request(request, sales_span(AnalyticsContext.current()))
    return form.as_of_date, form.notice


def _level(request: HttpRequest) -> str:
    level = request.GET.get("level") or TargetLevel.CITY
    return level if level in TargetLevel.values else TargetLevel.CITY


def _page(request: HttpRequest, errors=(), status: int = 200) -> HttpResponse:
    from fucai.sales.views import target_texts

    (as_of, notice), level = _as_of(request), _level(request)
    if request.GET.get("format") == "xlsx":
        from fucai.core.excel import xlsx_response
        from fucai.sales.cli_targets import completion_data, completion_workbook

        data = completion_data(as_of, level, request.user)
        return xlsx_response(completion_workbook(data), f"completion-{as_of.isoformat()}.xlsx")
    rows = completion(as_of, level, user=request.user)
    from fucai.sales.cockpit import completion_card

    # one unit for the whole table: the one of its largest target
    unit_of = max((row.target_fen for row in rows), default=None)
    context = {
        "as_of": as_of,
        "level": level,
        "levels": TargetLevel.choices,
        "rows": [(row, target_texts(completion_card([row], as_of), unit_of)) for row in rows],
        "total": target_texts(completion_card(rows, as_of), unit_of) if len(rows) > 1 else None,
        "current": SalesTargetSet.objects.current(as_of.year),
        "can_set": grant_for(request.user).can(SET_SALES_TARGETS),
        "errors": list(errors),
        "notice": notice,
    }
    return render(request, "sales/targets.html", context, status=status)


@login_required
@require_GET
def targets(request: HttpRequest) -> HttpResponse:
    """Completion of the targets the user sees; `?format=xlsx` the same as Excel."""
    return _page(request)


@login_required
@require_GET
def targets_template(request: HttpRequest) -> HttpResponse:
    """The targets workbook of a year to fill in (its current targets filled in)."""
    from fucai.core.excel import xlsx_response
    from fucai.sales.targets import template_workbook

    _setter_only(request)
    try:
        year = int(request.GET.get("year") or _as_of(request)[0].year)
    except ValueError:
        year = _as_of(request)[0].year
    return xlsx_response(template_workbook(year, request.user), f"targets-{year}.xlsx")


@login_required
@require_POST
def targets_import(request: HttpRequest) -> HttpResponse:
    """Import a filled template as a new version of its year (all or nothing)."""
    _setter_only(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, [_("Choose the filled targets workbook.")], status=400)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            target_set = import_targets(path, request.user)
        except TargetImportError as exc:
            return _page(request, [*exc.errors, _("Nothing was imported.")], status=400)
    return redirect(f"{reverse('sales:targets')}?as_of={target_set.year}-12-31")


@login_required
@require_POST
def targets_entry(request: HttpRequest) -> HttpResponse:
    """Enter (or change) one target: a new version of the year, the other targets carried over."""
    _setter_only(request)
    data = request.POST
    errors = []
    try:
        year = int(data.get("year", ""))
    except ValueError:
        errors.append(_("Year: %(value)r is not a year.") % {"value": data.get("year", "")})
        return _page(request, errors, status=400)
    entered = _entered_row(year, data)
    if isinstance(entered, list):
        return _page(request, entered, status=400)
    rows = {
        (t.level, t.code): ParsedTarget(t.level, t.code, t.annual_fen, list(t.monthly_fen))
        for t in targets_for(None, year)
    }
    rows[(entered.level, entered.code)] = entered
    save_targets(year, list(rows.values()), request.user, source="", note=_("entered on the page"))
    return redirect(f"{reverse('sales:targets')}?as_of={year}-12-31&level={entered.level}")


def _entered_row(year: int, data) -> ParsedTarget | list[str]:
    """The form's row checked by the import's own rules (a sheet of one row)."""
    from fucai.sales.targets import column_labels, parse_targets

    header = [str(label) for _key, label in column_labels()]
    months = [data.get(f"m{m:02d}", "") for m in range(1, 13)]
    level, code, annual = (data.get(key, "") for key in ("level", "code", "annual"))
    try:
        _year, [row] = parse_targets(
            _("form"), [header, [year, level, code, "", annual, *months]], year
        )
    except TargetImportError as exc:
        return exc.errors
    return row
