"""The `fucai demo` step for leads (布点机会), after the network: the default spacing rules (专营
200 m from 专营 stations and from schools, 兼营 100 m from 兼营 stations), a schools layer that is
synthetic and says so (made-up points around each county seat), and 抚州's pipeline from its
recruitment posters (征招海报): one lead per station it opened in 2023 up to the demo's day (the
seed's 98), taken step by step to opened and linked to the station, and leads rejected with their
reasons — one in four of them a site a few dozen metres from a station, refused by the spacing
check with the rule and the offender it names (fucai.network.spacing.check_site, run on the
demo's rules and stations). People are fictional."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from fucai.core.context import acting_as
from fucai.geo.models import Division
from fucai.network.choices import (
    LeadSource,
    LeadStatus,
    SpacingTarget,
    StationOperation,
    StationScene,
)
from fucai.network.demo.names import person_name, phone_number, street_address
from fucai.network.demo.targets import DEMO_AS_OF, FUZHOU_CODE
from fucai.network.demo.writer import DEMO_SOURCE
from fucai.network.models import (
    LayerPoint,
    Lead,
    LeadStatusChange,
    PointLayer,
    SpacingRule,
    Station,
)
from fucai.network.spacing import check_site

SCHOOLS = "学校"
SCHOOLS_PER_COUNTY = 4
DEDICATED, SHARED = StationOperation.DEDICATED, StationOperation.SHARED
RULES = (  # (name, applies to, keep away from, stations of operation, layer, metres)
    ("专营站间距", DEDICATED, SpacingTarget.STATIONS, DEDICATED, None, 200),
    ("专营站距学校", DEDICATED, SpacingTarget.LAYER, "", SCHOOLS, 200),
    ("兼营站间距", SHARED, SpacingTarget.STATIONS, SHARED, None, 100),
)
# the steps of a poster's answer that became a station: days before its opening
STEPS_BEFORE_OPENING = (
    (LeadStatus.NEW, 75),
    (LeadStatus.CONTACTED, 68),
    (LeadStatus.SURVEYED, 52),
    (LeadStatus.APPROVED, 40),
)
REJECTED_SHARE = 0.3  # rejected leads, as a share of the converted ones
REJECTIONS = (  # (the step it reached, the reason)
    (LeadStatus.CONTACTED, "业主放弃：转让费谈不拢"),
    (LeadStatus.CONTACTED, "租金过高，业主无力承担"),
    (LeadStatus.SURVEYED, "勘察：铺面不临街，客流不足"),
    (LeadStatus.SURVEYED, "勘察：面积不足 15 平方米"),
    (LeadStatus.NEW, "申请人不满足业主条件"),
    (LeadStatus.SURVEYED, "勘察：周边 500 米内已有两家体彩网点，竞争过强"),
)
SPACING_EVERY = 4  # every fourth rejected lead (the second, sixth, …) was refused for spacing
TOO_NEAR_M = (40, 90)  # how far such a site is from the station it was too near
METRES_PER_DEGREE = 111_000.0


def _offset(lon, lat, metres: float, bearing: float) -> tuple[Decimal, Decimal]:
    dlat = metres * math.cos(bearing) / METRES_PER_DEGREE
    dlon = metres * math.sin(bearing) / (METRES_PER_DEGREE * math.cos(math.radians(float(lat))))
    return (
        Decimal(f"{float(lon) + dlon:.6f}"),
        Decimal(f"{float(lat) + dlat:.6f}"),
    )


class LeadDemoBuilder:
    """The spacing rules, the synthetic schools layer and 抚州's poster leads."""

    label = gettext_lazy("leads and spacing rules")

    def is_current(self, ctx) -> bool:
        opened = self._fuzhou_2023().count()
        return (
            SpacingRule.objects.count() == len(RULES)
            and PointLayer.objects.filter(name=SCHOOLS, synthetic=True).exists()
            and opened > 0
            and Lead.objects.filter(city__code=FUZHOU_CODE, station__isnull=False).count() == opened
        )

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        with transaction.atomic():
            Lead.objects.all().delete()
            SpacingRule.objects.all().delete()
            PointLayer.objects.all().delete()

    def _fuzhou_2023(self):
        return Station.objects.filter(
            city__code=FUZHOU_CODE,
            opened_on__gte=dt.date(2023, 1, 1),
            opened_on__lte=DEMO_AS_OF,
        )

    def build(self, ctx) -> None:
        rng = random.Random(f"{ctx.seed}-leads")
        with transaction.atomic(), acting_as(None, DEMO_SOURCE):
            layer = self._schools(rng)
            for name, applies, target, operation, layer_name, metres in RULES:
                SpacingRule.objects.create(
                    name=name,
                    applies_to=applies,
                    target=target,
                    target_operation=operation,
                    layer=layer if layer_name else None,
                    min_m=metres,
                )
            converted = self._converted(rng)
            rejected = self._rejected(rng, converted)
        ctx.progress(str(self.label), len(converted) + rejected)

    def _schools(self, rng: random.Random) -> PointLayer:
        layer = PointLayer.objects.create(
            name=SCHOOLS,
            synthetic=True,
            description="示范数据：在各县区政府驻地周边随机生成的虚构学校点位，并非真实学校。",
        )
        points = []
        for county in Division.objects.counties().order_by("code"):
            for number in range(1, SCHOOLS_PER_COUNTY + 1):
                lon, lat = _offset(
                    county.seat_lon,
                    county.seat_lat,
                    rng.uniform(600, 4000),
                    rng.uniform(0, 2 * math.pi),
                )
                name = f"{county.name}示范学校{number}号（虚构）"
                points.append(LayerPoint(layer=layer, name=name, lon=lon, lat=lat))
        LayerPoint.objects.bulk_create(points)
        return layer

    def _lead(self, rng, county, lon, lat, scene, operation, received_on, **extra) -> Lead:
        return Lead.objects.create(
            contact_name=person_name(rng),
            contact_phone=phone_number(rng),
            county=county,
            address=extra.pop("address", None) or street_address(rng),
            lon=lon,
            lat=lat,
            scene=scene,
            operation=operation,
            source=extra.pop("source", LeadSource.POSTER),
            received_on=received_on,
            **extra,
        )

    def _converted(self, rng: random.Random) -> list[Station]:
        """One poster lead per 抚州 station opened in 2023, opened on the station's day."""
        stations = list(self._fuzhou_2023().select_related("county").order_by("opened_on", "code"))
        changes = []
        for station in stations:
            start = station.opened_on - dt.timedelta(days=STEPS_BEFORE_OPENING[0][1])
            lead = self._lead(
                rng,
                station.county,
                station.lon,
                station.lat,
                station.scene,
                station.operation,
                start,
                address=station.address,
                station=station,
                status=LeadStatus.OPENED,
            )
            for status, days in STEPS_BEFORE_OPENING:
                day = station.opened_on - dt.timedelta(days=days)
                changes.append(LeadStatusChange(lead=lead, status=status, date=day))
            changes.append(
                LeadStatusChange(lead=lead, status=LeadStatus.OPENED, date=station.opened_on)
            )
        LeadStatusChange.objects.bulk_create(changes)
        return stations

    def _rejected(self, rng: random.Random, converted: list[Station]) -> int:
        """Leads near the converted ones (600 m to 2 km away) rejected with a reason."""
        if not converted:
            return 0
        count = max(1, round(len(converted) * REJECTED_SHARE))
        steps = [s for s, _days in STEPS_BEFORE_OPENING]
        changes = []
        for number, near in enumerate(rng.sample(converted, min(count, len(converted)))):
            lon, lat = _offset(near.lon, near.lat, rng.uniform(600, 2000), rng.uniform(0, 6.28))
            reached, reason = rng.choice(REJECTIONS)
            scene = rng.choice((StationScene.STREET, StationScene.COMMUNITY, near.scene))
            operation = rng.choice((DEDICATED, SHARED))
            if number % SPACING_EVERY == 1:
                refused = self._too_near(rng, near)
                if refused is not None:
                    lon, lat, reason = refused
                    reached, scene, operation = LeadStatus.CONTACTED, near.scene, near.operation
            received = near.opened_on - dt.timedelta(days=rng.randrange(30, 120))
            lead = self._lead(
                rng,
                near.county,
                lon,
                lat,
                scene,
                operation,
                received,
                source=rng.choice((LeadSource.POSTER, LeadSource.POSTER, LeadSource.WALK_IN)),
                status=LeadStatus.REJECTED,
                rejection_reason=reason,
            )
            day = received
            for status in steps[: steps.index(reached) + 1]:
                changes.append(LeadStatusChange(lead=lead, status=status, date=day))
                day += dt.timedelta(days=rng.randrange(3, 15))
            changes.append(
                LeadStatusChange(lead=lead, status=LeadStatus.REJECTED, date=day, note=reason)
            )
        LeadStatusChange.objects.bulk_create(changes)
        return count

    def _too_near(self, rng: random.Random, near: Station) -> tuple | None:
        """A site a few dozen metres from `near` (of its operation) and the refusal the spacing
        check gives there, in the centre's words: (lon, lat, the nearest violation's message),
        or None if the check finds nothing to refuse."""
        lon, lat = _offset(near.lon, near.lat, rng.uniform(*TOO_NEAR_M), rng.uniform(0, 6.28))
        with translation.override("zh-hans"):  # the reasons are the centre's, in Chinese
            violations = check_site(lon, lat, near.operation, near.scene, near.city_id)
            return (lon, lat, violations[0].message[:200]) if violations else None
