"""Lead pages (布点机会): the list in scope (filters, Excel export), a lead with its history, the
form that records one (the site checked against every spacing rule on submit; a violation names
the rule and the nearest offender; holders of override_spacing may give a reason instead), its
next step and its conversion into a station. The rules are fucai.network.leads'; a lead outside
the user's view is a 404, one seen but not theirs to change a 403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fucai.core.excel import xlsx_response
from fucai.core.grant import EDIT_MASTER_DATA, grant_for
from fucai.network.choices import LeadSource, LeadStatus
from fucai.network.filtersets import scoped_cities
from fucai.network.forms.leads import (
    LeadConvertForm,
    LeadForm,
    LeadMoveForm,
    LeadTransitionForm,
)
from fucai.network.leads import (
    NEARBY_M,
    convert_lead,
    leads_workbook,
    map_points,
    may_override,
    may_record,
    transition_lead,
    visible_violations,
)
from fucai.network.models import Lead
from fucai.network.views import county_feature


def _may_edit(request: HttpRequest) -> None:
    if not grant_for(request.user).can(EDIT_MASTER_DATA):
        raise PermissionDenied(_("Your role may not record leads."))


def _leads(request: HttpRequest):
    return Lead.objects.restrict(request.user).select_related("city", "county", "station")


def _changeable_lead(request: HttpRequest, pk: int) -> Lead:
    """The lead to change: 403 without the capability, 404 outside the view, 403 outside the
    change reach."""
    _may_edit(request)
    lead = get_object_or_404(_leads(request), pk=pk)
    if not may_record(request.user, lead.county):
        raise PermissionDenied(_("You may not change this lead."))
    return lead


@login_required
@require_GET
def lead_list(request: HttpRequest) -> HttpResponse:
    """Leads in scope, filtered by city, status and source; `?format=xlsx` exports them."""
    leads = _leads(request)
    cities = scoped_cities(request.user).order_by("code")
    city = request.GET.get("city") or ""
    status = request.GET.get("status") or ""
    source = request.GET.get("source") or ""
    if city:
        leads = leads.filter(city__code=city)
    if status in LeadStatus.values:
        leads = leads.filter(status=status)
    if source in LeadSource.values:
        leads = leads.filter(source=source)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(leads_workbook(leads, request.user), f"{_('Leads')}.xlsx")
    counts = {s: 0 for s in LeadStatus.values}
    for value in leads.values_list("status", flat=True):
        counts[value] += 1
    return render(
        request,
        "network/lead_list.html",
        {
            "leads": leads.order_by("-received_on", "-pk")[:500],
            "count": sum(counts.values()),
            "counts": [(s.label, counts[s.value]) for s in LeadStatus],
            "cities": cities,
            "city": city,
            "status": status,
            "source": source,
            "statuses": LeadStatus.choices,
            "sources": LeadSource.choices,
            "may_record": grant_for(request.user).can(EDIT_MASTER_DATA),
        },
    )


@login_required
@require_GET
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A lead with its dated steps, the rules its site breaks now, and (for those who may change
    it) the forms of its next step and of its conversion."""
    lead = get_object_or_404(_leads(request), pk=pk)
    changeable = grant_for(request.user).can(EDIT_MASTER_DATA) and may_record(
        request.user, lead.county
    )
    return _detail_page(request, lead, changeable)


def _map_point(lead: Lead) -> dict:
    return {
        "code": _("Lead %(pk)s") % {"pk": lead.pk} if lead.pk else _("New lead"),
        "name": lead.address,
        "lon": float(lead.lon),
        "lat": float(lead.lat),
    }


def _detail_page(request, lead, changeable, transition=None, convert=None, status=200):
    final = lead.status in (LeadStatus.OPENED, LeadStatus.REJECTED)
    violations = visible_violations(lead, request.user) if lead.station_id is None else []
    return render(
        request,
        "network/lead_detail.html",
        {
            "lead": lead,
            "history": lead.status_changes.select_related("recorded_by").order_by("date", "pk"),
            "violations": violations,
            "county_feature": county_feature(lead.county.code),
            "map_point": _map_point(lead),
            "map_points": map_points(lead, request.user, violations),
            "nearby_m": NEARBY_M,
            "changeable": changeable,
            "transition_form": (transition or LeadTransitionForm(lead=lead))
            if changeable and not final
            else None,
            "convert_form": (convert or LeadConvertForm())
            if changeable and lead.status == LeadStatus.APPROVED and lead.station_id is None
            else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_new(request: HttpRequest) -> HttpResponse:
    """The form of a new lead; on submit the site is checked and a violation shown with the rule
    and the nearest offender (and, for holders of override_spacing, the reason field)."""
    _may_edit(request)
    form = LeadForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            lead = form.save()
            if lead is not None:
                return redirect("network:lead_detail", pk=lead.pk)
        status = 400
    else:
        status = 200
    county = form.cleaned_data.get("county") if form.is_bound and form.is_valid() else None
    overridable = may_override(request.user, county.parent_id) if county else False
    if not county:
        cities = scoped_cities(request.user)
        overridable = any(may_override(request.user, c.pk) for c in cities)
    return render(
        request,
        "network/lead_new.html",
        {"form": form, "overridable": overridable, "picker": _picker(form)},
        status=status,
    )


def _picker(form: LeadForm) -> dict:
    """What the form's map needs: each county choice's adcode and city (its boundary is fetched
    from geo:boundaries, whose address it gives); the point is the form's lon and lat."""
    counties = {
        str(c.pk): {"adcode": c.code, "city": c.parent.code} for c in form.fields["county"].queryset
    }
    return {"counties": counties, "boundaries": reverse("geo:boundaries", args=["county"])}


@login_required
@require_POST
def lead_transition(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _changeable_lead(request, pk)
    form = LeadTransitionForm(request.POST, lead=lead)
    if form.is_valid():
        data = form.cleaned_data
        try:
            transition_lead(lead, data["status"], data["date"], request.user, data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("network:lead_detail", pk=lead.pk)
    return _detail_page(request, lead, True, transition=form, status=400)


@login_required
@require_POST
def lead_convert(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _changeable_lead(request, pk)
    form = LeadConvertForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            station = convert_lead(lead, data["code"], data["name"], data["date"], request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("network:station_detail", code=station.code)
    return _detail_page(request, lead, True, convert=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Move or change a lead: its site is checked against every spacing rule again."""
    lead = _changeable_lead(request, pk)
    if lead.station_id is not None:
        raise PermissionDenied(_("A converted lead is changed through its station."))
    form = LeadMoveForm(request.POST or None, instance=lead, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.save() is not None:
            return redirect("network:lead_detail", pk=lead.pk)
        status = 400
    context = {
        "form": form,
        "lead": lead,
        "overridable": may_override(request.user, lead.city_id),
        "picker": _picker(form),
    }
    return render(request, "network/lead_new.html", context, status=status)
