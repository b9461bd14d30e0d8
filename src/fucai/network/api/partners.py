"""Partners (组织联姻) in the grant's scope: each partner's outlets and their sales since opening
with year on year (fucai.network.partners, the same figures as the pages and `fucai network
partners`), and one partner with its sites and agreements (contacts masked)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema

from fucai.core.api.auth import auth_user
from fucai.core.api.scope import get_visible
from fucai.core.bounds import clamp_date
from fucai.network.partners import agreements_of, partner_figures, partners_of, sites_of

router = Router(tags=["partners"])


class WindowOut(Schema):
    start: dt.date
    end: dt.date


class OutletSalesOut(Schema):
    code: str
    name: str
    site: str | None
    opened_on: dt.date | None = None
    since_opening: WindowOut | None = None
    sales_fen: int = Field(0, description="Sales from the opening day to as_of, in fen.")
    year: WindowOut | None = None
    year_fen: int = 0
    prior: WindowOut | None = Field(
        None, description="The same period last year; null when the outlet was not open all of it."
    )
    prior_fen: int | None = None
    yoy_pct: str | None = None


class CityOut(Schema):
    code: str
    name: str


class PartnerSalesOut(Schema):
    id: int
    name: str
    city: CityOut
    as_of: dt.date
    outlets: int
    sales_fen: int = Field(..., description="All outlets' sales since their opening, in fen.")
    year_fen: int
    prior_fen: int | None = Field(
        ..., description="Same period last year of the outlets that were open all of it."
    )
    comparable_outlets: int
    yoy_pct: str | None
    outlet_sales: list[OutletSalesOut]


class SiteOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    lon: float | None
    lat: float | None
    outlets: int


class AgreementOut(Schema):
    id: int
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date | None
    terms: str
    contact_name: str = Field(..., description="Masked.")
    contact_phone: str = Field(..., description="Masked.")


class PartnerDetailOut(PartnerSalesOut):
    kind: str
    partnered_on: dt.date | None
    contact_name: str = Field(..., description="Masked.")
    sites: list[SiteOut]
    agreements: list[AgreementOut]


def _day(as_of: dt.date | None) -> dt.date:
    day, _notice = clamp_date(as_of or timezone.localdate())
    return day


@router.get(
    "/partners/sales",
    response=list[PartnerSalesOut],
    summary="Partners' outlets and their sales since opening",
)
def partner_sales(request, as_of: dt.date | None = None, city: str | None = None):
    """Per partner in your scope: its outlets, their sales from opening to `as_of` (default
    today; clamped like the summary) and this year against the same period last year."""
    user = auth_user(request)
    partners = partners_of(user)
    if city:
        partners = partners.filter(city__code=city)
    return [f.to_dict() for f in partner_figures(user, partners, _day(as_of))]


@router.get("/partners/{partner_id}", response=PartnerDetailOut, summary="One partner")
def get_partner(request, partner_id: int, as_of: dt.date | None = None):
    """A partner in your scope with its sites, agreements (contacts masked) and outlets' sales."""
    user = auth_user(request)
    partner = get_visible(partners_of(user), user, pk=partner_id)
    [figures] = partner_figures(user, [partner], _day(as_of))
    return {
        **figures.to_dict(),
        "kind": partner.kind,
        "partnered_on": partner.partnered_on,
        "contact_name": partner.contact_name_masked,
        "sites": [
            {
                "id": s.pk,
                "name": s.name,
                "kind": s.kind,
                "address": s.address,
                "lon": s.lon,
                "lat": s.lat,
                "outlets": s.outlet_count,
            }
            for s in sites_of(user, partner)
        ],
        "agreements": [
            {
                "id": a.pk,
                "signed_on": a.signed_on,
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
                "terms": a.terms,
                "contact_name": a.contact_name_masked,
                "contact_phone": a.contact_phone_masked,
            }
            for a in agreements_of(user, partner)
        ],
    }
