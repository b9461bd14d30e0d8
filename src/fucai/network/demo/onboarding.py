"""The demo's 四帮 onboarding plans (after the network and the users): every station whose
history passes through 规划/勘察 has its plan from the default template, dated from that history.

宜春's business-district (商圈) stations opened in 2023 walked through all four helps: every task
done, on time, with notes. Elsewhere most tasks were done on time, some late, some not at all, so
that the overdue lists of 2023-09-03 and 2023-12-31 have something to show. A station that opened
had its survey done (its 勘察 step) or, without one, skipped with a reason: the plan agrees with
the lifecycle. Tasks go to the station's market manager (the one of its county before it has
one); in 赣州 the 30-day follow-up visit goes to the city's Party secretary (the `ganzhou` demo
user). All notes are fictional."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections import Counter, defaultdict

from django.db import connection
from django.utils.translation import gettext as _

from fucai.core.context import acting_as
from fucai.core.signals import bulk_replaced
from fucai.network.choices import (
    OnboardingPhase,
    OnboardingTaskState,
    StationScene,
    StationStatus,
    SurveyRecommendation,
)
from fucai.network.demo.targets import YEAR_END
from fucai.network.models import (
    OnboardingPlan,
    OnboardingTask,
    Station,
    StationAssignment,
    StationStatusChange,
)
from fucai.network.onboarding import ENTERS_ONBOARDING, default_template, due_date, station_dates

YICHUN = "360900"
GANZHOU = "360700"
PARTY_USER = "ganzhou"
MODELS = (OnboardingPlan, OnboardingTask)
DIGEST_KEYS = ("code", "number", "phase", "due_on", "state", "completed_on", "manager")
DROPPED_REASON = "规划撤销，站点未建成"
CLOSED_REASON = "站点已撤销，不再回访"
NO_SURVEY_REASON = "原有门店转型投注站，沿用业主经营数据，未单独勘察"
NOTES = {
    OnboardingPhase.SURVEY: (
        "实地蹲点两个时段统计人流，周边商户以餐饮、便利店为主",
        "与业主核对租约和门面尺寸，周边体彩店两家，竞争可控",
        "步行街入口位置，晚间人流明显高于白天",
    ),
    OnboardingPhase.BUILD: (
        "按标准图核对门头、开奖公告栏和公益角，终端调试正常",
        "协助业主调整柜台朝向，海报区移至入口一侧",
        "对照清单逐项验收，责任彩票提示牌已张贴",
    ),
    OnboardingPhase.MARKETING: (
        "指导开业活动：即开票试刮体验、快乐8玩法讲解",
        "帮助业主建立购彩者微信群，约定每周发布开奖信息",
        "结合商圈客流制定周末促销安排",
    ),
    OnboardingPhase.FOLLOW_UP: (
        "回访销量走势，建议增加即开票品种陈列",
        "业主反映午间客流大，建议调整营业时间",
        "检查责任彩票落实情况，运营正常",
    ),
}


def _in_onboarding(history) -> bool:
    return any(status in ENTERS_ONBOARDING for status, _d in history)


class OnboardingDemoBuilder:
    """The 四帮 plans of the demo's new stations."""

    label = _("四帮 onboarding plans")

    def rows(self, ctx) -> tuple[list[int], list[dict]]:
        """The stations given a plan and their tasks' fields, as they would be built on the
        network now in the database (not cached: the network step may rebuild it in between)."""
        template = default_template()
        specs = list(template.tasks.order_by("order", "pk"))
        histories: dict[int, list] = defaultdict(list)
        changes = StationStatusChange.objects.order_by("station_id", "date", "pk")
        for station_id, status, date in changes.values_list("station_id", "status", "date"):
            histories[station_id].append((status, date))
        stations = {
            pk: rest
            for pk, *rest in Station.objects.filter(pk__in=list(histories))
            .order_by("pk")
            .values_list("pk", "code", "city__code", "county_id", "scene", "opened_on")
        }
        chosen = [pk for pk in sorted(stations) if _in_onboarding(histories[pk])]
        managers, county_manager = self._managers()
        party = self._party_user_id()
        rng = random.Random(f"{ctx.seed}-onboarding")
        tasks = []
        for pk in chosen:
            code, city, county, scene, opened = stations[pk]
            history = histories[pk]
            dates = station_dates(None, history)
            complete = (
                city == YICHUN
                and scene == StationScene.BUSINESS_DISTRICT
                and opened is not None
                and opened.year == 2023
            )
            for number, spec in enumerate(specs, start=1):
                due = due_date(spec.anchor, spec.offset_days, dates)
                manager = _manager_on(managers.get(pk, []), due or dates["planned"])
                row = {
                    "station": pk,
                    "code": code,
                    "number": number,
                    "phase": spec.phase,
                    "title": spec.title,
                    "checklist": list(spec.checklist),
                    "anchor": spec.anchor,
                    "offset_days": spec.offset_days,
                    "due_on": due,
                    "manager": manager or county_manager.get(county),
                    "assignee": None,
                }
                follow_up = spec.phase == OnboardingPhase.FOLLOW_UP and spec.offset_days == 30
                if city == GANZHOU and follow_up and party:
                    row["assignee"] = party
                row |= self._outcome(rng, spec, row, history, dates, complete)
                tasks.append(row)
        return chosen, tasks

    def _managers(self):
        by_station = defaultdict(list)
        per_county: dict[int, Counter] = defaultdict(Counter)
        rows = StationAssignment.objects.values_list(
            "station_id", "station__county_id", "manager_id", "valid_from", "valid_to"
        ).order_by("station_id", "valid_from", "pk")
        for station, county, manager, start, end in rows:
            by_station[station].append((manager, start, end))
            if end is None:
                per_county[county][manager] += 1
        county_manager = {
            county: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            for county, c in per_county.items()
        }
        return by_station, county_manager

    def _party_user_id(self) -> int | None:
        from fucai.accounts.demo import DEMO_EMAIL_DOMAIN
        from fucai.accounts.models import User

        user = User.objects.filter(username=PARTY_USER, email__endswith=DEMO_EMAIL_DOMAIN)
        return user.values_list("pk", flat=True).first()

    def _outcome(self, rng, spec, row, history, dates, complete: bool) -> dict:
        due = row["due_on"]
        phase = spec.phase
        todo = {"state": OnboardingTaskState.TODO, "completed_on": None}
        closed = next((d for s, d in history if s == StationStatus.CLOSED), None)
        if closed is not None and (dates["opened"] is None or due is None or due >= closed):
            reason = CLOSED_REASON if dates["opened"] is not None else DROPPED_REASON
            return {
                "state": OnboardingTaskState.SKIPPED,
                "completed_on": closed,
                "skip_reason": reason,
            }
        if phase == OnboardingPhase.SURVEY:
            surveyed = next((d for s, d in history if s == StationStatus.SURVEYED), None)
            if surveyed is not None:
                return self._done(rng, spec, surveyed)
            if dates["opened"] is None and dates["building"] is None:
                return todo  # still to survey (overdue once its 14 days are past)
            if complete:
                return self._done(rng, spec, dates["building"] or dates["opened"])
            skipped_on = dates["building"] or dates["opened"]
            return {
                "state": OnboardingTaskState.SKIPPED,
                "completed_on": skipped_on,
                "skip_reason": NO_SURVEY_REASON,
            }
        if due is None:
            return todo
        if complete:
            return self._done(rng, spec, due - dt.timedelta(days=rng.randint(0, 2)))
        roll = rng.random()
        on_time, late = (0.85, 0.98) if due.year < 2023 else (0.7, 0.88)
        if roll < on_time:
            day = due - dt.timedelta(days=rng.randint(0, 3))
        elif roll < late:
            day = due + dt.timedelta(days=rng.randint(8, 60))
        else:
            return todo
        if day > YEAR_END:  # the demo's records end there
            return todo
        return self._done(rng, spec, day)

    def _done(self, rng, spec, day: dt.date) -> dict:
        done = {
            "state": OnboardingTaskState.DONE,
            "completed_on": day,
            "notes": rng.choice(NOTES[spec.phase]),
        }
        if spec.phase == OnboardingPhase.SURVEY:
            done |= {
                "foot_traffic": rng.randrange(80, 900, 10),
                "nearby_welfare": rng.randint(0, 3),
                "nearby_sports": rng.randint(0, 4),
                "rent_fen": rng.randrange(1500, 9000, 100) * 100,
                "recommendation": SurveyRecommendation.RECOMMEND
                if rng.random() < 0.85
                else SurveyRecommendation.CONDITIONAL,
            }
        if spec.checklist:
            done["checklist_results"] = dict.fromkeys(spec.checklist, True)
        return done

    # -- the builder protocol ---------------------------------------------------------------

    def _digest(self, rows) -> str:
        data = sorted([[str(r.get(k)) for k in DIGEST_KEYS] for r in rows])
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()

    def _stored(self) -> list[dict]:
        return [
            dict(zip(DIGEST_KEYS, r, strict=True))
            for r in OnboardingTask.objects.values_list(
                "plan__station__code",
                "number",
                "phase",
                "due_on",
                "state",
                "completed_on",
                "manager_id",
            )
        ]

    def is_current(self, ctx) -> bool:
        chosen, rows = self.rows(ctx)
        if OnboardingPlan.objects.count() != len(chosen):
            return False
        return self._digest(self._stored()) == self._digest(rows)

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step refuses a network the demo did not build

    def wipe(self, ctx) -> None:
        """Plain DELETE statements (no per-row audit); the template stays (an admin's edits)."""
        from django.contrib.contenttypes.models import ContentType

        from fucai.core.models import ObjectChange
        from fucai.network.demo.writer import DEMO_SOURCE

        types = ContentType.objects.get_for_models(*MODELS).values()
        ObjectChange.objects.filter(source=DEMO_SOURCE, object_type__in=list(types)).delete()
        with connection.cursor() as cursor:
            for model in (OnboardingTask, OnboardingPlan):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")

    def build(self, ctx) -> None:
        from fucai.network.demo.writer import DEMO_SOURCE

        chosen, rows = self.rows(ctx)
        template = default_template()
        OnboardingPlan.objects.bulk_create(
            (OnboardingPlan(station_id=pk, template=template) for pk in chosen), batch_size=2000
        )
        plans = dict(OnboardingPlan.objects.values_list("station_id", "pk"))
        fields = {f.name for f in OnboardingTask._meta.concrete_fields} - {"manager", "assignee"}
        tasks = [
            OnboardingTask(
                plan_id=plans[row["station"]],
                manager_id=row["manager"],
                assignee_id=row["assignee"],
                **{
                    k: v for k, v in row.items() if k in fields and k not in ("manager", "assignee")
                },
            )
            for row in rows
        ]
        OnboardingTask.objects.bulk_create(tasks, batch_size=2000)
        with acting_as(None, DEMO_SOURCE):
            for model, created in ((OnboardingPlan, len(chosen)), (OnboardingTask, len(tasks))):
                bulk_replaced.send(
                    sender=model,
                    label=f"demo seed {ctx.seed}",
                    deleted=0,
                    created=created,
                    source=DEMO_SOURCE,
                )
        ctx.progress(_("四帮 plans"), len(chosen))


def _manager_on(assignments, day: dt.date | None) -> int | None:
    """The manager of the station's assignment in force on `day`, else its first one."""
    if not assignments:
        return None
    if day is not None:
        for manager, start, end in assignments:
            if start <= day and (end is None or day < end):
                return manager
    return assignments[0][0]
