"""Pages for effect studies (效果评估): the list with the form that starts one (run by the
worker), a study with its progress and, once done, the estimate, the placebo, the event-study
chart (the pre-period coefficients are the parallel-trends check) and the verdict.

The Party-affairs capability is needed (403 without it); a study of a city outside the user's
branches is the same 404 as a missing one; the form offers only the cities of the user's
branches (all of them for the province's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fucai.party.forms.pairing import StudyForm
from fucai.party.models import Branch, EffectStudy
from fucai.party.views import _branches


def study_cities(branches):
    """The cities whose studies the user may make: those of their city branches, or every city
    for whoever sees the provincial branch."""
    from fucai.geo.models import Division

    cities = Division.objects.filter(level="prefecture", party_branch__isnull=False)
    if branches.filter(city=None).exists():
        return cities.order_by("code")
    return cities.filter(party_branch__in=branches).order_by("code")


@login_required
@require_http_methods(["GET", "POST"])
def study_list(request: HttpRequest) -> HttpResponse:
    from fucai.party.studies import start_study

    branches = _branches(request)
    form = StudyForm(request.POST or None, cities=study_cities(branches))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        study = EffectStudy.objects.create(
            branch=Branch.objects.get(city=data["city"]),
            city=data["city"],
            treatment=data["treatment"],
            first=data["first"],
            last=data["last"],
            radius_m=data["radius_m"],
            control_group=data["control_group"],
            created_by=request.user,
        )
        start_study(study)
        return redirect("party:study_detail", pk=study.pk)
    studies = EffectStudy.objects.restrict(request.user).select_related("city", "created_by")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "studies": studies[:100]}
    return render(request, "party/study_list.html", context, status=status)


def _study(request: HttpRequest, pk: int) -> EffectStudy:
    _branches(request)
    studies = EffectStudy.objects.restrict(request.user).select_related("city", "created_by")
    return get_object_or_404(studies, pk=pk)


def chart_data(study: EffectStudy) -> dict:
    """What the event-study chart draws: event time, coefficient and interval in %."""
    rows = list(study.result.get("event_study", []))
    base = study.result.get("settings", {}).get("base_period", -1)
    if rows and all(r["k"] != base for r in rows):  # the reference month: 0 by construction
        rows.append({"k": base, "coef_pct": 0.0, "ci_low_pct": 0.0, "ci_high_pct": 0.0})
        rows.sort(key=lambda r: r["k"])
    return {
        "k": [r["k"] for r in rows],
        "coef": [r["coef_pct"] for r in rows],
        "low": [r["ci_low_pct"] for r in rows],
        "high": [r["ci_high_pct"] for r in rows],
        "labels": {
            "coef": _("Effect (%)"),
            "interval": _("95 % interval"),
            "axis": _("Months since the start"),
        },
    }


@login_required
@require_GET
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    if request.GET.get("format") == "xlsx" and study.status == "done":
        from fucai.core.excel import xlsx_response
        from fucai.party.exports import study_workbook

        name = f"{_('effect')}-{study.city.name}-{study.last}.xlsx"
        return xlsx_response(study_workbook(study), name)
    context = {"study": study, "r": study.result, "chart": chart_data(study)}
    return render(request, "party/study_detail.html", context)


@login_required
@require_GET
def study_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment the running study's page polls (htmx); once finished it reloads the page."""
    study = _study(request, pk)
    response = render(request, "party/_study_progress.html", {"study": study})
    if not study.running and request.GET.get("was") == "running":
        response["HX-Refresh"] = "true"
    return response
