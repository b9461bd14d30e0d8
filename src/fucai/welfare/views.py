"""The grant pages (/welfare/…): projects with budget, committed and paid; grants (filters,
detail with the step history and a form per step); households (masked; "show" for a city's
welfare officers, audited); public notices (Excel and PDF). Everything needs welfare affairs
(403 without it); a row outside one's welfare cities is the same 404 as a missing one. The rules
are fucai.welfare.workflow's; a refusal is shown as its sentence (400)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fucai.core.grant import SEE_BENEFICIARIES, WELFARE_AFFAIRS, grant_for
from fucai.core.personal import ADDRESS, ID_NUMBER, NAME, PHONE, TEXT, mask
from fucai.core.signals import personal_data_viewed
from fucai.network.forms import AsOfForm
from fucai.welfare import workflow
from fucai.welfare.choices import GrantStatus, ProjectKind, ProjectStatus
from fucai.welfare.forms import (
    ApplicationForm,
    NoticeForm,
    ObjectionForm,
    ProjectForm,
    ProjectMoveForm,
    ResolveForm,
    StepForm,
)
from fucai.welfare.models import Grant, Household, Notice, Objection, Project

PER_PAGE = 50
HOUSEHOLD_FIELDS = {
    "name": NAME,
    "id_number": ID_NUMBER,
    "phone": PHONE,
    "address": ADDRESS,
    "circumstances": TEXT,
}


def _officer(request: HttpRequest):
    if not grant_for(request.user).can(WELFARE_AFFAIRS):
        raise PermissionDenied(_("Your role does not keep welfare grants."))


def _projects(request):
    _officer(request)
    return Project.objects.restrict(request.user).select_related("city")


def _grants(request):
    _officer(request)
    return Grant.objects.restrict(request.user).select_related(
        "project__city", "household", "entered_by", "notice"
    )


def masked_household(household) -> dict[str, str]:
    """The household's personal fields as everyone sees them on a page or in an export."""
    return {name: mask(getattr(household, name), kind) for name, kind in HOUSEHOLD_FIELDS.items()}


def recipient(grant) -> str:
    """A grant's recipient as pages and exports show it: a household masked, an organisation."""
    return mask(grant.household.name, NAME) if grant.household_id else grant.organisation


def may_see_beneficiaries(user, city_id: int) -> bool:
    return grant_for(user).capability(SEE_BENEFICIARIES).includes_place(city_id)


# -- projects ------------------------------------------------------------------------------------
@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    projects = _projects(request)
    as_of = AsOfForm.for_request(request)
    grants = Grant.objects.restrict(request.user)
    data = workflow.summary(projects, grants, as_of.as_of_date)
    cities = {}
    for row in data["projects"]:
        city = cities.setdefault(
            row["city"], {"city": row["city"], "budget": 0, "committed": 0, "paid": 0}
        )
        for key in ("budget", "committed", "paid"):
            city[key] += row[f"{key}_yuan"]
    if request.GET.get("format") == "xlsx":
        return _projects_xlsx(data)
    context = {
        "data": data,
        "cities": list(cities.values()),
        "as_of": as_of,
        "kinds": dict(ProjectKind.choices),
        "statuses": dict(ProjectStatus.choices),
    }
    return render(request, "welfare/project_list.html", context)


def _projects_xlsx(data):
    from fucai.core.excel import Column, add_notes_sheet, table_workbook, xlsx_response

    kinds, statuses = dict(ProjectKind.choices), dict(ProjectStatus.choices)
    columns = [
        Column(_("City")),
        Column(_("Project")),
        Column(_("Kind")),
        Column(_("Village or community")),
        Column(_("Source year")),
        Column(_("Status")),
        Column(_("Budget (yuan)")),
        Column(_("Committed (yuan)")),
        Column(_("Paid (yuan)")),
        Column(_("Left (yuan)")),
        Column(_("Paid grants")),
    ]
    rows = [
        (
            p["city"],
            p["name"],
            str(kinds[p["kind"]]),
            p["village"],
            p["source_year"],
            str(statuses[p["status"]]),
            p["budget_yuan"],
            p["committed_yuan"],
            p["paid_yuan"],
            p["budget_yuan"] - p["committed_yuan"] - p["paid_yuan"],
            p["paid_grants"],
        )
        for p in data["projects"]
    ]
    wb = table_workbook(columns, rows, title=_("Projects"))
    add_notes_sheet(
        wb, _("Notes"), [(_("As of"), data["as_of"]), (_("Households helped"), data["households"])]
    )
    return xlsx_response(wb, f"{_('Welfare projects')}-{data['as_of']}.xlsx")


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(_projects(request), pk=pk)
    if request.GET.get("format") == "xlsx":
        return _project_xlsx(request, project)
    return _project_page(request, project)


