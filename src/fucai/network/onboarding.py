"""The 四帮 onboarding workflow: plans made from the template, their due dates, the one rule on
opening, and the one definition of an overdue task.

- A station entering 规划 or 勘察 gets a plan (a signal on its status changes; `fucai network
  onboarding --create-plans` makes the plans of stations that were there before).
- A task is due `offset_days` after one of the station's dates (planned, construction start,
  opening); the dates come from the station's status history and the due dates follow it.
- `opening_refusal` is the one rule on opening: a station with a plan opens for the first time
  only when its survey is done, or skipped with a reason by someone who may (OVERRIDE_ONBOARDING).
  The status-change form, the station import and the API call it (`check_may_open`).
- `overdue_q` is the one definition of overdue: due before the centre's day, still to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from fucai.core.grant import CHANGE, grant_for
from fucai.network.choices import (
    OnboardingAnchor,
    OnboardingPhase,
    OnboardingTaskState,
    StationStatus,
)
from fucai.network.models import (
    OnboardingPlan,
    OnboardingTask,
    OnboardingTemplate,
    OnboardingTemplateTask,
    Station,
    StationAssignment,
    StationStatusChange,
)

OVERRIDE_ONBOARDING = "override_onboarding"  # fucai.accounts.grants gives it
ENTERS_ONBOARDING = (StationStatus.PLANNED, StationStatus.SURVEYED)

A = OnboardingPhase
# The default template's tasks: (phase, title, checklist, anchor, days after it). Titles are data
# (in the centre's language, as an administrator would write them), not interface text.
DEFAULT_TASKS = (
    (A.SURVEY, "选址勘察", [], OnboardingAnchor.PLANNED, 14),
    (
        A.BUILD,
        "设备与标识布局",
        [
            "投注终端安装调试",
            "门头符合中心标识规范",
            "开奖公告栏与玩法海报",
            "责任彩票及禁止未成年人购彩提示",
            "公益宣传角",
        ],
        OnboardingAnchor.BUILDING,
        10,
    ),
    (A.MARKETING, "开业营销指导", [], OnboardingAnchor.OPENED, 3),
    (A.FOLLOW_UP, "开业7天回访", [], OnboardingAnchor.OPENED, 7),
    (A.FOLLOW_UP, "开业30天回访", [], OnboardingAnchor.OPENED, 30),
    (A.FOLLOW_UP, "开业90天回访", [], OnboardingAnchor.OPENED, 90),
)
del A
DEFAULT_TEMPLATE_NAME = "四帮标准模板"


# -- the template --------------------------------------------------------------------------------


def default_template() -> OnboardingTemplate:
    """The default template, made from DEFAULT_TASKS the first time it is needed."""
    template = OnboardingTemplate.objects.filter(is_default=True).first()
    if template is not None:
        return template
    with transaction.atomic():
        template = OnboardingTemplate.objects.create(name=DEFAULT_TEMPLATE_NAME, is_default=True)
        OnboardingTemplateTask.objects.bulk_create(
            OnboardingTemplateTask(
                template=template,
                order=(i + 1) * 10,
                phase=phase,
                title=title,
                checklist=list(checklist),
                anchor=anchor,
                offset_days=days,
            )
            for i, (phase, title, checklist, anchor, days) in enumerate(DEFAULT_TASKS)
        )
    return template


# -- dates ------------------------------------------------------------------------------------


def station_dates(station: Station, history=None) -> dict[str, dt.date | None]:
    """The station's dates a task may count from, read from its status history: planned (its
    first 规划 or 勘察), construction start (its first 建设) and first opening."""
    if history is None:
        history = station.status_changes.order_by("date", "pk").values_list("status", "date")
    dates: dict[str, dt.date | None] = dict.fromkeys(OnboardingAnchor.values)
    keys = {
        StationStatus.PLANNED: OnboardingAnchor.PLANNED,
        StationStatus.SURVEYED: OnboardingAnchor.PLANNED,
        StationStatus.BUILDING: OnboardingAnchor.BUILDING,
        StationStatus.OPEN: OnboardingAnchor.OPENED,
    }
    for status, date in history:
        key = keys.get(status)
        if key is not None and dates[key] is None:
            dates[key] = date
    return dates


def due_date(anchor: str, offset_days: int, dates: dict[str, dt.date | None]) -> dt.date | None:
    """When a task is due: `offset_days` after the station's date, none while that date is not."""
    base = dates.get(anchor)
    return None if base is None else base + dt.timedelta(days=offset_days)


def station_manager_id(station: Station, day: dt.date) -> int | None:
    """The market manager the station is assigned to on `day` (or its latest one)."""
    assignments = StationAssignment.objects.filter(station=station)
    current = assignments.active_on(day).values_list("manager_id", flat=True).first()
    if current is not None:
        return current
    return assignments.order_by("-valid_from").values_list("manager_id", flat=True).first()


# -- plans ---------------------------------------------------------------------------------------


