"""Stores a demo network plan with bulk inserts, removes it again, and fingerprints what is stored.

Bulk inserts skip model signals, so the denormalised Station.status and Station.opened_on are set
here from the planned history, and the build writes no per-row audit records (seed data, not a
change): instead one record per loaded table (action "replaced in bulk", source "demo") says in
the change history what the demo loaded, as an import's records would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import connections
from django.db.models import Q
from django.utils.translation import gettext as _

from fucai.accounts.models import RoleAssignment
from fucai.core.choices import ChangeAction
from fucai.core.context import acting_as
from fucai.core.models import ObjectChange
from fucai.core.signals import bulk_replaced
from fucai.geo.models import Division
from fucai.network.choices import PartnerKind
from fucai.network.demo import targets as T
from fucai.network.demo.plan import NetworkPlan
from fucai.network.models import (
    MarketManager,
    PartnerOrganisation,
    Station,
    StationAssignment,
    StationOwner,
    StationStatusChange,
    Territory,
)

BATCH = 1000
Progress = Callable[[str, int], None]
DEMO_SOURCE = "demo"  # the source of the demo's load records in the change history
LOADED_MODELS = (
    StationOwner,
    Station,
    StationStatusChange,
    MarketManager,
    Territory,
    StationAssignment,
    PartnerOrganisation,
)


# --- removing ---------------------------------------------------------------------------------


def wipe_network(using: str = "default") -> None:
    """Delete every station, owner, manager, territory, assignment and partner organisation.

    Plain DELETE statements (children first): no per-row signals, so no audit rows for tens of
    thousands of demo objects. Role assignments anchored to a manager or owner go first (the demo
    users' own go with them when the accounts step wipes them; `fucai demo` refuses to run on a
    network it did not build)."""
    anchored = Q(market_manager__isnull=False) | Q(station_owner__isnull=False)
    RoleAssignment.objects.using(using).filter(anchored).delete()
    load_records(using).delete()
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in (
            StationAssignment,
            StationStatusChange,
            Station,
            StationOwner,
            Territory,
            MarketManager,
            PartnerOrganisation,
        ):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def load_records(using: str = "default"):
    """The change-history records of the demo's loads (they go when the demo network goes)."""
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.db_manager(using).get_for_models(*LOADED_MODELS).values()
    return ObjectChange.objects.using(using).filter(
        source=DEMO_SOURCE, action=ChangeAction.REPLACE, object_type__in=list(types)
    )


def record_loads(plan: NetworkPlan, counts: dict[type, int]) -> None:
    """One change-history record per loaded table: what the demo of this seed loaded."""
    with acting_as(None, DEMO_SOURCE):
        for model, created in counts.items():
            bulk_replaced.send(
                sender=model,
                label=f"demo seed {plan.seed}",
                deleted=0,
                created=created,
                source=DEMO_SOURCE,
            )


# --- writing ----------------------------------------------------------------------------------

PARTNER_CONTACT = "周经理"


def write_plan(plan: NetworkPlan, progress: Progress) -> None:
    division_ids = dict(Division.objects.values_list("code", "pk"))
    [partner] = PartnerOrganisation.objects.bulk_create(
        [
            PartnerOrganisation(
                name=plan.partner_name,
                kind=PartnerKind.SHOPPING_COMPLEX_GROUP,
                city_id=division_ids[T.JIUJIANG_CODE],
                contact_name=PARTNER_CONTACT,
                partnered_on=dt.date(2022, 11, 18),
                notes="组织联姻：集团旗下商业综合体设立福彩专营店（示范数据，虚构企业）。",
            )
        ]
    )
    owners = write_owners(plan, division_ids)
    progress(_("station owners"), len(owners))
    stations = write_stations(plan, division_ids, owners, partner)
    progress(_("stations"), len(stations))
    changes = write_history(plan, stations)
    progress(_("status changes"), changes)
    managers, territories = write_managers(plan, division_ids)
    progress(_("market managers"), len(managers))
    progress(_("territories"), len(territories))
    assignments = write_assignments(plan, stations, managers, territories)
    progress(_("station assignments"), assignments)
    record_loads(
        plan,
        {
            StationOwner: len(owners),
            Station: len(stations),
            StationStatusChange: changes,
            MarketManager: len(managers),
            Territory: len(territories),
            StationAssignment: assignments,
            PartnerOrganisation: 1,
        },
    )


def write_owners(plan: NetworkPlan, division_ids: dict[str, int]) -> dict[int, object]:
    """station key -> saved StationOwner."""
    planned = [s for s in plan.stations if s.owner is not None]
    rows = [
        StationOwner(
            name=s.owner.name,
            phone=s.owner.phone,
            id_number=s.owner.id_number,
            city_id=division_ids[s.owner.city_code],
            is_party_member=s.owner.is_party_member,
            is_veteran=s.owner.is_veteran,
            party_consent=s.owner.party_consent,
        )
        for s in planned
    ]
    StationOwner.objects.bulk_create(rows, batch_size=BATCH)
    return {s.key: row for s, row in zip(planned, rows, strict=True)}


