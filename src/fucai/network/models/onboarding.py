"""The 四帮 onboarding workflow: a template of tasks an administrator edits, and each new
station's plan made from it (fucai.network.onboarding creates, dates and checks plans)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.network.choices import (
    OnboardingAnchor,
    OnboardingPhase,
    OnboardingTaskState,
    SurveyRecommendation,
)

EDIT_ONBOARDING_TEMPLATE = "edit_onboarding_template"  # defined in fucai.accounts.grants


class OnboardingTemplate(models.Model):
    """The tasks every new station's onboarding plan starts with (one default template, edited
    by the provincial centre). A plan copies them, so a later edit changes only later plans."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    is_default = models.BooleanField(_("default template"), default=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(capability=EDIT_ONBOARDING_TEMPLATE)
    audit = AuditSpec()

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("onboarding template")
        verbose_name_plural = _("onboarding templates")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="onboarding_one_default_template",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OnboardingTemplateTask(models.Model):
    """One task of a template: its phase, what to do (with a checklist), and when it is due,
    as a number of days after one of the station's dates."""

    template = models.ForeignKey(
        OnboardingTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    phase = models.CharField(_("phase"), max_length=12, choices=OnboardingPhase.choices)
    title = models.CharField(_("title"), max_length=80)
    checklist = models.JSONField(_("checklist items"), default=list, blank=True)
    anchor = models.CharField(_("due after"), max_length=12, choices=OnboardingAnchor.choices)
    offset_days = models.SmallIntegerField(_("days after that date"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(capability=EDIT_ONBOARDING_TEMPLATE)
    audit = AuditSpec()

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("onboarding template task")
        verbose_name_plural = _("onboarding template tasks")

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.title}"


class OnboardingPlan(models.Model):
    """A station's 四帮 plan, made when it enters 规划 (or 勘察) from the default template."""

    station = models.OneToOneField(
        "network.Station",
        verbose_name=_("station"),
        on_delete=models.CASCADE,
        related_name="onboarding_plan",
    )
    template = models.ForeignKey(
        OnboardingTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="station__city", county="station__county", station="station")
    audit = AuditSpec()

    class Meta:
        ordering = ["station"]
        verbose_name = _("onboarding plan")
        verbose_name_plural = _("onboarding plans")

    def __str__(self) -> str:
        return str(_("四帮 plan of %(code)s") % {"code": self.station.code})


class OnboardingTask(models.Model):
    """One task of a station's plan: its phase, its assignee (a market manager, or any user such
    as a Party cadre), its due date (derived from the station's dates, kept up to date by
    fucai.network.onboarding), its state and what was found or done."""

    plan = models.ForeignKey(
        OnboardingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    phase = models.CharField(_("phase"), max_length=12, choices=OnboardingPhase.choices)
    title = models.CharField(_("title"), max_length=80)
    checklist = models.JSONField(_("checklist items"), default=list, blank=True)
    anchor = models.CharField(_("due after"), max_length=12, choices=OnboardingAnchor.choices)
    offset_days = models.SmallIntegerField(_("days after that date"), default=0)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    manager = models.ForeignKey(
        "network.MarketManager",
        verbose_name=_("market manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="onboarding_tasks",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="onboarding_tasks",
        help_text=_("A user such as a Party cadre; otherwise the market manager does it."),
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=OnboardingTaskState.choices,
        default=OnboardingTaskState.TODO,
    )
    notes = models.TextField(_("completion notes"), max_length=2000, blank=True)
    skip_reason = models.CharField(_("reason for skipping"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # the site survey (建站前)
    foot_traffic = models.PositiveIntegerField(
        _("foot traffic (people an hour)"), null=True, blank=True
    )
    nearby_welfare = models.PositiveSmallIntegerField(
        _("welfare-lottery stations within 500 m"), null=True, blank=True
    )
    nearby_sports = models.PositiveSmallIntegerField(
        _("sports-lottery stations within 500 m"), null=True, blank=True
    )
    rent_fen = models.PositiveBigIntegerField(_("monthly rent (fen)"), null=True, blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=SurveyRecommendation.choices, blank=True
    )
    # the layout (建站时): checklist item -> checked
    checklist_results = models.JSONField(_("checklist results"), default=dict, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    attachments = GenericRelation(
        "core.Attachment", content_type_field="owner_type", object_id_field="owner_id"
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(
        city="plan__station__city",
        county="plan__station__county",
        station="plan__station",
        persons={"manager": "manager"},
    )
    audit = AuditSpec()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("onboarding task")
        verbose_name_plural = _("onboarding tasks")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="onboarding_task_number")
        ]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self) -> str:
        return f"{self.plan.station.code} {self.get_phase_display()} {self.title}"

    @property
    def is_survey(self) -> bool:
        return self.phase == OnboardingPhase.SURVEY

    @property
    def assignee_name(self) -> str:
        if self.assignee_id:
            return self.assignee.get_full_name() or self.assignee.username
        return self.manager.name if self.manager_id else ""
