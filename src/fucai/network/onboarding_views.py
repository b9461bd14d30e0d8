"""Pages of the 四帮 onboarding workflow: a station's plan and its tasks, the overdue tasks per
city and assignee (with Excel), and the template the provincial centre edits.

A station outside the user's view is a 404 (its plan and tasks too); a task is completed by its
assignee, its market manager or whoever may change the station (fucai.network.onboarding)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fucai.core.attachments import attachments_of, store_attachment
from fucai.core.bounds import clamp_date
from fucai.core.excel import xlsx_response
from fucai.core.grant import CHANGE, grant_for
from fucai.network import onboarding
from fucai.network.choices import OnboardingTaskState
from fucai.network.filtersets import scoped_cities
from fucai.network.forms import default_as_of
from fucai.network.forms.onboarding import OnboardingTaskForm, TemplateTaskFormSet
from fucai.network.models import OnboardingTask, Station

EDIT_ONBOARDING_TEMPLATE = "edit_onboarding_template"  # fucai.accounts.grants gives it


def _station(request: HttpRequest, code: str) -> Station:
    queryset = Station.objects.restrict(request.user).select_related("city", "county")
    return get_object_or_404(queryset, code=code)


def plan_tasks(user, station: Station) -> list[OnboardingTask]:
    """The station's tasks `user` sees, in their order."""
    return list(onboarding.tasks_for(user).filter(plan__station=station).order_by("number"))


def task_rows(tasks, today: dt.date) -> list[dict]:
    overdue = set(
        OnboardingTask.objects.filter(pk__in=[t.pk for t in tasks])
        .filter(onboarding.overdue_q(today))
        .values_list("pk", flat=True)
    )
    return [{"task": t, "overdue": t.pk in overdue} for t in tasks]


@login_required
@require_GET
def plan(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    tasks = plan_tasks(request.user, station)
    today = timezone.localdate()
    context = {
        "station": station,
        "rows": task_rows(tasks, today),
        "dates": onboarding.station_dates(station),
        "refusal": onboarding.opening_refusal(station, "open") if tasks else None,
        "today": today,
    }
    return render(request, "network/onboarding/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, code: str, number: int) -> HttpResponse:
    station = _station(request, code)
    queryset = onboarding.tasks_for(request.user).filter(plan__station=station)
    item = get_object_or_404(queryset, number=number)
    may_complete = onboarding.may_complete(request.user, item)
    can_reassign = Station.objects.restrict(request.user, CHANGE).filter(pk=station.pk).exists()
    form = OnboardingTaskForm(task=item, can_reassign=can_reassign)
    status = 200
    if request.method == "POST":
        if not may_complete:
            raise PermissionDenied(_("This task is not yours to complete."))
        form = OnboardingTaskForm(request.POST, request.FILES, task=item, can_reassign=can_reassign)
        if form.is_valid() and _save(request, form, item):
            messages.success(request, _("The task is saved."))
            return redirect("network:onboarding_plan", code=station.code)
        status = 400
    context = {
        "station": station,
        "task": item,
        "form": form,
        "may_complete": may_complete,
        "overdue": OnboardingTask.objects.filter(pk=item.pk)
        .filter(onboarding.overdue_q())
        .exists(),
        "photos": attachments_of(item),
    }
    return render(request, "network/onboarding/task.html", context, status=status)


def _save(request: HttpRequest, form: OnboardingTaskForm, item: OnboardingTask) -> bool:
    skipping_survey = (
        item.is_survey
        and form.cleaned_data["state"] == OnboardingTaskState.SKIPPED
        and item.state != OnboardingTaskState.SKIPPED
    )
    if skipping_survey and not onboarding.may_override(request.user, item.plan.station):
        form.add_error("state", _("Your role may not let a station open without its site survey."))
        return False
    with transaction.atomic():
        form.apply(request.user).save()
        for photo in form.cleaned_data["photos"]:
            store_attachment(photo, owner=item, user=request.user)
    return True


def _as_of(request: HttpRequest) -> dt.date:
    """`?as_of=` (clamped to 2000-01-01 … today); by default the day the other network pages
    open on (today, or the last day of the network's records)."""
    try:
        day = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return default_as_of()
    return clamp_date(day)[0]


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    tasks = onboarding.overdue_tasks(request.user, as_of)
    cities = scoped_cities(request.user)
    city = request.GET.get("city", "")
    if city:
        tasks = tasks.filter(plan__station__city__code=city)
    if request.GET.get("mine"):
        tasks = tasks.filter(pk__in=onboarding.my_tasks(request.user).values("pk"))
    tasks = list(tasks)
    if request.GET.get("format") == "xlsx":
        name = _("四帮 overdue tasks %(day)s") % {"day": as_of.isoformat()}
        return xlsx_response(onboarding.overdue_workbook(tasks, as_of), name + ".xlsx")
    context = {
        "as_of": as_of,
        "groups": onboarding.overdue_groups(tasks),
        "tasks": [{"task": t, "days": (as_of - t.due_on).days} for t in tasks[:500]],
        "count": len(tasks),
        "cities": cities,
        "city": city,
    }
    return render(request, "network/onboarding/overdue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template(request: HttpRequest) -> HttpResponse:
    if not grant_for(request.user).capability(EDIT_ONBOARDING_TEMPLATE).everything:
        raise PermissionDenied(_("Only the provincial centre edits the 四帮 template."))
    current = onboarding.default_template()
    formset = TemplateTaskFormSet(instance=current)
    status = 200
    if request.method == "POST":
        formset = TemplateTaskFormSet(request.POST, instance=current)
        if formset.is_valid():
            with transaction.atomic():
                formset.save()
            messages.success(request, _("The template is saved; new plans follow it."))
            return redirect("network:onboarding_template")
        status = 400
    context = {"template": current, "formset": formset}
    return render(request, "network/onboarding/template.html", context, status=status)