def write_stations(
    plan: NetworkPlan, division_ids: dict[str, int], owners: dict[int, object], partner
) -> dict[int, object]:
    """station key -> saved Station, with status and opened_on equal to its planned history."""
    rows = [
        Station(
            code=s.code,
            name=s.name,
            city_id=division_ids[s.city_code],
            county_id=division_ids[s.county.code],
            address=s.address,
            lon=Decimal(s.lon),
            lat=Decimal(s.lat),
            scene=s.scene,
            operation=s.operation,
            brand=s.brand,
            staff_count=s.staff,
            terminal_count=s.terminals,
            owner=owners.get(s.key),
            partner=partner if s.partner else None,
            status=s.status,
            opened_on=s.opened_on,
        )
        for s in plan.stations
    ]
    Station.objects.bulk_create(rows, batch_size=BATCH)
    return {s.key: row for s, row in zip(plan.stations, rows, strict=True)}


def write_history(plan: NetworkPlan, stations: dict[int, object]) -> int:
    rows = [
        StationStatusChange(station=stations[s.key], status=status, date=date, note=note)
        for s in plan.stations
        for date, status, note in s.events
    ]
    StationStatusChange.objects.bulk_create(rows, batch_size=BATCH * 2)
    return len(rows)


def write_managers(
    plan: NetworkPlan, division_ids: dict[str, int]
) -> tuple[dict[str, object], dict[str, object]]:
    managers = {
        m.code: MarketManager(
            employee_code=m.code,
            name=m.name,
            city_id=division_ids[m.city_code],
            phone=m.phone,
            hired_on=m.hired_on,
            status=m.status,
        )
        for m in plan.managers
    }
    MarketManager.objects.bulk_create(managers.values(), batch_size=BATCH)
    territories = {
        t.code: Territory(
            code=t.code,
            name=t.name,
            city_id=division_ids[t.city_code],
            manager=managers[t.manager.code],
        )
        for t in plan.territories
    }
    Territory.objects.bulk_create(territories.values(), batch_size=BATCH)
    return managers, territories


def write_assignments(
    plan: NetworkPlan, stations: dict[int, object], managers: dict, territories: dict
) -> int:
    rows = [
        StationAssignment(
            station=stations[a.station.key],
            territory=territories[a.territory.code],
            manager=managers[a.manager.code],
            valid_from=a.valid_from,
            valid_to=a.valid_to,
        )
        for a in plan.assignments
    ]
    StationAssignment.objects.bulk_create(rows, batch_size=BATCH * 2)
    return len(rows)


# --- fingerprints -----------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.6f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _digest(tables: dict[str, Iterable[tuple]]) -> str:
    sha = hashlib.sha256()
    for name in sorted(tables):
        rows = sorted(tuple(_text(v) for v in row) for row in tables[name])
        sha.update(json.dumps([name, rows], ensure_ascii=False).encode())
    return sha.hexdigest()


STATION_FIELDS = (
    "code",
    "name",
    "county__code",
    "address",
    "lon",
    "lat",
    "scene",
    "operation",
    "brand",
    "staff_count",
    "terminal_count",
    "status",
    "opened_on",
    "partner__name",
    "owner__name",
    "owner__phone",
    "owner__id_number",
    "owner__is_party_member",
    "owner__is_veteran",
    "owner__party_consent",
)


def database_fingerprint() -> str:
    """A hash of the stored network (natural keys only: no ids, no timestamps)."""
    return _digest(
        {
            "stations": Station.objects.values_list(*STATION_FIELDS),
            "changes": StationStatusChange.objects.values_list(
                "station__code", "date", "status", "note"
            ),
            "managers": MarketManager.objects.values_list(
                "employee_code", "name", "city__code", "phone", "hired_on", "status"
            ),
            "territories": Territory.objects.values_list(
                "code", "name", "city__code", "manager__employee_code"
            ),
            "assignments": StationAssignment.objects.values_list(
                "station__code",
                "territory__code",
                "manager__employee_code",
                "valid_from",
                "valid_to",
            ),
            "partners": PartnerOrganisation.objects.values_list("name", "city__code"),
        }
    )


def plan_fingerprint(plan: NetworkPlan) -> str:
    """The same hash, computed from the plan: equal to database_fingerprint() once it is stored."""

    def station_row(s) -> tuple:
        o = s.owner
        owner = (
            (o.name, o.phone, o.id_number, o.is_party_member, o.is_veteran, o.party_consent)
            if o
            else (None,) * 6
        )
        return (
            s.code,
            s.name,
            s.county.code,
            s.address,
            Decimal(s.lon),
            Decimal(s.lat),
            s.scene,
            s.operation,
            s.brand,
            s.staff,
            s.terminals,
            s.status,
            s.opened_on,
            plan.partner_name if s.partner else None,
            *owner,
        )

    return _digest(
        {
            "stations": [station_row(s) for s in plan.stations],
            "changes": [
                (s.code, d, status, note) for s in plan.stations for d, status, note in s.events
            ],
            "managers": [
                (m.code, m.name, m.city_code, m.phone, m.hired_on, m.status) for m in plan.managers
            ],
            "territories": [
                (t.code, t.name, t.city_code, t.manager.code) for t in plan.territories
            ],
            "assignments": [
                (a.station.code, a.territory.code, a.manager.code, a.valid_from, a.valid_to)
                for a in plan.assignments
            ],
            "partners": [(plan.partner_name, T.JIUJIANG_CODE)],
        }
    )
