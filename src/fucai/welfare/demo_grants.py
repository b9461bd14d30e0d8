"""The `fucai demo` step for 公益金 projects and grants (issue 12). The seed: 赣州's centre gave
over 300,000 yuan of 公益金 to 330 poor households of its communities and villages, bought
equipment for elderly-care centres and built reading rooms.

赣州: a household-assistance project whose 330 households (800–1,200 yuan each, 327,200 yuan in
all) went through application → review → approval → notice → payment in seven monthly batches
from February to August 2023, each step by a different officer (the entrant and the reviewer are
generated 赣州 welfare officers, the approver the `welfare` demo user); an eighth batch approved
on 28 August is in its notice period on 3 September (committed, not paid), with one unresolved
objection; four applications rejected; one application caught as a duplicate (its ID number was
applied for in 吉安 in 2023) and rejected. Elderly-care equipment and reading rooms in five
paired communities. Every other city: a few projects (elderly care, reading rooms, households).

People are fictional: names from the surname and given-name lists, ID numbers with a
deliberately wrong GB 11643 check character (fucai.network.demo.names.id_number), phones in
199 0000 xxxx (a block no operator has given out). Each planned grant is checked by the
workflow's pure rules (step_refusal, over_budget, notice_refusal) before the rows are written
in bulk; encrypting the ≈ 2,300 personal values costs ≈ 30 ms (measured: Fernet ≈ 14 µs a
value; the whole step ≈ 0.3 s)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

STAFF_DOMAIN = "welfare.demo.fucai.invalid"  # not the demo users' domain (their builder's own)
GANZHOU, JIAN = "360700", "360800"
AS_OF = dt.date(2023, 9, 3)
PAID_BATCHES = 7  # February–August
HOUSEHOLDS_PER_BATCH = (47, 47, 47, 47, 47, 47, 48)  # 330
OPEN_BATCH = 12  # approved 2023-08-28, noticed until 2023-09-04
AMOUNTS_YUAN = tuple(range(800, 1201, 50))
COMMUNITIES = (
    "章贡区解放街道和平社区",
    "章贡区南外街道健康路社区",
    "南康区蓉江街道金鸡社区",
    "赣县区梅林镇城北社区",
    "于都县贡江镇长征社区",
)
# kind, name, budget in 赣州 (None: not in 赣州; planned elsewhere), budget elsewhere (yuan)
PROJECTS = (
    ("household_aid", "2023年{city}困难家庭公益金救助", 400_000, 30_000),
    ("elderly_care", "2023年{city}社区养老服务中心设备购置", 500_000, 150_000),
    ("reading_room", "{city}福彩爱心书屋（阅览室）建设", 200_000, 60_000),
    ("welfare_tour", "2023年{city}福彩公益行", None, 50_000),
)
PROJECT_NOTES = {"household_aid": "福彩公益金资助城乡困难家庭，每户800—1200元。"}
CONTACT = "赣州市福利彩票发行中心 0797-8000000（工作日 8:30–17:30）"
CIRCUMSTANCES = (
    "因病致困",
    "因残致困",
    "独居老人",
    "单亲家庭，子女就学",
    "遭受自然灾害",
    "低保边缘家庭",
    "重病患者家庭",
)


def demo_phone(n: int) -> str:
    """A phone of the demo's reserved-looking block 199 0000 xxxx."""
    return f"1990000{n % 10_000:04d}"


@dataclass
class Planned:
    """A grant planned in memory: its steps (kind, day, user id, note) checked by the rules."""

    project: object
    amount_fen: int
    applied_on: dt.date
    entrant: int
    household: object | None = None
    organisation: str = ""
    village: str = ""
    status: str = "applied"
    steps: list = field(default_factory=list)
    approved_on: dt.date | None = None
    paid_on: dt.date | None = None
    notice: object | None = None
    duplicate: bool = False


