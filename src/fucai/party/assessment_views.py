"""The 四强 self-assessment pages: the assessments of one's branches by year, one branch's year
(score per dimension, what is missing, what the records suggest; `?format=xlsx`) and its form.

As every Party page: the Party-affairs capability (403 without it), a branch outside one's
branches the same 404 as a missing one (fucai.party.views._branches, restrict(user))."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fucai.core.attachments import AttachmentRefused
from fucai.party.assessment import (
    checklist_for,
    default_day,
    evaluate,
    evaluate_new,
    prefetched,
    suggest,
)
from fucai.party.choices import Dimension
from fucai.party.forms.assessment import AssessmentForm
from fucai.party.models import Assessment
from fucai.party.models.assessment import FIRST_YEAR, LAST_YEAR
from fucai.party.views import _branches


def _branch_year(request: HttpRequest, code: str, year: int):
    """The branch (among the user's) and the checklist of the year, or 404."""
    branch = get_object_or_404(_branches(request), code=code)
    checklist = checklist_for(year) if FIRST_YEAR <= year <= LAST_YEAR else None
    if checklist is None:
        raise Http404
    return branch, checklist


def _dimension_order(item) -> tuple[int, int, int]:
    return Dimension.values.index(item.dimension), item.order, item.pk


def _existing(request: HttpRequest, branch, year: int) -> Assessment | None:
    found = Assessment.objects.restrict(request.user).filter(branch=branch, year=year)
    return prefetched(found).first()


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    branches = list(_branches(request))
    year = timezone.localdate().year
    assessments = prefetched(Assessment.objects.restrict(request.user))
    results = [evaluate(a, with_suggestions=False) for a in assessments]
    done = {(r.branch.pk, r.year) for r in results}
    context = {
        "results": results,
        "branches": branches,
        "year": year,
        "to_start": [b for b in branches if (b.pk, year) not in done],
    }
    return render(request, "party/assessment_list.html", context)


@login_required
@require_GET
def assessment_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    branch, checklist = _branch_year(request, code, year)
    assessment = _existing(request, branch, year)
    result = evaluate(assessment) if assessment else evaluate_new(branch, year, checklist)
    if request.GET.get("format") == "xlsx":
        from fucai.core.excel import xlsx_response
        from fucai.party.assessment_exports import assessment_workbook

        name = f"{_('four-strong assessment')}-{branch.code}-{year}.xlsx"
        return xlsx_response(assessment_workbook(result), name)
    return render(request, "party/assessment_detail.html", {"result": result})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    branch, checklist = _branch_year(request, code, year)
    assessment = _existing(request, branch, year) or Assessment(
        branch=branch, year=year, checklist=checklist
    )
    items = sorted(assessment.checklist.items.all(), key=_dimension_order)
    as_of = assessment.assessed_on or default_day(year)
    suggestions = suggest(branch, year, as_of, items)
    form = AssessmentForm(
        request.POST or None,
        request.FILES or None,
        assessment=assessment,
        suggestions=suggestions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            form.save(request.user)
        except AttachmentRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("party:assessment_detail", code=branch.code, year=year)
    rows = [
        {"item": item, "fields": form.item_fields(item), "suggestion": suggestions.get(item.pk)}
        for item in items
    ]
    context = {"form": form, "branch": branch, "year": year, "rows": rows, "as_of": as_of}
    status = 400 if request.method == "POST" else 200
    return render(request, "party/assessment_edit.html", context, status=status)