def create_plan(station: Station, template: OnboardingTemplate | None = None) -> OnboardingPlan:
    """The station's plan from the template (the default one), its tasks dated from the station's
    dates and given to its market manager."""
    template = template or default_template()
    dates = station_dates(station)
    manager_id = station_manager_id(station, timezone.localdate())
    with transaction.atomic():
        plan = OnboardingPlan.objects.create(station=station, template=template)
        OnboardingTask.objects.bulk_create(
            OnboardingTask(
                plan=plan,
                number=number,
                phase=t.phase,
                title=t.title,
                checklist=list(t.checklist),
                anchor=t.anchor,
                offset_days=t.offset_days,
                due_on=due_date(t.anchor, t.offset_days, dates),
                manager_id=manager_id,
            )
            for number, t in enumerate(template.tasks.order_by("order", "pk"), start=1)
        )
    return plan


def refresh_plan(plan: OnboardingPlan) -> int:
    """Recompute the plan's due dates from the station's dates (and give unassigned tasks to
    the station's market manager); the number of tasks changed."""
    station = plan.station
    dates = station_dates(station)
    manager_id = station_manager_id(station, timezone.localdate())
    changed = 0
    for task in plan.tasks.all():
        due = due_date(task.anchor, task.offset_days, dates)
        fields = []
        if task.due_on != due:
            task.due_on = due
            fields.append("due_on")
        if task.manager_id is None and task.assignee_id is None and manager_id is not None:
            task.manager_id = manager_id
            fields.append("manager")
        if fields:
            task.save(update_fields=[*fields, "updated"])
            changed += 1
    return changed


def create_missing_plans() -> int:
    """Plans for the stations now in 规划 or 勘察 that have none (those there before plans
    existed); how many were made."""
    stations = Station.objects.filter(
        status__in=ENTERS_ONBOARDING, onboarding_plan__isnull=True
    ).order_by("pk")
    made = 0
    for station in stations:
        create_plan(station)
        made += 1
    return made


@receiver(post_save, sender=StationStatusChange, dispatch_uid="network-onboarding-saved")
@receiver(post_delete, sender=StationStatusChange, dispatch_uid="network-onboarding-deleted")
def _status_changed(sender, instance: StationStatusChange, raw: bool = False, **kwargs) -> None:
    """Entering 规划/勘察 makes the plan; any change of the history re-dates it."""
    if raw:
        return
    station = Station.objects.filter(pk=instance.station_id).first()
    if station is None:
        return
    plan = OnboardingPlan.objects.filter(station=station).first()
    if plan is not None:
        refresh_plan(plan)
    elif kwargs.get("created") and instance.status in ENTERS_ONBOARDING:
        create_plan(station)


# -- the rule on opening ------------------------------------------------------------------------


def undone_survey(station: Station) -> OnboardingTask | None:
    """The station's survey task that is neither done nor skipped with a reason, if any."""
    return (
        OnboardingTask.objects.filter(plan__station=station, phase=OnboardingPhase.SURVEY)
        .filter(state=OnboardingTaskState.TODO)
        .order_by("number")
        .first()
    )


def opening_refusal(station: Station, status: str) -> str | None:
    """THE rule: why `station` may not become `status` now (None: it may). A station with a plan
    opens the first time only when its survey is done or was skipped with a recorded reason."""
    if status != StationStatus.OPEN or station.pk is None or station.opened_on is not None:
        return None
    task = undone_survey(station)
    if task is None:
        return None
    return _(
        "Station %(code)s cannot open: its 四帮 task “%(phase)s · %(title)s” is not done. "
        "Complete it, or record why the station opens without it."
    ) % {"code": station.code, "phase": task.get_phase_display(), "title": task.title}


def may_override(user, station: Station) -> bool:
    reach = grant_for(user).capability(OVERRIDE_ONBOARDING)
    return reach.includes_place(station.city_id, station.county_id)


def check_may_open(station: Station, status: str, user=None, override_reason: str = "") -> None:
    """Raise ValidationError naming the undone task unless the station may become `status`. An
    override reason, from someone with OVERRIDE_ONBOARDING there, skips the survey with it."""
    refusal = opening_refusal(station, status)
    if refusal is None:
        return
    reason = (override_reason or "").strip()
    if not reason:
        raise ValidationError(refusal, code="onboarding_survey_undone")
    if not may_override(user, station):
        raise ValidationError(
            _("Your role may not let a station open without its site survey."),
            code="onboarding_override_denied",
        )
    for task in OnboardingTask.objects.filter(
        plan__station=station, phase=OnboardingPhase.SURVEY, state=OnboardingTaskState.TODO
    ):
        skip_task(task, user, reason)


# -- overdue -------------------------------------------------------------------------------------


def overdue_q(as_of: dt.date | None = None) -> Q:
    """THE definition: a task is overdue on a day (the centre's today by default) when it was due
    before that day and was not done (or skipped with a reason) by then."""
    day = as_of or timezone.localdate()
    settled = Q(
        state__in=[OnboardingTaskState.DONE, OnboardingTaskState.SKIPPED], completed_on__lte=day
    )
    return Q(due_on__lt=day) & ~settled


