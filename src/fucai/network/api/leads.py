"""Leads (布点机会) and the spacing check: the leads in the grant's scope (contacts masked), one
lead with its history, recording a lead (fucai.network.leads.save_lead: a site breaking a
spacing rule is a 400 naming each rule and its nearest offender, unless a holder of
override_spacing gives a reason) and the check of a site alone (fucai.network.spacing.check_site,
the same as `fucai network check-site`). A station the caller cannot see is named only as
"another station": the check tells that the site is too near, never which station is there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fucai.core.api.auth import auth_user
from fucai.core.api.paging import Paged
from fucai.core.api.scope import get_visible
from fucai.core.api.signatures import resolved
from fucai.core.bounds import BoundedDate, OptionalText
from fucai.network.choices import LeadSource, StationOperation, StationScene
from fucai.network.leads import hide_unseen, lead_rows, save_lead, visible_violations
from fucai.network.models import Lead

router = Router(tags=["leads"])


class ViolationOut(Schema):
    rule: str
    offender: str = Field(..., description="A station's code, a layer point's name, or 另一站点.")
    distance_m: int
    min_m: int
    message: str


class CheckOut(Schema):
    ok: bool
    violations: list[ViolationOut]


class LeadRefusedOut(Schema):
    """A 400: the spacing rules the site breaks, or (a body that cannot be read) ninja's detail."""

    ok: bool = False
    violations: list[ViolationOut] = []
    detail: str | None = None


class LeadOut(Schema):
    id: int
    received_on: dt.date
    city: str
    county: str
    address: str
    lon: float
    lat: float
    scene: str
    operation: str
    source: str
    status: str
    contact_name: str = Field(..., description="Masked.")
    contact_phone: str = Field(..., description="Masked.")
    rejection_reason: str
    spacing_override: str
    station: str


class StatusChangeOut(Schema):
    status: str
    date: dt.date
    note: str


class LeadDetailOut(LeadOut):
    history: list[StatusChangeOut]


class LeadIn(Schema):
    contact_name: str = Field(max_length=40)
    contact_phone: str = Field("", max_length=20)
    county: str = Field(max_length=6, description="The county's adcode.")
    address: str = Field(max_length=200)
    lon: float = Field(ge=73, le=136, description="GCJ-02")
    lat: float = Field(ge=3, le=54, description="GCJ-02")
    scene: StationScene
    operation: StationOperation
    source: LeadSource = LeadSource.OTHER
    received_on: BoundedDate
    notes: OptionalText = ""
    override_reason: str = Field(
        "", max_length=200, description="Why despite a spacing rule (needs override_spacing)."
    )


class LeadFilterIn(Schema):
    city: str | None = Field(None, description="a city's adcode")
    status: str | None = None


class CheckIn(Schema):
    lon: float = Field(ge=73, le=136, description="GCJ-02")
    lat: float = Field(ge=3, le=54, description="GCJ-02")
    operation: StationOperation
    scene: StationScene | None = None
    city: str | None = Field(None, description="the city (adcode) whose rule overrides apply")


def _violations_out(violations) -> list[dict]:
    return [{**v.to_dict(), "message": v.message} for v in violations]


@router.get("/leads", response=list[LeadOut], summary="Leads in your scope")
@paginate(Paged, page_size=100)
@resolved
def list_leads(request, filters: Query[LeadFilterIn]):
    leads = Lead.objects.restrict(auth_user(request))
    if filters.city:
        leads = leads.filter(city__code=filters.city)
    if filters.status:
        leads = leads.filter(status=filters.status)
    return lead_rows(leads)


@router.get("/leads/{lead_id}", response=LeadDetailOut, summary="One lead with its history")
def get_lead(request, lead_id: int):
    user = auth_user(request)
    lead = get_visible(Lead.objects, user, pk=lead_id)
    [row] = lead_rows(Lead.objects.filter(pk=lead.pk))
    history = lead.status_changes.order_by("date", "pk").values("status", "date", "note")
    return {**row, "history": list(history)}


@router.post(
    "/leads",
    response={201: LeadDetailOut, 400: LeadRefusedOut},
    summary="Record a lead (checked against the spacing rules)",
)
def create_lead(request, payload: LeadIn):
    """400 with the violations when the site breaks a spacing rule (and no override is given
    by a holder of override_spacing); 403 where you may not record leads."""
    from django.core.exceptions import ValidationError

    from fucai.geo.choices import DivisionLevel
    from fucai.geo.models import Division

    user = auth_user(request)
    county = Division.objects.filter(code=payload.county, level=DivisionLevel.COUNTY).first()
    if county is None:
        raise HttpError(422, _("No such county."))
    data = payload.dict(exclude={"county", "override_reason"})
    data.update(
        county=county,
        lon=Decimal(f"{payload.lon:.6f}"),
        lat=Decimal(f"{payload.lat:.6f}"),
        scene=payload.scene.value,
        operation=payload.operation.value,
        source=payload.source.value,
    )
    lead = Lead(**data)
    try:
        save_lead(lead, user, payload.override_reason)
    except PermissionDenied:
        raise HttpError(403, _("You may not record leads there.")) from None
    except ValidationError:
        violations = visible_violations(lead, user)
        if not violations:
            raise
        return Status(400, {"ok": False, "violations": _violations_out(violations)})
    return Status(201, get_lead(request, lead.pk))


@router.get("/check-site", response=CheckOut, summary="The spacing rules a site would break")
def check_site(request, query: Query[CheckIn]):
    """Every spacing rule a new site of `operation` at (`lon`, `lat`) would break, each with its
    nearest offender and distance; a station outside your scope is named 另一站点."""
    from fucai.geo.choices import DivisionLevel
    from fucai.geo.models import Division
    from fucai.network.spacing import check_site as check

    user = auth_user(request)
    city = None
    if query.city:
        city = Division.objects.filter(code=query.city, level=DivisionLevel.PREFECTURE).first()
        if city is None:
            raise HttpError(422, _("No such city."))
    scene = query.scene.value if query.scene else ""
    violations = check(query.lon, query.lat, query.operation.value, scene, city)
    violations = hide_unseen(violations, user)
    return {"ok": not violations, "violations": _violations_out(violations)}
