"""The `fucai demo` step for partners (组织联姻), after the network and the sales demo: 九江's
partner group gets its sites — the shopping complexes its outlets were opened in (each outlet's
address names it: "…号庐浔汇城市广场修水店2层") — and its agreement with a fictional contact.
The outlets and their sales come from the network and sales steps."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext_lazy

from fucai.core.context import acting_as
from fucai.network.choices import PartnerSiteKind
from fucai.network.demo.builder import PARTNER_NAME
from fucai.network.demo.writer import DEMO_SOURCE
from fucai.network.models import PartnerAgreement, PartnerOrganisation, PartnerSite, Station

# the shop part of an outlet's address: "<street><n>号<site><floor>层"
SITE_IN_ADDRESS = re.compile(r"号(?P<site>[^号]+?店)\d+层$")
AGREEMENT = {  # fictional: the group, the contact and the number are made up
    "signed_on": dt.date(2022, 11, 18),
    "starts_on": dt.date(2022, 12, 1),
    "ends_on": dt.date(2025, 11, 30),
    "terms": (
        "集团旗下商业综合体提供专营店铺位（首年租金减半），联合开展开业营销与会员积分活动；"
        "中心提供设备、形象标识与培训（示范数据，虚构协议）。"
    ),
    "contact_name": "周立衡",
    "contact_phone": "13907920186",
}


def site_of(address: str) -> tuple[str, str] | None:
    """(site name, its street address) read from an outlet's address, or None."""
    match = SITE_IN_ADDRESS.search(address)
    if match is None:
        return None
    return match["site"], address[: match.start("site")]


class PartnerDemoBuilder:
    """九江's partner group: its sites (malls) with their outlets, and its agreement."""

    label = gettext_lazy("partner sites and agreements")

    def _partner(self):
        return PartnerOrganisation.objects.filter(name=PARTNER_NAME).first()

    def is_current(self, ctx) -> bool:
        partner = self._partner()
        if partner is None:
            return False
        outlets = Station.objects.filter(partner=partner)
        sites = PartnerSite.objects.filter(organisation=partner)
        return (
            PartnerAgreement.objects.filter(organisation=partner).count() == 1
            and sites.exists()
            and sites.count() == PartnerSite.objects.count()
            and not outlets.filter(partner_site__isnull=True).exists()
        )

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        with transaction.atomic():
            Station.objects.filter(partner_site__isnull=False).update(partner_site=None)
            PartnerAgreement.objects.all().delete()
            PartnerSite.objects.all().delete()

    def build(self, ctx) -> None:
        partner = self._partner()
        if partner is None:
            return
        outlets = list(Station.objects.filter(partner=partner).order_by("opened_on", "code"))
        by_site: dict[str, list[Station]] = defaultdict(list)
        addresses: dict[str, str] = {}
        for station in outlets:
            found = site_of(station.address)
            if found is None:
                continue
            name, address = found
            by_site[name].append(station)
            addresses.setdefault(name, address)
        with transaction.atomic(), acting_as(None, DEMO_SOURCE):
            for name, stations in by_site.items():
                first = stations[0]
                site = PartnerSite.objects.create(
                    organisation=partner,
                    name=name,
                    kind=PartnerSiteKind.MALL,
                    address=addresses[name],
                    lon=first.lon,
                    lat=first.lat,
                )
                Station.objects.filter(pk__in=[s.pk for s in stations]).update(partner_site=site)
            PartnerAgreement.objects.create(organisation=partner, **AGREEMENT)
        ctx.progress(str(self.label), len(by_site))