def _project_page(request, project, status=200, move_form=None, error=None):
    totals = workflow.project_totals(project)
    grants = _grants(request).filter(project=project)
    by_status = dict(
        grants.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    overrides = project.grants.filter(budget_override__isnull=False).select_related(
        "budget_override__by"
    )
    context = {
        "project": project,
        "budget": workflow.yuan(totals["budget"]),
        "committed": workflow.yuan(totals["committed"]),
        "paid": workflow.yuan(totals["paid"]),
        "left": workflow.yuan(totals["budget"] - totals["committed"] - totals["paid"]),
        "by_status": [(GrantStatus(s).label, by_status.get(s, 0)) for s in GrantStatus.values],
        "overrides": overrides,
        "budget_overrides": project.budget_overrides.select_related("by"),
        "steps": project.steps.select_related("by").order_by("on", "pk"),
        "move_form": move_form or ProjectMoveForm(status=project.status),
        "may_move": bool(workflow.PROJECT_MOVES[project.status]),
        "error": error,
    }
    return render(request, "welfare/project_detail.html", context, status=status)


def _project_xlsx(request, project):
    """One project: its facts and figures (budget, committed, paid, left), its steps and
    overrides, and its grants (households masked, as in the grants' export)."""
    from fucai.core.excel import StreamedSheet, notes_sheet, streamed_workbook, xlsx_bytes_response

    totals = workflow.project_totals(project)
    facts = [
        (_("City"), project.city.name),
        (_("Project"), project.name),
        (_("Kind"), project.get_kind_display()),
        (_("Village or community"), project.village),
        (_("Source year"), project.source_year),
        (_("Status"), project.get_status_display()),
        (_("Budget (yuan)"), workflow.yuan(totals["budget"])),
        (_("Committed (yuan)"), workflow.yuan(totals["committed"])),
        (_("Paid (yuan)"), workflow.yuan(totals["paid"])),
        (_("Left (yuan)"), workflow.yuan(totals["budget"] - totals["committed"] - totals["paid"])),
    ]
    for step in project.steps.select_related("by").order_by("on", "pk"):
        facts.append((f"{step.on:%Y-%m-%d} {step.get_to_status_display()}", _who(step)))
    for o in project.budget_overrides.select_related("by"):
        line = _("%(before)s → %(after)s yuan, %(over)s yuan short: %(reason)s") % {
            "before": workflow.yuan(o.budget_before_fen),
            "after": workflow.yuan(o.budget_after_fen),
            "over": workflow.yuan(o.over_fen),
            "reason": o.reason,
        }
        facts.append((_("Budget override") + f" {o.recorded_at:%Y-%m-%d}", f"{line} ({o.by})"))
    grants = _grants(request).filter(project=project)
    sheets = [
        notes_sheet(_("Project"), facts),
        StreamedSheet(_("Grants"), grant_columns(), [grant_row(g) for g in grants]),
    ]
    title = f"{project.name}-{_today():%Y-%m-%d}"
    return xlsx_bytes_response(streamed_workbook(sheets), f"{title}.xlsx")


def _who(step) -> str:
    from fucai.welfare.templatetags.welfare_ui import person

    return f"{person(step.by)} {step.note}".strip()


def _cities(request):
    """The cities whose welfare the user keeps (the province's welfare office: all)."""
    from fucai.geo.models import Division

    reach = grant_for(request.user).capability(WELFARE_AFFAIRS)
    cities = Division.objects.cities().order_by("code")
    return cities if reach.everything else cities.filter(pk__in=reach.cities)


def _draft(data) -> workflow.ProjectDraft:
    return workflow.ProjectDraft(
        city=data["city"],
        name=data["name"],
        kind=data["kind"],
        budget_fen=workflow.fen_of(data["budget"]),
        source_year=data["source_year"],
        village=data["village"],
        description=data["description"],
    )


def _project_form(request, form, project, save, done: str) -> HttpResponse:
    """The project form's round trip: `save(cleaned_data)` (a workflow function) or its refusal
    shown with the form (400)."""
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except workflow.Refused as refusal:
            error = str(refusal)
        else:
            messages.success(request, done)
            return redirect("welfare:project_detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "error": error, "project": project}
    return render(request, "welfare/project_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    _officer(request)
    form = ProjectForm(request.POST or None, cities=_cities(request))

    def save(data):
        draft = _draft(data)
        return workflow.create_project(
            request.user, draft, status=data["status"], on=data["on"], note=data["note"]
        )

    return _project_form(request, form, None, save, _("The project is created."))


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(_projects(request), pk=pk)
    initial = {
        "city": project.city_id,
        "name": project.name,
        "kind": project.kind,
        "village": project.village,
        "budget": workflow.yuan(project.budget_fen),
        "source_year": project.source_year,
        "description": project.description,
    }
    form = ProjectForm(request.POST or None, initial=initial, cities=_cities(request), editing=True)

    def save(data):
        reason = data["override_reason"]
        return workflow.edit_project(request.user, project, _draft(data), override_reason=reason)

    return _project_form(request, form, project, save, _("The project is saved."))


@login_required
@require_POST
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(_projects(request), pk=pk)
    form = ProjectMoveForm(request.POST, status=project.status)  # only the moves offered
    if not form.is_valid():
        return _project_page(request, project, 400, move_form=form)
    data = form.cleaned_data
    try:
        workflow.move_project(request.user, project, data["to_status"], data["on"], data["note"])
    except workflow.Refused as refusal:
        return _project_page(request, project, 400, move_form=form, error=str(refusal))
    messages.success(request, _("The project's status is recorded."))
    return redirect("welfare:project_detail", pk=project.pk)


# -- grants --------------------------------------------------------------------------------------
def _filtered(request, grants):
    params = request.GET
    if params.get("project", "").isdigit():
        grants = grants.filter(project_id=int(params["project"]))
    if params.get("status") in GrantStatus.values:
        grants = grants.filter(status=params["status"])
    if params.get("year", "").isdigit():
        grants = grants.filter(year=int(params["year"]))
    if params.get("duplicate") == "1":
        grants = grants.filter(Q(duplicate_elsewhere=True) | Q(duplicate_in_city=True))
    return grants


@login_required
@require_GET
def grant_list(request: HttpRequest) -> HttpResponse:
    grants = _filtered(request, _grants(request))
    if request.GET.get("format") == "xlsx":
        return _grants_xlsx(grants)
    page = Paginator(grants, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(g, recipient(g)) for g in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "projects": _projects(request),
        "statuses": GrantStatus.choices,
        "params": request.GET,
        "query": query.urlencode(),
        "total": grants.aggregate(n=Count("pk"), fen=Sum("amount_fen")),
    }
    return render(request, "welfare/grant_list.html", context)


def _sheet(title: str, columns, rows) -> HttpResponse:
    """A streamed one-sheet workbook named `title`, downloaded as `title`.xlsx."""
    from fucai.core.excel import StreamedSheet, streamed_workbook, xlsx_bytes_response

    sheet = StreamedSheet(title, columns, rows)
    return xlsx_bytes_response(streamed_workbook([sheet]), f"{title}.xlsx")


def _grants_xlsx(grants):
    return _sheet(_("Grants"), grant_columns(), [grant_row(g) for g in grants])


def grant_columns() -> list:
    """The columns of a grants export (grant_row's)."""
    from fucai.core.excel import TEXT_FORMAT, Column

    return [
        Column(_("Grant")),
        Column(_("City")),
        Column(_("Project")),
        Column(_("Recipient")),
        Column(_("ID number"), number_format=TEXT_FORMAT),
        Column(_("Village or community")),
        Column(_("Amount (yuan)")),
        Column(_("Status")),
        Column(_("Applied on")),
        Column(_("Approved on")),
        Column(_("Paid on")),
    ]


def grant_row(g) -> tuple:
    """A grant as the exports write it: a household masked (name, ID number)."""
    return (
        g.pk,
        g.project.city.name,
        g.project.name,
        recipient(g),
        mask(g.household.id_number, ID_NUMBER) if g.household_id else "",
        g.village,
        workflow.yuan(g.amount_fen),
        g.get_status_display(),
        g.applied_on,
        g.approved_on,
        g.paid_on,
    )


def _grant_page(request, grant, status=200, **forms):
    steps = grant.steps.select_related("by").order_by("on", "pk")
    context = {
        "grant": grant,
        "recipient": recipient(grant),
        "household": masked_household(grant.household) if grant.household_id else None,
        "steps": steps,
        "objections": grant.objections.select_related("recorded_by", "resolved_by"),
        "step_form": forms.get("step_form") or StepForm(status=grant.status),
        "objection_form": forms.get("objection_form") or ObjectionForm(),
        "resolve_form": ResolveForm(),
        "payment_refusal": workflow.payment_refusal(grant, _today()),
        "duplicate_message": workflow.DUPLICATE_MESSAGE if grant.duplicate_elsewhere else "",
        "duplicate_in_city": workflow.DUPLICATE_IN_CITY_MESSAGE if grant.duplicate_in_city else "",
        "override": getattr(grant, "budget_override", None),
        "error": forms.get("error"),
    }
    return render(request, "welfare/grant_detail.html", context, status=status)


def _today():
    from django.utils import timezone

    return timezone.localdate()


@login_required
@require_GET
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _grant_page(request, get_object_or_404(_grants(request), pk=pk))


STEPS = {
    "review": lambda u, g, d: workflow.review(u, g, d["on"], d["note"]),
    "approval": lambda u, g, d: workflow.approve(u, g, d["on"], d["note"], d["override_reason"]),
    "payment": lambda u, g, d: workflow.pay(u, g, d["on"], d["note"]),
    "rejection": lambda u, g, d: workflow.reject(u, g, d["on"], d["note"]),
}


@login_required
@require_POST
def grant_step(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(_grants(request), pk=pk)
    form = StepForm(request.POST, status=grant.status)  # the page offers only these steps
    if not form.is_valid():
        return _grant_page(request, grant, 400, step_form=form)
    try:
        STEPS[form.cleaned_data["step"]](request.user, grant, form.cleaned_data)
    except workflow.Refused as refusal:
        grant.refresh_from_db()
        return _grant_page(request, grant, 400, step_form=form, error=str(refusal))
    messages.success(request, _("The step is recorded."))
    return redirect("welfare:grant_detail", pk=grant.pk)


@login_required
@require_POST
def grant_objection(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(_grants(request), pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return _grant_page(request, grant, 400, objection_form=form)
    try:
        workflow.record_objection(request.user, grant, **form.cleaned_data)
    except workflow.Refused as refusal:
        return _grant_page(request, grant, 400, objection_form=form, error=str(refusal))
    messages.success(request, _("The objection is recorded."))
    return redirect("welfare:grant_detail", pk=grant.pk)


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    objection = get_object_or_404(Objection.objects.restrict(request.user), pk=pk)
    grant = _grants(request).get(pk=objection.grant_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _grant_page(request, grant, 400, error=_("Give the outcome and the resolution."))
    try:
        workflow.resolve_objection(request.user, objection, **form.cleaned_data)
    except workflow.Refused as refusal:
        return _grant_page(request, grant, 400, error=str(refusal))
    messages.success(request, _("The objection is resolved."))
    return redirect("welfare:grant_detail", pk=grant.pk)


@login_required
@require_http_methods(["GET", "POST"])
def grant_new(request: HttpRequest) -> HttpResponse:
    projects = _projects(request)
    form = ApplicationForm(request.POST or None, projects=projects)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = _apply(request.user, data)
        except workflow.Refused as refusal:
            error = str(refusal)
        else:
            for warning in workflow.application_warnings(grant):
                messages.warning(request, warning)
            messages.success(request, _("The application is recorded."))
            return redirect("welfare:grant_detail", pk=grant.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "error": error}
    return render(request, "welfare/grant_new.html", context, status=status)


def _apply(user, data):
    from django.db import transaction

    project = data["project"]
    with transaction.atomic():
        household = None
        if not data["organisation"]:
            household = workflow.household_of(
                project.city,
                village=data["village"],
                **{name: data[name] for name in HOUSEHOLD_FIELDS},
            )
        return workflow.apply(
            user,
            project,
            amount_fen=workflow.fen_of(data["amount"]),
            applied_on=data["applied_on"],
            household=household,
            organisation=data["organisation"],
            village=data["village"],
            note=data["note"],
        )


# -- households ----------------------------------------------------------------------------------
def _households(request):
    _officer(request)
    return Household.objects.restrict(request.user).select_related("city", "county")


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    households = (
        _households(request)
        .annotate(grants_n=Count("grants"), paid_fen=Sum("grants__paid_fen"))
        .order_by("city__code", "pk")
    )
    if request.GET.get("format") == "xlsx":
        return _households_xlsx(households)
    page = Paginator(households, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(h, masked_household(h)) for h in page]
    return render(request, "welfare/household_list.html", {"page": page, "rows": rows})


def _households_xlsx(households):
    from fucai.core.excel import TEXT_FORMAT, Column

    columns = [
        Column(_("City")),
        Column(_("County")),
        Column(_("Village or community")),
        Column(_("Head of household")),
        Column(_("ID number"), number_format=TEXT_FORMAT),
        Column(_("Phone"), number_format=TEXT_FORMAT),
        Column(_("Grants")),
        Column(_("Paid (yuan)")),
    ]
    rows = [
        (
            h.city.name,
            h.county.name if h.county_id else "",
            h.village,
            *(masked_household(h)[k] for k in ("name", "id_number", "phone")),
            h.grants_n,
            workflow.yuan(h.paid_fen),
        )
        for h in households
    ]
    return _sheet(_("Households"), columns, rows)


def _household_page(request, household, revealed=None):
    context = {
        "household": household,
        "masked": masked_household(household),
        "revealed": revealed,
        "may_show": may_see_beneficiaries(request.user, household.city_id),
        "grants": household.grants.select_related("project").order_by("-applied_on"),
    }
    return render(request, "welfare/household_detail.html", context)


@login_required
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_page(request, get_object_or_404(_households(request), pk=pk))


@login_required
@require_POST
def household_show(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's details in full, for this one response, to a welfare officer of its city
    (see_beneficiaries); the view is recorded in the audit trail (by the signal's receiver)."""
    household = get_object_or_404(_households(request), pk=pk)
    if not may_see_beneficiaries(request.user, household.city_id):
        # the household's page again (masked), with the reason: not a page of another kind
        messages.error(request, _("Only the welfare officers of the household's city see it."))
        return redirect("welfare:household_detail", pk=household.pk)
    fields = list(HOUSEHOLD_FIELDS)
    personal_data_viewed.send(
        sender=Household, instance=household, fields=fields, reason="household page"
    )
    revealed = {name: getattr(household, name) for name in fields}
    return _household_page(request, household, revealed)


# -- notices -------------------------------------------------------------------------------------
def _notices(request):
    _officer(request)
    return (
        Notice.objects.restrict(request.user)
        .select_related("city")
        .annotate(
            grants_n=Count("grants"),
            fen=Sum("grants__amount_fen"),
            open_objections=Count("grants__objections", filter=Q(grants__objections__outcome="")),
        )
    )


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = _notices(request)
    return render(request, "welfare/notice_list.html", {"notices": notices, "today": _today()})


@login_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from django.utils import translation

    from fucai.core.excel import disposition, xlsx_response
    from fucai.welfare.notices import (
        NOTICE_LANGUAGE,
        centre_name,
        download_name,
        notice_pdf,
        notice_rows,
        notice_workbook,
    )

    notice = get_object_or_404(_notices(request), pk=pk)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "pdf"):  # as published: in Chinese whatever the page's language
        with translation.override(NOTICE_LANGUAGE):
            if fmt == "xlsx":
                return xlsx_response(notice_workbook(notice), *download_name(notice, "xlsx"))
            response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
            name, fallback = download_name(notice, "pdf")
            response["Content-Disposition"] = disposition(name, fallback, attachment=False)
            return response
    rows = notice_rows(notice)
    context = {
        "notice": notice,
        "rows": rows,
        "centre": centre_name(notice),
        "total": sum((r.amount_yuan for r in rows), start=workflow.yuan(0)),
    }
    return render(request, "welfare/notice_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    projects = _projects(request)
    form = NoticeForm(request.POST or None, projects=projects)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = data["project"]
        waiting = _grants(request).filter(
            project=project, status=GrantStatus.APPROVED, notice__isnull=True
        )
        draft = workflow.NoticeDraft(
            data["title"], data["starts_on"], data["ends_on"], data["contact"]
        )
        try:
            notice = workflow.publish_notice(request.user, project.city, waiting, draft)
        except workflow.Refused as refusal:
            error = str(refusal)
        else:
            return redirect("welfare:notice_detail", pk=notice.pk)
    waiting = (
        _grants(request)
        .filter(status=GrantStatus.APPROVED, notice__isnull=True)
        .values("project__name")
        .annotate(n=Count("pk"))
        .order_by("project__name")
    )
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "error": error, "waiting": waiting}
    return render(request, "welfare/notice_new.html", context, status=status)
