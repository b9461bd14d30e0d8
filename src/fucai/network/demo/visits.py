"""The demo's field visits (走访) of 2023 (after the network and the users): each market manager
visits the stations assigned to them, on days the station was open for business (from its
opening, never after its closure), the manager in charge on the day.

Most stations are visited about monthly (now and then a month is missed, now and then a second
visit); some only every few months; a few are left alone for three to six months in a row, so
that "not visited in N days" has something to show. The phone's position is near the station
(a few metres to about a hundred), missing for a few visits (location refused), and far from it
for a few (flagged by the server's rule, fucai.network.visits). The 赣州 `manager` demo user is
the visitor of their own visits.

Party cadres visit too: 吉安 paired 433 cadres one to one with its 商超 stations (the seed; the
pairings are planned in fucai.network.demo.pairing), so 433 of 吉安's 商超 stations each have a
fictional cadre (a name, no login: like most demo managers, they are not users) who visits on
the pairing day and then now and then — in about four quarters in ten, purpose 结对帮扶 (paired
help), never as the station's market manager. Everything is deterministic for
the seed: the idempotency key of a visit is a UUID made from the seed, the station, the day and
the manager (or the cadre). All texts are fictional."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils.translation import gettext_lazy

from fucai.core.context import acting_as
from fucai.core.signals import bulk_replaced
from fucai.network.choices import StationStatus, VisitPurpose
from fucai.network.demo.pairing import jian_pairings
from fucai.network.models import (
    FieldVisit,
    MarketManager,
    Station,
    StationAssignment,
    StationStatusChange,
)

YEAR_START = dt.date(2023, 1, 1)
YEAR_END = dt.date(2023, 12, 31)
KEY_NAMESPACE = uuid.UUID("6f1c2a8e-3d4b-5e6f-8a9b-0c1d2e3f4a5b")  # the demo's visit keys
MONTHLY, PATCHY, NEGLECTED = "monthly", "patchy", "neglected"
PROFILES = ((MONTHLY, 0.78), (PATCHY, 0.14), (NEGLECTED, 0.08))
FAR_SHARE, NO_POSITION_SHARE = 0.025, 0.04
FINDINGS = (
    "站点营业正常，门头整洁，开奖公告及时更新",
    "午间客流较多，即开票陈列偏少",
    "业主反映快乐8销量下滑，周边新开一家体彩店",
    "终端运行正常，责任彩票提示牌张贴到位",
    "公益角资料陈旧，需要更换宣传册",
    "晚间购彩者集中，店内座位不足",
    "业主对新玩法了解不够，购彩者询问较多",
    "站点门口施工，客流受影响",
)
ADVICE = (
    "建议增加即开票品种，放在收银台旁显眼位置",
    "建议建立购彩者微信群，每期推送开奖信息",
    "建议周末开展刮刮乐体验活动",
    "建议调整营业时间，覆盖晚间客流高峰",
    "建议更新海报，突出双色球大奖信息",
    "建议加强与周边商户联动，开展满额赠票",
)
NEXT_STEPS = (
    "下月回访销量变化",
    "协调配送新一批即开票",
    "提交门头维修申请",
    "组织业主参加玩法培训",
    "跟进施工结束后的客流恢复",
    "",
)
COMPLAINTS = ("购彩者反映兑奖等待时间长，已向业主了解情况", "业主反映终端偶发掉线，已报修")
QUARTERS = tuple(
    (dt.date(2023, month, 1), dt.date(2023, month + 2, calendar.monthrange(2023, month + 2)[1]))
    for month in (1, 4, 7, 10)
)
CADRE_VISIT_CHANCE = 0.4  # a paired cadre visits their station in a given quarter
CADRE_FINDINGS = (
    "结对走访：与业主一起分析商超客流，周末下午购彩者最多",
    "结对走访：商超入口宣传栏已更新“随手公益、人人公益”故事",
    "结对走访：业主反映超市促销期间客流大，即开票供不应求",
    "结对走访：协助悬挂福彩公益宣传条幅，收银台旁增设展架",
)
FIRST_CADRE_FINDING = "结对首访：与业主商定一对一帮扶计划，了解商超客流和站点销售情况"
CADRE_ADVICE = (
    "建议与超市会员日联动，开展即开票体验",
    "建议在收银台旁摆放开奖公告，方便顾客了解",
    "建议业主记录每周销量，下次走访一起分析",
    "",
)


@dataclass
class PlannedVisit:
    station: int
    manager: int | None  # None: a Party cadre's visit (visitor_name says who)
    visited_on: dt.date
    purpose: str
    findings: str
    advice: str
    next_step: str
    follow_up_on: dt.date | None
    position: str  # "near", "far" or "none"
    key: uuid.UUID
    visitor_name: str = ""  # a cadre's; a manager's visit takes the manager's name


def open_spans(history: list[tuple[str, dt.date]]) -> list[tuple[dt.date, dt.date | None]]:
    """The station's spans from opening to closure (the end exclusive; None: still running).
    A suspended station is still visited (that is when a visit matters); a closed one is not."""
    start = None
    spans = []
    for status, day in history:
        if status == StationStatus.OPEN and start is None:
            start = day
        elif status == StationStatus.CLOSED and start is not None:
            spans.append((start, day))
            start = None
    if start is not None:
        spans.append((start, None))
    return spans


def months_of(start: dt.date, end: dt.date):
    """(first, last) day of each month from `start` to `end` (both included), clipped."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = max(start, dt.date(year, month, 1))
        last = min(end, dt.date(year, month, calendar.monthrange(year, month)[1]))
        yield first, last
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


