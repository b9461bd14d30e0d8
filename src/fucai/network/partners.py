"""Partners (组织联姻) in a user's scope: their sites, agreements and the outlets opened with them,
with the outlets' sales since opening (fucai.analytics.opening.SinceOpeningRunner, the one
computation of it) — for the partner pages, `fucai network partners` and the API alike.

Totals: sales since opening and this year add up every outlet; the total's year on year is over
the outlets that have a whole same period last year (like for like), None when none has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch

from fucai.network.models import PartnerAgreement, PartnerOrganisation, PartnerSite, Station
from fucai.sales.money import yoy_pct, yuan_text


@dataclass(frozen=True)
class OutletRow:
    """An outlet opened with a partner and its sales (None: no sales data)."""

    station: Station
    sales: object | None  # fucai.analytics.opening.OutletSales


@dataclass
class PartnerFigures:
    """A partner's outlets and their sales as of a day."""

    partner: PartnerOrganisation
    as_of: dt.date
    outlets: list[OutletRow] = field(default_factory=list)

    @property
    def outlet_count(self) -> int:
        return len(self.outlets)

    @property
    def sales_fen(self) -> int:
        return sum(r.sales.amount_fen for r in self.outlets if r.sales)

    @property
    def year_fen(self) -> int:
        return sum(r.sales.year_fen for r in self.outlets if r.sales)

    @property
    def comparable(self) -> list:
        return [r.sales for r in self.outlets if r.sales and r.sales.prior_fen is not None]

    @property
    def comparable_count(self) -> int:
        return len(self.comparable)

    @property
    def prior_fen(self) -> int | None:
        comparable = self.comparable
        return sum(s.prior_fen for s in comparable) if comparable else None

    @property
    def yoy_pct(self) -> Decimal | None:
        comparable = self.comparable
        if not comparable:
            return None
        return yoy_pct(sum(s.year_fen for s in comparable), self.prior_fen)

    def to_dict(self) -> dict:
        p = self.partner
        return {
            "id": p.pk,
            "name": p.name,
            "city": {"code": p.city.code, "name": p.city.name},
            "as_of": self.as_of.isoformat(),
            "outlets": self.outlet_count,
            "sales_fen": self.sales_fen,
            "sales_yuan": yuan_text(self.sales_fen),
            "year_fen": self.year_fen,
            "prior_fen": self.prior_fen,
            "comparable_outlets": self.comparable_count,
            "yoy_pct": None if self.yoy_pct is None else str(self.yoy_pct),
            "outlet_sales": [
                {
                    "name": r.station.name,
                    "site": r.station.partner_site.name if r.station.partner_site else None,
                    **(r.sales.to_dict() if r.sales else {"code": r.station.code}),
                }
                for r in self.outlets
            ],
        }


def _seen(model, user):
    """The model's rows the user sees; `None` (a command run without --user): the province."""
    return model.objects.all() if user is None else model.objects.restrict(user)


def partners_of(user):
    """The partner organisations the user sees (city agencies of their city, the province)."""
    return (
        _seen(PartnerOrganisation, user)
        .select_related("city")
        .annotate(
            outlet_count=Count("stations", distinct=True),
            site_count=Count("sites", distinct=True),
        )
        .order_by("city__code", "name")
    )


def sites_of(user, partner: PartnerOrganisation):
    return (
        _seen(PartnerSite, user)
        .filter(organisation=partner)
        .annotate(outlet_count=Count("stations", distinct=True))
        .order_by("name")
    )


def agreements_of(user, partner: PartnerOrganisation):
    return _seen(PartnerAgreement, user).filter(organisation=partner)


def outlets_of(user, partner: PartnerOrganisation):
    """The partner's outlets the user sees, in the order they opened."""
    return (
        _seen(Station, user)
        .filter(partner=partner)
        .select_related("city", "county", "partner_site")
        .order_by("opened_on", "code")
    )


def partner_figures(user, partners, as_of: dt.date, context=None) -> list[PartnerFigures]:
    """Each partner's outlets (those the user sees) with their sales since opening to `as_of`,
    in one runner call over all the outlets; sales None everywhere without sales data."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.opening import SinceOpeningRunner, narrowed
    from fucai.analytics.scope import Scope

    partners = list(partners)
    stations = list(
        _seen(Station, user)
        .filter(partner__in=partners)
        .select_related("city", "county", "partner_site")
        .order_by("opened_on", "code")
    )
    sales = {}
    context = context or AnalyticsContext.current()
    if stations and context.data_years():
        whole = Scope.province() if user is None else Scope.for_user(user)
        scope = narrowed(whole, [s.code for s in stations], {s.city.code for s in stations})
        outlets = tuple((s.code, s.city.code, s.opened_on) for s in stations)
        sales = SinceOpeningRunner(context, scope).run(outlets, as_of)
    by_partner = {p.pk: PartnerFigures(p, as_of) for p in partners}
    for station in stations:
        by_partner[station.partner_id].outlets.append(OutletRow(station, sales.get(station.code)))
    return [by_partner[p.pk] for p in partners]


def prefetched(queryset):
    """Partners with their sites and agreements, for exports of many (no query per partner)."""
    return queryset.prefetch_related(
        Prefetch("sites", queryset=PartnerSite.objects.order_by("name")),
        Prefetch("agreements", queryset=PartnerAgreement.objects.all()),
    )