def tasks_for(user) -> QuerySet:
    """The tasks `user` may see (None: the whole province, for commands)."""
    tasks = OnboardingTask.objects.all() if user is None else OnboardingTask.objects.restrict(user)
    return tasks.select_related(
        "plan__station__city", "plan__station__county", "manager", "assignee"
    )


def overdue_tasks(user, as_of: dt.date | None = None) -> QuerySet:
    return (
        tasks_for(user)
        .filter(overdue_q(as_of))
        .order_by(
            "plan__station__city__code", "manager__name", "assignee__username", "due_on", "pk"
        )
    )


def my_tasks(user) -> QuerySet:
    """The tasks given to `user`: as a user, or to the market-manager record they are."""
    grant = grant_for(user)
    mine = Q(assignee_id=user.pk) | Q(manager_id__in=sorted(grant.view.persons_of("manager")))
    return tasks_for(user).filter(mine)


@dataclass(frozen=True)
class OverdueGroup:
    city: str
    assignee: str
    count: int
    oldest_due: dt.date


def overdue_groups(tasks) -> list[OverdueGroup]:
    """Overdue tasks counted per city and assignee (in the order of `tasks`)."""
    groups: dict[tuple[str, str], list] = {}
    for task in tasks:
        key = (task.plan.station.city.name, task.assignee_name or str(_("Unassigned")))
        groups.setdefault(key, []).append(task.due_on)
    return [OverdueGroup(c, a, len(d), min(d)) for (c, a), d in groups.items()]


def overdue_record(task: OnboardingTask, as_of: dt.date) -> dict:
    station = task.plan.station
    return {
        "station": station.code,
        "station_name": station.name,
        "city": station.city.name,
        "county": station.county.name,
        "phase": task.phase,
        "task": task.title,
        "assignee": task.assignee_name,
        "due_on": task.due_on.isoformat(),
        "days_overdue": (as_of - task.due_on).days,
    }


def overdue_workbook(tasks, as_of: dt.date):
    from fucai.core.excel import DATE_FORMAT, TEXT_FORMAT, Column, table_workbook

    columns = [
        Column(_("City")),
        Column(_("Station code"), number_format=TEXT_FORMAT),
        Column(_("Station")),
        Column(_("Phase")),
        Column(_("Task")),
        Column(_("Assignee")),
        Column(_("Due on"), number_format=DATE_FORMAT),
        Column(_("Days overdue")),
    ]
    rows = [
        (
            t.plan.station.city.name,
            t.plan.station.code,
            t.plan.station.name,
            t.get_phase_display(),
            t.title,
            t.assignee_name or _("Unassigned"),
            t.due_on,
            (as_of - t.due_on).days,
        )
        for t in tasks
    ]
    return table_workbook(columns, rows, title=_("Overdue tasks"))


# -- completing a task --------------------------------------------------------------------------


def may_complete(user, task: OnboardingTask) -> bool:
    """Who may complete (or reopen) a task they see: its assignee, its market manager, or whoever
    may change the station."""
    grant = grant_for(user)
    if task.assignee_id is not None and task.assignee_id == getattr(user, "pk", None):
        return True
    if task.manager_id is not None and task.manager_id in grant.view.persons_of("manager"):
        return True
    return OnboardingTask.objects.restrict(user, CHANGE).filter(pk=task.pk).exists()


def check_may_complete(user, task: OnboardingTask) -> None:
    if not may_complete(user, task):
        raise PermissionDenied(_("This task is not yours to complete."))


def skip_task(task: OnboardingTask, user, reason: str) -> None:
    """Skip a task, recording why; skipping the survey needs OVERRIDE_ONBOARDING."""
    if task.is_survey and not may_override(user, task.plan.station):
        raise PermissionDenied(_("Your role may not let a station open without its site survey."))
    task.state = OnboardingTaskState.SKIPPED
    task.skip_reason = reason[:200]
    task.completed_on = timezone.localdate()
    task.completed_by = user if getattr(user, "pk", None) else None
    task.save()


def overdue_report(user, as_of: dt.date, city_code: str | None = None) -> dict:
    """The overdue tasks `user` sees (None: the province) as of a day, per city and assignee and
    one by one: what `fucai network onboarding --overdue` and the API give."""
    tasks = overdue_tasks(user, as_of)
    if city_code:
        tasks = tasks.filter(plan__station__city__code=city_code)
    tasks = list(tasks)
    return {
        "as_of": as_of.isoformat(),
        "count": len(tasks),
        "groups": [
            {
                "city": g.city,
                "assignee": g.assignee,
                "count": g.count,
                "oldest_due": g.oldest_due.isoformat(),
            }
            for g in overdue_groups(tasks)
        ],
        "tasks": [overdue_record(t, as_of) for t in tasks],
    }