class VisitDemoBuilder:
    """The market managers' visits to their stations in 2023, and 吉安's Party cadres' visits to
    the 商超 stations paired with them."""

    label = gettext_lazy("field visits")

    def plan(self, ctx) -> list[PlannedVisit]:
        """The visits, as they would be built on the network now in the database."""
        histories: dict[int, list] = defaultdict(list)
        changes = StationStatusChange.objects.order_by("station_id", "date", "pk")
        for station_id, status, day in changes.values_list("station_id", "status", "date"):
            histories[station_id].append((status, day))
        codes = dict(Station.objects.values_list("pk", "code"))
        opened = dict(Station.objects.values_list("pk", "opened_on"))
        employee = dict(MarketManager.objects.values_list("pk", "employee_code"))
        assignments = defaultdict(list)
        rows = (
            StationAssignment.objects.filter(valid_from__lte=YEAR_END)
            .exclude(valid_to__lte=YEAR_START)
            .order_by("station_id", "valid_from", "pk")
            .values_list("station_id", "manager_id", "valid_from", "valid_to")
        )
        for station, manager, start, end in rows:
            assignments[station].append((manager, start, end))
        visits: list[PlannedVisit] = []
        for station in sorted(assignments):
            rng = random.Random(f"{ctx.seed}-visits-{codes[station]}")
            profile = rng.choices([p for p, _w in PROFILES], [w for _p, w in PROFILES])[0]
            gap = None
            if profile == NEGLECTED:
                gap_start = YEAR_START + dt.timedelta(days=rng.randint(30, 240))
                gap = (gap_start, gap_start + dt.timedelta(days=rng.randint(95, 180)))
            for span_start, span_end in open_spans(histories[station]):
                for manager, valid_from, valid_to in assignments[station]:
                    start = max(YEAR_START, span_start, valid_from)
                    ends = [YEAR_END]
                    ends += [d - dt.timedelta(days=1) for d in (span_end, valid_to) if d]
                    end = min(ends)
                    if start > end:
                        continue
                    for first, last in months_of(start, end):
                        days = self._days(rng, profile, first, last, gap)
                        for day in days:
                            visits.append(
                                self._visit(
                                    rng, ctx.seed, station, codes[station], manager,
                                    employee.get(manager, ""), day, opened.get(station),
                                )
                            )  # fmt: skip
        return visits + self._cadre_visits(ctx, histories, codes)

    def _cadre_visits(self, ctx, histories, codes) -> list[PlannedVisit]:
        """吉安's paired cadres (fucai.network.demo.pairing): each visits their station on the
        pairing day, then in about four quarters in ten while the pairing lasts."""
        visits = []
        for pairing in jian_pairings(ctx.seed):
            rng = random.Random(f"{ctx.seed}-cadre-visits-{pairing.code}")
            end = YEAR_END if pairing.end is None else pairing.end - dt.timedelta(days=1)
            days = [pairing.start]
            for quarter_start, quarter_end in QUARTERS:
                first = max(pairing.start + dt.timedelta(days=1), quarter_start)
                last = min(end, quarter_end)
                if quarter_start <= pairing.start or first > last:
                    continue
                if rng.random() < CADRE_VISIT_CHANCE:
                    days.append(first + dt.timedelta(days=rng.randint(0, (last - first).days)))
            for day in days:
                visits.append(self._cadre_visit(rng, ctx.seed, pairing, codes, day))
        return visits

    def _cadre_visit(self, rng, seed, pairing, codes, day) -> PlannedVisit:
        place = rng.random()
        station, number, cadre = pairing.station, pairing.number, pairing.cadre
        first = day == pairing.start
        return PlannedVisit(
            station=station,
            manager=None,
            visited_on=day,
            purpose=VisitPurpose.PAIRED,
            findings=FIRST_CADRE_FINDING if first else rng.choice(CADRE_FINDINGS),
            advice=rng.choice(CADRE_ADVICE),
            next_step="下季度结对回访",
            follow_up_on=None,
            position="far" if place < FAR_SHARE else "none" if place > 0.9 else "near",
            key=uuid.uuid5(
                KEY_NAMESPACE, f"{seed}/{codes[station]}/{day.isoformat()}/cadre{number}"
            ),
            visitor_name=cadre,
        )

    def _days(self, rng, profile, first, last, gap) -> list[dt.date]:
        chance = 0.45 if profile == PATCHY else 0.93
        if rng.random() >= chance:
            return []
        width = (last - first).days
        days = [first + dt.timedelta(days=rng.randint(0, width))]
        if profile == MONTHLY and rng.random() < 0.12:
            days.append(first + dt.timedelta(days=rng.randint(0, width)))
        if gap is not None:
            days = [d for d in days if not gap[0] <= d < gap[1]]
        return sorted(set(days))

    def _visit(self, rng, seed, station, code, manager, employee, day, opened) -> PlannedVisit:
        roll = rng.random()
        if opened is not None and dt.timedelta(0) <= day - opened <= dt.timedelta(days=90):
            purpose = VisitPurpose.ONBOARDING
        elif roll < 0.6:
            purpose = VisitPurpose.ROUTINE
        elif roll < 0.86:
            purpose = VisitPurpose.SALES_ADVICE
        elif roll < 0.96:
            purpose = VisitPurpose.INSPECTION
        else:
            purpose = VisitPurpose.COMPLAINT
        findings = rng.choice(COMPLAINTS if purpose == VisitPurpose.COMPLAINT else FINDINGS)
        follow_up = None
        if rng.random() < 0.3:
            follow_up = min(YEAR_END, day + dt.timedelta(days=rng.randint(14, 30)))
        place = rng.random()
        position = (
            "far" if place < FAR_SHARE else "none" if place > 1 - NO_POSITION_SHARE else "near"
        )
        return PlannedVisit(
            station=station,
            manager=manager,
            visited_on=day,
            purpose=purpose,
            findings=findings,
            advice=rng.choice(ADVICE) if purpose != VisitPurpose.INSPECTION else "",
            next_step=rng.choice(NEXT_STEPS),
            follow_up_on=follow_up,
            position=position,
            key=uuid.uuid5(KEY_NAMESPACE, f"{seed}/{code}/{day.isoformat()}/{employee}"),
        )

    # -- the builder protocol ---------------------------------------------------------------

    def _digest(self, keys) -> str:
        return hashlib.sha256("\n".join(sorted(str(k) for k in keys)).encode()).hexdigest()

    def is_current(self, ctx) -> bool:
        planned = self.plan(ctx)
        if FieldVisit.objects.count() != len(planned):
            return False
        stored = FieldVisit.objects.values_list("idempotency_key", flat=True)
        return self._digest(stored) == self._digest(v.key for v in planned)

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step refuses a network the demo did not build

    def wipe(self, ctx) -> None:
        """A plain DELETE (no per-row audit), and the demo's load record."""
        from django.contrib.contenttypes.models import ContentType

        from fucai.core.models import ObjectChange
        from fucai.network.demo.writer import DEMO_SOURCE

        kind = ContentType.objects.get_for_model(FieldVisit)
        ObjectChange.objects.filter(source=DEMO_SOURCE, object_type=kind).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(FieldVisit._meta.db_table)}")

    def build(self, ctx) -> None:
        from fucai.network.demo.writer import DEMO_SOURCE

        planned = self.plan(ctx)
        names = dict(MarketManager.objects.values_list("pk", "name"))
        users = self._users()
        positions = self._positions(ctx, planned)
        far = settings.VISIT_FAR_METRES
        rows = []
        for visit, position in zip(planned, positions, strict=True):
            lon, lat, accuracy, distance = position or (None, None, None, None)
            rows.append(
                {
                    "station": visit.station,
                    "visitor": users.get(visit.manager),
                    "manager": visit.manager,
                    "visitor_name": (visit.visitor_name or names[visit.manager])[:60],
                    "visited_on": visit.visited_on,
                    "purpose": visit.purpose,
                    "findings": visit.findings,
                    "advice": visit.advice,
                    "next_step": visit.next_step,
                    "follow_up_on": visit.follow_up_on,
                    "lon": lon,
                    "lat": lat,
                    "accuracy_m": accuracy,
                    "distance_m": distance,
                    "is_far": distance is not None and distance > far,
                    "idempotency_key": visit.key,
                }
            )
        insert_rows(FieldVisit, rows)
        with acting_as(None, DEMO_SOURCE):
            bulk_replaced.send(
                sender=FieldVisit,
                label=f"demo seed {ctx.seed}",
                deleted=0,
                created=len(rows),
                source=DEMO_SOURCE,
            )
        ctx.progress(str(self.label), len(rows))

    def _users(self) -> dict[int, int]:
        """market manager -> the demo user who is that manager (the `manager` login)."""
        from fucai.accounts.demo import DEMO_EMAIL_DOMAIN
        from fucai.accounts.models import RoleAssignment

        rows = RoleAssignment.objects.filter(
            market_manager__isnull=False, user__email__endswith=DEMO_EMAIL_DOMAIN
        ).values_list("market_manager_id", "user_id")
        return dict(sorted(rows))

    def _positions(self, ctx, planned: list[PlannedVisit]) -> list[tuple | None]:
        """(lon, lat, accuracy, distance) of the phone for each visit, or None: a WGS-84 point at
        a random bearing and distance from the station (converted from GCJ-02), its distance then
        measured as the server measures it (on the 6-decimal position)."""
        from coordTransform import gcj02_to_wgs84
        from pyproj import Geod

        wanted = [i for i, v in enumerate(planned) if v.position != "none"]
        stations = {v.station for v in planned}
        wgs = {
            pk: gcj02_to_wgs84(float(lon), float(lat))
            for pk, lon, lat in Station.objects.filter(pk__in=stations).values_list(
                "pk", "lon", "lat"
            )
        }
        rng = random.Random(f"{ctx.seed}-visit-positions")
        far = settings.VISIT_FAR_METRES
        lons, lats, bearings, metres, accuracies = [], [], [], [], []
        for i in wanted:
            visit = planned[i]
            lon, lat = wgs[visit.station]
            lons.append(lon)
            lats.append(lat)
            bearings.append(rng.uniform(-180, 180))
            if visit.position == "far":
                metres.append(rng.uniform(far * 1.3, far * 8))
            else:
                metres.append(min(far * 0.6, rng.lognormvariate(3.2, 0.7)))  # ~25 m
            accuracies.append(rng.choice((5, 8, 10, 12, 15, 20, 30, 45)))
        geod = Geod(ellps="WGS84")
        result: list[tuple | None] = [None] * len(planned)
        if not wanted:
            return result
        to_lon, to_lat, _back = geod.fwd(lons, lats, bearings, metres)
        phone_lon = [Decimal(f"{x:.6f}") for x in to_lon]
        phone_lat = [Decimal(f"{y:.6f}") for y in to_lat]
        _f, _b, measured = geod.inv(
            lons, lats, [float(x) for x in phone_lon], [float(y) for y in phone_lat]
        )
        for n, i in enumerate(wanted):
            result[i] = (phone_lon[n], phone_lat[n], accuracies[n], round(measured[n]))
        return result


