"""The vanguard posts a Party-affairs user sees, with their sales: one row per station of a
consenting Party-member owner (fucai.party.vanguard.vanguard_q) in the user's scope, its
consent, and its sales in the year to the as-of day read through the sales analytics
(StationWindowsRunner, whose exact sums in fen also make the total), so the scope and the
figures are the analytics' own. Also the page's Excel workbook and the
API's and the map's shapes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from fucai.core.personal import NAME, mask
from fucai.sales.money import fen_to_wan, fen_to_yuan, yuan_text


@dataclass(frozen=True)
class VanguardPost:
    """One station shown as a 党员先锋示范岗 on the as-of day."""

    code: str
    name: str
    city: str
    county: str
    lon: float
    lat: float
    owner_id: int
    owner_masked: str
    consent_id: int | None
    consent_given_on: dt.date | None
    amount_fen: int

    @property
    def amount_wan(self) -> Decimal:
        return fen_to_wan(self.amount_fen)

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "city": self.city,
            "county": self.county,
            "lon": self.lon,
            "lat": self.lat,
            "owner": self.owner_masked,
            "consent_given_on": self.consent_given_on,
            "amount_yuan": yuan_text(self.amount_fen),
        }


@dataclass
class VanguardPosts:
    """The vanguard posts of a scope on a day, and their sales from 1 January to that day."""

    as_of: dt.date
    start: dt.date
    posts: list[VanguardPost] = field(default_factory=list)
    total_fen: int = 0

    @property
    def total_wan(self) -> Decimal:
        return fen_to_wan(self.total_fen)

    @property
    def owners(self) -> int:
        return len({p.owner_id for p in self.posts})

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of,
            "window": {"start": self.start, "end": self.as_of},
            "stations": len(self.posts),
            "owners": self.owners,
            "total_yuan": yuan_text(self.total_fen),
            "posts": [p.to_dict() for p in self.posts],
        }


def vanguard_stations(user, day: dt.date | None = None):
    """The stations `user` sees whose owner is a vanguard on `day` (default: today)."""
    from fucai.network.models import Station
    from fucai.party.vanguard import vanguard_q

    return Station.objects.restrict(user).filter(vanguard_q(day, prefix="owner"))


def _current_consents(user, owner_ids, day: dt.date) -> dict[int, tuple[int, dt.date]]:
    """owner id -> (consent id, given on) of the consent that counts on `day`."""
    from fucai.party.models import VanguardConsent
    from fucai.party.vanguard import consent_covers

    rows = (
        VanguardConsent.objects.restrict(user)
        .filter(consent_covers(day), owner_id__in=owner_ids)
        .order_by("owner_id", "given_on", "pk")
        .values_list("owner_id", "pk", "given_on")
    )
    return {owner_id: (pk, given_on) for owner_id, pk, given_on in rows}


def vanguard_posts(user, as_of: dt.date, context=None) -> VanguardPosts:
    """The vanguard posts `user` sees on `as_of` (who consented by then and had not revoked),
    with each station's sales in [1 January, as_of] and their total, through the analytics."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.runners import StationWindowsRunner
    from fucai.analytics.scope import Scope

    start = as_of.replace(month=1, day=1)
    stations = vanguard_stations(user, as_of).order_by("city__code", "code")
    rows = list(
        stations.values_list(
            "code", "name", "city__name", "county__name", "lon", "lat", "owner_id", "owner__name"
        )
    )
    consents = _current_consents(user, [r[6] for r in rows], as_of)
    context = context or AnalyticsContext.current()
    scope = Scope.for_user(user)
    sums = StationWindowsRunner(context, scope).run(((as_of.year, start, as_of),))
    result = VanguardPosts(as_of=as_of, start=start)
    for code, name, city, county, lon, lat, owner_id, owner_name in rows:
        consent_id, given_on = consents.get(owner_id, (None, None))
        result.posts.append(
            VanguardPost(
                code=code,
                name=name,
                city=city,
                county=county,
                lon=float(lon),
                lat=float(lat),
                owner_id=owner_id,
                owner_masked=mask(owner_name, NAME),
                consent_id=consent_id,
                consent_given_on=given_on,
                amount_fen=sums.get((as_of.year, code), 0),
            )
        )
    result.total_fen = sum(p.amount_fen for p in result.posts)  # the runner's exact fen
    return result


def vanguard_workbook(posts: VanguardPosts):
    """The page's table as an .xlsx workbook (owner names masked), with a notes sheet."""
    from django.utils.translation import gettext as _

    from fucai.core.excel import add_notes_sheet, table_workbook

    columns = [
        _("Station code"),
        _("Station"),
        _("City"),
        _("County"),
        _("Owner"),
        _("Consent given on"),
        _("Sales (yuan)"),
    ]
    rows = [
        [
            p.code,
            p.name,
            p.city,
            p.county,
            p.owner_masked,
            p.consent_given_on,
            fen_to_yuan(p.amount_fen),
        ]
        for p in posts.posts
    ]
    workbook = table_workbook(columns, rows, title=_("Vanguard posts"))
    notes = [
        (_("Sales from"), posts.start.isoformat()),
        (_("Sales to"), posts.as_of.isoformat()),
        (_("Stations"), len(posts.posts)),
        (_("Total sales (yuan)"), fen_to_yuan(posts.total_fen)),
        (_("Masking"), _("Owner names are masked.")),
    ]
    add_notes_sheet(workbook, _("Notes"), notes)
    return workbook
