"""The `fucai demo` step that builds the station network (see core/management/commands/demo)."""

from __future__ import annotations

import math
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fucai.geo.loader import boundary_shapes
from fucai.geo.models import Division
from fucai.network.demo.managers import plan_managers
from fucai.network.demo.placement import KM_PER_DEG_LAT, KM_PER_DEG_LON_EQUATOR, lay_out
from fucai.network.demo.plan import County, NetworkPlan, plan_network
from fucai.network.demo.writer import (
    LOADED_MODELS,
    database_fingerprint,
    load_records,
    plan_fingerprint,
    wipe_network,
    write_plan,
)
from fucai.network.models import Station

PARTNER_NAME = "庐浔汇商业管理集团有限公司"  # fictional


def load_counties(shapes: dict) -> list[County]:
    """The province's counties as the generator sees them, with areas from their boundaries."""
    counties = []
    for division in Division.objects.counties().select_related("parent").order_by("code"):
        geometry = shapes[division.code]
        lat = float(division.lat)
        area = geometry.area * KM_PER_DEG_LAT * KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat))
        counties.append(
            County(
                code=division.code,
                name=division.name,
                city_code=division.parent.code,
                city_name=division.parent.name,
                lottery_code=division.parent.lottery_code,
                population=division.population,
                seat_lon=float(division.seat_lon),
                seat_lat=float(division.seat_lat),
                area_km2=area,
            )
        )
    return counties


def build_plan(
    seed: int, progress: Callable[[str, int | None], None] = lambda step, count=None: None
) -> NetworkPlan:
    """The whole demo network in memory: deterministic for a seed."""
    shapes = boundary_shapes("county")
    plan = plan_network(load_counties(shapes), seed)
    plan.partner_name = PARTNER_NAME
    progress(_("planned stations"), len(plan.stations))
    lay_out(plan, shapes)
    progress(_("placed stations"), len(plan.stations))
    plan_managers(plan)
    progress(_("planned territories"), len(plan.territories))
    return plan


class NetworkDemoBuilder:
    """Stations with history and owners, the partner group, managers, territories, assignments."""

    label = gettext_lazy("station network")

    def plan(self, ctx) -> NetworkPlan:
        if "network_plan" not in ctx.shared:
            ctx.shared["network_plan"] = build_plan(ctx.seed, ctx.progress)
        return ctx.shared["network_plan"]

    def is_current(self, ctx) -> bool:
        """Whether the database holds exactly this seed's network, nothing more or changed."""
        plan = self.plan(ctx)
        if Station.objects.count() != len(plan.stations):
            return False
        if load_records().count() != len(LOADED_MODELS):
            return False
        return database_fingerprint() == plan_fingerprint(plan)

    def foreign_data(self, ctx) -> str | None:
        """Why the database must not be wiped: stations that `fucai demo` did not make."""
        from fucai.accounts.demo import demo_users_exist

        count = Station.objects.count()
        if count and not demo_users_exist():
            return _(
                "the database holds %(count)s stations that `fucai demo` did not build; "
                "build the demo in an empty database (set FUCAI_DATA_DIR or DATABASE_URL)"
            ) % {"count": f"{count:,}"}
        return None

    def wipe(self, ctx) -> None:
        wipe_network()

    def build(self, ctx) -> None:
        write_plan(self.plan(ctx), ctx.progress)

    def figures(self) -> str:
        """The network figures of the demo's day, for `fucai demo`'s closing message."""
        from fucai.network.demo.targets import DEMO_AS_OF, YEAR_END, YEAR_START
        from fucai.network.management.commands.network import render_table
        from fucai.network.summary import network_summary

        stations = Station.objects.all()
        summary = network_summary(stations, DEMO_AS_OF)
        lines = [
            _("  open on %(day)s: %(count)s")
            % {"day": day.isoformat(), "count": f"{network_summary(stations, day).open_stations:,}"}
            for day in (YEAR_START, YEAR_END)
        ]
        return "\n".join([render_table(summary.to_dict()), *lines])