def insert_rows(model, rows: list[dict], batch: int = 1000) -> None:
    """INSERT `rows` (field name -> value) without building model instances: bulk_create spends
    seconds per 50,000 rows preparing values one by one. Values are adapted to the database once
    per distinct value for dates and by the field for UUIDs and decimals; `recorded_at`-style
    auto_now_add fields get the time of the load."""
    from django.utils import timezone

    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    conn = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-call proxy
    adapters = []
    for f in fields:
        kind = f.get_internal_type()
        if getattr(f, "auto_now_add", False):
            fixed = f.get_db_prep_save(now, conn)
            adapters.append((f.name, lambda _v, fixed=fixed: fixed))
        elif kind == "DateField":
            cache: dict = {}

            def adapt(value, f=f, cache=cache):
                if value not in cache:
                    cache[value] = f.get_db_prep_save(value, conn)
                return cache[value]

            adapters.append((f.name, adapt))
        elif kind == "UUIDField":
            native = conn.features.has_native_uuid_field
            adapters.append((f.name, lambda v, native=native: v if native else v.hex))
        elif kind == "DecimalField":
            ops, digits, places = conn.ops, f.max_digits, f.decimal_places
            adapters.append(
                (
                    f.name,
                    lambda v, ops=ops, digits=digits, places=places: (
                        None if v is None else ops.adapt_decimalfield_value(v, digits, places)
                    ),
                )
            )
        else:
            adapters.append((f.name, None))
    values = [
        tuple(
            (row.get(name) if adapt is None else adapt(row.get(name))) for name, adapt in adapters
        )
        for row in rows
    ]
    if conn.vendor == "postgresql":  # COPY: no statement to parse, one stream
        with (
            conn.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in values:
                copy.write_row(row)
        return
    # elsewhere one multi-row INSERT per batch (executemany is a statement per row)
    batch = min(batch, conn.ops.bulk_batch_size(fields, values) or batch)
    with conn.cursor() as cursor:
        for start in range(0, len(values), batch):
            chunk = values[start : start + batch]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * len(chunk))}"
            cursor.execute(sql, [value for row in chunk for value in row])