class GrantsDemoBuilder:
    """Projects, households, grants with their steps, notices and an objection."""

    label = gettext_lazy("welfare projects and grants")

    def is_current(self, ctx) -> bool:
        """赣州's grants and its projects' lifecycle (a demo built before project steps existed
        is rebuilt)."""
        from fucai.welfare.models import Grant, ProjectStep

        return (
            Grant.objects.filter(project__city__code=GANZHOU).exists()
            and ProjectStep.objects.filter(project__city__code=GANZHOU).exists()
        )

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.accounts.models import User
        from fucai.welfare.models import (
            BudgetOverride,
            Grant,
            GrantStep,
            Household,
            Notice,
            Objection,
            Project,
            ProjectBudgetOverride,
            ProjectStep,
        )

        # no per-row audit: the demo's own rows, rebuilt at once (3,000 change records otherwise)
        for model in (
            Objection,
            BudgetOverride,
            GrantStep,
            Grant,
            Notice,
            Household,
            ProjectStep,
            ProjectBudgetOverride,
            Project,
        ):
            rows = model.objects.all()
            rows._raw_delete(rows.db)
        User.objects.filter(email__endswith=f"@{STAFF_DOMAIN}").delete()

    # -- people -------------------------------------------------------------------------------
    def _staff(self, cities, rng) -> dict[int, tuple[int, int, int]]:
        """(entrant, reviewer, approver) user ids per city: generated welfare officers, and for
        赣州 the `welfare` demo user as approver."""
        from fucai.accounts.choices import Role
        from fucai.accounts.demo import split_name
        from fucai.accounts.models import RoleAssignment, User
        from fucai.network.demo.names import person_name

        users, rows = [], []
        for city in cities:
            for role in ("clerk", "reviewer", "approver"):
                if city.code == GANZHOU and role == "approver":
                    continue
                last, first = split_name(person_name(rng))
                users.append(
                    User(
                        username=f"welfare_{city.code}_{role}",
                        email=f"welfare_{city.code}_{role}@{STAFF_DOMAIN}",
                        last_name=last,
                        first_name=first,
                        password="!",  # no login
                    )
                )
        User.objects.bulk_create(users)
        by_name = dict(
            User.objects.filter(email__endswith=f"@{STAFF_DOMAIN}").values_list("username", "pk")
        )
        city_of = {c.code: c for c in cities}
        for username, pk in by_name.items():
            rows.append(RoleAssignment(user_id=pk, role=Role.WELFARE, city=city_of[username[8:14]]))
        RoleAssignment.objects.bulk_create(rows)
        approver = User.objects.get(username="welfare").pk
        return {
            c.pk: (
                by_name[f"welfare_{c.code}_clerk"],
                by_name[f"welfare_{c.code}_reviewer"],
                approver if c.code == GANZHOU else by_name[f"welfare_{c.code}_approver"],
            )
            for c in cities
        }

    def _household(self, rng, city, county, village, n):
        from fucai.network.demo.names import id_number, person_name, street_address
        from fucai.welfare.models import Household

        return Household(
            city=city,
            county=county,
            village=village,
            name=person_name(rng),
            id_number=id_number(rng, county.code),
            phone=demo_phone(n),
            address=f"{village}{street_address(rng)}",
            circumstances=rng.choice(CIRCUMSTANCES),
            members=rng.randint(1, 6),
        )

    # -- the grants ---------------------------------------------------------------------------
    def _walk(self, plan: Planned, staff, *, reviewed, approved, paid=None, rejected=None):
        """Give a planned grant its steps, each checked by the workflow's rules."""
        from fucai.welfare.workflow import STEP_TO, step_refusal

        entrant, reviewer, approver = staff
        plan.steps.append(("application", plan.applied_on, entrant, ""))
        moves = [
            ("review", reviewed, reviewer, "材料齐全，情况属实"),
            ("approval", approved, approver, "同意"),
        ]
        if rejected:
            moves = [m for m in moves if m[1] and m[1] < rejected[0]]
            moves.append(("rejection", rejected[0], reviewer, rejected[1]))
        for kind, on, user, note in moves:
            if on is None:
                continue
            refusal = step_refusal(plan.status, kind, user, entrant, reviewer)
            assert refusal is None, refusal
            plan.status = STEP_TO[kind]
            plan.steps.append((kind, on, user, note))
            if kind == "approval":
                plan.approved_on = on
        if paid:
            self._pay(plan, paid, staff[0])

    def _noticed(self, plan, notice, staff, plans, *, reviewed: int, approved: int, paid):
        """A planned grant reviewed and approved so many days after its application, on the
        notice, paid on the day (None: not yet), added to `plans`."""
        plan.notice = notice
        days = dt.timedelta
        self._walk(
            plan,
            staff,
            reviewed=plan.applied_on + days(reviewed),
            approved=plan.applied_on + days(approved),
            paid=paid,
        )
        plans.append(plan)

    def _pay(self, plan: Planned, on: dt.date, user: int) -> None:
        from fucai.welfare.workflow import notice_refusal

        refusal = notice_refusal(plan.status, plan.notice.ends_on, on, 0)
        assert refusal is None, refusal
        plan.status, plan.paid_on = "paid", on
        plan.steps.append(("payment", on, user, "已通过“一卡通”发放"))

    def build(self, ctx) -> None:
        from fucai.accounts.models import User
        from fucai.core.context import acting_as
        from fucai.geo.models import Division
        from fucai.network.demo.writer import DEMO_SOURCE

        rng = random.Random(f"{ctx.seed}:welfare-grants")
        cities = list(Division.objects.cities().order_by("code"))
        counties = {}
        for county in Division.objects.counties().order_by("code"):
            counties.setdefault(county.parent_id, []).append(county)
        with acting_as(None, DEMO_SOURCE):
            staff = self._staff(cities, rng)
            notice_user = User.objects.get(username="welfare").pk
            plans, households, notices, objections = self._plan(
                rng, cities, counties, staff, notice_user
            )
            count = self._write(plans, households, notices, objections)
        ctx.progress(str(self.label), count)

    def _plan(self, rng, cities, counties, staff, notice_user):
        from fucai.welfare.models import Notice, Project

        plans, households, notices, objections = [], [], [], []
        n = 0
        for city in cities:
            gz = city.code == GANZHOU
            made = [
                Project.objects.create(
                    city=city,
                    name=name.format(city=city.name),
                    kind=kind,
                    budget_fen=(gz_yuan if gz else yuan) * 100,
                    source_year=2023,
                    status="planned" if gz_yuan is None else "open",
                    description=PROJECT_NOTES.get(kind, ""),
                )
                for kind, name, gz_yuan, yuan in PROJECTS
                if not (gz and gz_yuan is None)
            ]
            aid, care, reading = made[:3]
            city_staff = staff[city.pk]
            self._project_steps(made, city_staff, done=(care, reading) if gz else ())
            places = counties[city.pk]
            # organisations: elderly-care centres and reading rooms in paired communities
            communities = COMMUNITIES if gz else tuple(f"{c.name}城关社区" for c in places[:2])
            org_notice = Notice(
                city=city,
                title=f"{city.name}2023年福彩公益金养老服务及爱心书屋项目资助公示",
                starts_on=dt.date(2023, 3, 20),
                ends_on=dt.date(2023, 3, 26),
                contact=CONTACT if gz else f"{city.name}福利彩票发行中心",
                created_by_id=notice_user if gz else city_staff[2],
            )
            notices.append(org_notice)
            for i, community in enumerate(communities):
                for project, label, amount in (
                    (care, "居家养老服务中心", 80_000 if gz else 60_000),
                    (reading, "福彩爱心书屋", 30_000 if gz else 25_000),
                ):
                    applied = dt.date(2023, 3, 6 + i)
                    plan = Planned(project, amount * 100, applied, city_staff[0], village=community)
                    plan.organisation = f"{community}{label}"
                    self._noticed(
                        plan,
                        org_notice,
                        city_staff,
                        plans,
                        reviewed=3,
                        approved=8,
                        paid=dt.date(2023, 4, 6),
                    )
            # households: 赣州's seven paid batches and the open one; a few elsewhere
            batches = [*HOUSEHOLDS_PER_BATCH, OPEN_BATCH] if gz else [rng.randint(6, 14)]
            for b, size in enumerate(batches):
                month = 2 + b if gz else 5
                applied = dt.date(2023, month, 3) if b < 7 else dt.date(2023, 8, 14)
                approved = applied + dt.timedelta(days=14)
                batch = "（第二批）" if b >= 7 else ""
                notice = Notice(
                    city=city,
                    title=f"{city.name}2023年{applied.month}月{batch}福彩公益金困难家庭救助名单公示",
                    starts_on=approved + dt.timedelta(days=1),
                    ends_on=approved + dt.timedelta(days=7),
                    contact=CONTACT if gz else f"{city.name}福利彩票发行中心",
                    created_by_id=notice_user if gz else city_staff[2],
                )
                notices.append(notice)
                paid = notice.ends_on + dt.timedelta(days=3)
                for _i in range(size):
                    county = rng.choice(places)
                    village = f"{county.name}{rng.choice('东西南北新')}{rng.choice('坑塘岭田源')}村"
                    n += 1
                    household = self._household(rng, city, county, village, n)
                    households.append(household)
                    amount = rng.choice(AMOUNTS_YUAN) * 100
                    plan = Planned(aid, amount, applied, city_staff[0], village=village)
                    plan.household = household
                    self._noticed(
                        plan,
                        notice,
                        city_staff,
                        plans,
                        reviewed=5,
                        approved=14,
                        paid=paid if paid <= AS_OF else None,
                    )
            if gz:
                self._ganzhou_extras(rng, aid, places, city_staff, plans, households, objections)
        self._duplicate(
            rng,
            cities,
            counties,
            staff,
            aid_of={p.project.city_id: p.project for p in plans if p.household},
            plans=plans,
            households=households,
        )
        self._check_budgets(plans)
        return plans, households, notices, objections

    def _ganzhou_extras(self, rng, aid, places, staff, plans, households, objections):
        """Four rejected applications, and an objection to a grant of the open batch."""
        for i, reason in enumerate(
            (
                "家庭人均收入超过救助标准",
                "材料不全，逾期未补",
                "已享受同类救助",
                "经入户核查情况不属实",
            )
        ):
            county = places[i]
            household = self._household(rng, aid.city, county, f"{county.name}和平村", 9000 + i)
            households.append(household)
            applied = dt.date(2023, 4 + i, 10)
            plan = Planned(
                aid, 1000_00, applied, staff[0], household=household, village=household.village
            )
            self._walk(
                plan,
                staff,
                reviewed=None,
                approved=None,
                rejected=(applied + dt.timedelta(days=6), reason),
            )
            plans.append(plan)
        opened = [p for p in plans if p.project is aid and p.status == "approved"]
        objections.append(
            (opened[0], dt.date(2023, 9, 1), "群众来电反映：该户家中有经营性车辆，申请不实。")
        )

    def _duplicate(self, rng, cities, counties, staff, aid_of, plans, households):
        """A 吉安 household paid in 2023, and a 赣州 application with the same ID number, caught
        (the blind index) and rejected."""
        jian = next(c for c in cities if c.code == JIAN)
        ganzhou = next(c for c in cities if c.code == GANZHOU)
        first = next(p for p in plans if p.household and p.project.city_id == jian.pk)
        county = counties[ganzhou.pk][3]
        twin = self._household(rng, ganzhou, county, f"{county.name}新塘村", 9999)
        twin.id_number = first.household.id_number
        households.append(twin)
        applied = dt.date(2023, 6, 12)
        plan = Planned(
            aid_of[ganzhou.pk],
            1000_00,
            applied,
            staff[ganzhou.pk][0],
            household=twin,
            village=twin.village,
            duplicate=True,
        )
        self._walk(
            plan,
            staff[ganzhou.pk],
            reviewed=None,
            approved=None,
            rejected=(
                applied + dt.timedelta(days=2),
                "系统提示：该身份证号本年度已在其他设区市申请，经核实不予重复救助",
            ),
        )
        first.duplicate = True
        plans.append(plan)

    def _check_budgets(self, plans) -> None:
        from fucai.welfare.workflow import over_budget

        spent: dict[int, int] = {}
        for plan in sorted(plans, key=lambda p: p.approved_on or dt.date.max):
            if plan.approved_on is None:
                continue
            pid = id(plan.project)
            assert not over_budget(plan.project.budget_fen, spent.get(pid, 0), 0, plan.amount_fen)
            spent[pid] = spent.get(pid, 0) + plan.amount_fen

    @staticmethod
    def _project_steps(projects, city_staff, done=()) -> None:
        """Each project's lifecycle: created (planned) in January by the city's entrant, started
        on 1 February by its approver; `done` (赣州's equipment and reading rooms, all paid on 6
        April) completed at the end of April. Checked by the workflow's rule (move_refusal)."""
        from fucai.welfare.models import ProjectStep
        from fucai.welfare.workflow import move_refusal

        entrant, approver = city_staff[0], city_staff[2]
        steps = []
        for project in projects:
            moves = [("", "planned", dt.date(2023, 1, 9), entrant, "立项")]
            if project.status in ("open", "completed"):
                moves.append(("planned", "open", dt.date(2023, 2, 1), approver, ""))
            if project in done:
                moves.append(("open", "completed", dt.date(2023, 4, 28), approver, "验收合格"))
            for before, after, on, by, note in moves:
                assert not before or move_refusal(before, after, 0) is None, (before, after)
                steps.append(
                    ProjectStep(
                        project=project,
                        from_status=before,
                        to_status=after,
                        on=on,
                        by_id=by,
                        note=note,
                    )
                )
            project.status = moves[-1][1]
        ProjectStep.objects.bulk_create(steps)
        if done:  # as the wipe: no per-row audit of the demo's own rows
            type(done[0]).objects.filter(pk__in=[p.pk for p in done]).update(status="completed")

    def _write(self, plans, households, notices, objections) -> int:
        from fucai.welfare.models import Grant, GrantStep, Household, Notice, Objection

        Household.objects.bulk_create(households)  # encrypted and indexed on the way
        Notice.objects.bulk_create(notices)
        grants = [
            Grant(
                project=p.project,
                recipient_kind="household" if p.household else "organisation",
                household=p.household,
                organisation=p.organisation,
                village=p.village,
                year=p.applied_on.year,
                amount_fen=p.amount_fen,
                status=p.status,
                applied_on=p.applied_on,
                approved_on=p.approved_on,
                paid_on=p.paid_on,
                paid_fen=p.amount_fen if p.paid_on else None,
                entered_by_id=p.entrant,
                duplicate_elsewhere=p.duplicate,
                notice=p.notice if p.notice and p.approved_on else None,
            )
            for p in plans
        ]
        Grant.objects.bulk_create(grants)
        GrantStep.objects.bulk_create(
            GrantStep(grant=g, kind=kind, on=on, by_id=by, note=note)
            for g, p in zip(grants, plans, strict=True)
            for kind, on, by, note in p.steps
        )
        by_plan = {id(p): g for g, p in zip(grants, plans, strict=True)}
        Objection.objects.bulk_create(
            Objection(
                grant=by_plan[id(p)],
                objector="",
                received_on=on,
                text=text,
                recorded_by_id=p.entrant,
            )
            for p, on, text in objections
        )
        return len(grants)

    def figures(self) -> str:
        from fucai.welfare.models import Grant
        from fucai.welfare.workflow import paid_filter, totals_of, yuan

        grants = Grant.objects.filter(project__city__code=GANZHOU)
        paid = grants.filter(paid_filter(AS_OF), household__isnull=False)
        households = paid.values("household_id").distinct().count()
        return (
            f"公益金 (赣州, 2023 to {AS_OF}): {households} households, "
            f"{yuan(totals_of(paid, AS_OF)['paid']):,.2f} yuan paid"
        )
