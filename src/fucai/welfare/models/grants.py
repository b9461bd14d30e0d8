"""公益金 projects, the households they help and their grants (issue 12, points 2–4).

Every row is governed by the welfare-affairs capability (`welfare_affairs`, given in
fucai.accounts.grants): a city's welfare officers see their city's rows, the province's welfare
office every city's; nobody else (not an editor, not a market manager) sees a household or a
grant by any path, and the audit rows about them follow the same capability. A household's
name, ID number, phone, address and circumstances are personal data (encrypted at rest, masked
everywhere; unmasked only with `see_beneficiaries` for the household's city, each view
audited). The rules of a grant's steps live in fucai.welfare.workflow, the only writer of the
steps, statuses and money columns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.grant import WELFARE_AFFAIRS  # fucai.accounts.grants gives it
from fucai.core.personal import (
    ADDRESS,
    ID_NUMBER,
    NAME,
    PHONE,
    TEXT,
    BlindIndexField,
    PersonalField,
    mask,
)
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.welfare.choices import (
    GrantStatus,
    GrantStepKind,
    ObjectionOutcome,
    ProjectKind,
    ProjectStatus,
    RecipientKind,
)

CITY = {"level": "prefecture"}


class Project(models.Model):
    """A 公益金 project of a city: what it buys or whom it helps, its budget and source year."""

    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="welfare_projects",
        limit_choices_to=CITY,
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    village = models.CharField(
        _("village or community"),
        max_length=60,
        blank=True,
        help_text=_("Where the project is carried out (empty: across the city)."),
    )
    budget_fen = models.BigIntegerField(_("budget (fen)"))
    source_year = models.PositiveSmallIntegerField(
        _("source year"), help_text=_("The year of the welfare fund the budget comes from.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.OPEN
    )
    description = models.TextField(_("description"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", capability=WELFARE_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["city__code", "-source_year", "name"]
        verbose_name = _("welfare project")
        verbose_name_plural = _("welfare projects")

    def __str__(self) -> str:
        return self.name


class StepRecord(models.Model):
    """What every recorded step of a workflow carries: the day, who, a note and when it was
    recorded (abstract; fucai.welfare.workflow writes the rows)."""

    on = models.DateField(_("on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by whom"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class ProjectStep(StepRecord):
    """One move of a project through its lifecycle (its creation too: from nothing): who, on
    which day (and when it was recorded), a note. Written by fucai.welfare.workflow only."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="steps"
    )
    from_status = models.CharField(
        _("from status"), max_length=10, choices=ProjectStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=10, choices=ProjectStatus.choices)

    scope_paths = ScopePaths(city="project__city", capability=WELFARE_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["project", "on", "pk"]
        verbose_name = _("project step")
        verbose_name_plural = _("project steps")

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} {self.on:%Y-%m-%d}"


class OverrideRecord(models.Model):
    """What every allowed exception to a budget carries: who allowed it, why, and when it was
    recorded (abstract)."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by whom"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class ProjectBudgetOverride(OverrideRecord):
    """A project's budget lowered below what its grants already committed and paid: who allowed
    it, why, and by how much the grants then exceed the budget."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="budget_overrides",
    )
    budget_before_fen = models.BigIntegerField(_("budget before (fen)"))
    budget_after_fen = models.BigIntegerField(_("budget after (fen)"))
    over_fen = models.BigIntegerField(_("committed and paid over the budget by (fen)"))

    scope_paths = ScopePaths(city="project__city", capability=WELFARE_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["project", "recorded_at", "pk"]
        verbose_name = _("project budget override")
        verbose_name_plural = _("project budget overrides")

    def __str__(self) -> str:
        return f"{_('Budget override')} {self.project_id}"


class Household(models.Model):
    """A household helped (or applying for help): every detail of the person is personal data;
    only the village or community (which a public notice names) is not."""

    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="welfare_households",
        limit_choices_to=CITY,
    )
    county = models.ForeignKey(
        "geo.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    village = models.CharField(_("village or community"), max_length=60)
    name = PersonalField(_("head of household"), kind=NAME.name)
    id_number = PersonalField(_("ID number"), kind=ID_NUMBER.name)
    id_index = BlindIndexField(source="id_number")
    phone = PersonalField(_("phone"), kind=PHONE.name, blank=True)
    address = PersonalField(_("address"), kind=ADDRESS.name, blank=True)
    circumstances = PersonalField(_("circumstances"), kind=TEXT.name, blank=True)
    members = models.PositiveSmallIntegerField(_("household members"), default=1)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", capability=WELFARE_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["city__code", "pk"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return mask(self.name, NAME)  # audit rows and choice lists: the surname only


class Notice(models.Model):
    """A public notice (公示) of a batch of approved grants: its period, where to object."""

    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="welfare_notices",
        limit_choices_to=CITY,
    )
    title = models.CharField(_("title"), max_length=160)
    starts_on = models.DateField(_("notice starts on"))
    ends_on = models.DateField(_("notice ends on"))
    contact = models.CharField(
        _("contact for objections"),
        max_length=160,
        help_text=_("The office and telephone where objections are received."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", capability=WELFARE_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")

    def __str__(self) -> str:
        return self.title


class Grant(models.Model):
    """A grant of a project to a household or an organisation; its status, dates and amounts are
    written by fucai.welfare.workflow only, each step also a GrantStep row."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="grants"
    )
    recipient_kind = models.CharField(_("recipient"), max_length=12, choices=RecipientKind.choices)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="grants",
        null=True,
        blank=True,
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=120,
        blank=True,
        help_text=_("An elderly-care centre, a community: named in full (no personal data)."),
    )
    village = models.CharField(_("village or community"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    status = models.CharField(
        _("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.APPLIED
    )
    applied_on = models.DateField(_("applied on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_fen = models.BigIntegerField(_("paid (fen)"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    duplicate_elsewhere = models.BooleanField(
        _("same ID number applied this year in another city"), default=False
    )
    duplicate_in_city = models.BooleanField(
        _("the same household applied this year in this city already"), default=False
    )
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("public notice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grants",
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="project__city", capability=WELFARE_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        indexes = [models.Index(fields=["status", "paid_on"], name="welfare_grant_paid")]

    def __str__(self) -> str:
        return f"{_('Grant')} {self.pk or ''}".strip()  # never the household's name

    @property
    def amount_yuan(self):
        from fucai.welfare.workflow import yuan

        return yuan(self.amount_fen)


class GrantStep(StepRecord):
    """One step of a grant: who did it, on which day (and when it was recorded), a note."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=12, choices=GrantStepKind.choices)

    scope_paths = ScopePaths(city="grant__project__city", capability=WELFARE_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["grant", "on", "pk"]
        verbose_name = _("grant step")
        verbose_name_plural = _("grant steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class BudgetOverride(OverrideRecord):
    """An approval that took a project over its budget: who allowed it and why."""

    grant = models.OneToOneField(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        related_name="budget_override",
    )
    over_fen = models.BigIntegerField(_("over the budget by (fen)"))

    scope_paths = ScopePaths(city="grant__project__city", capability=WELFARE_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        verbose_name = _("budget override")
        verbose_name_plural = _("budget overrides")

    def __str__(self) -> str:
        return f"{_('Budget override')} {self.grant_id}"


class Objection(models.Model):
    """An objection to a noticed grant, received during the notice period, and its resolution."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="objections"
    )
    objector = PersonalField(_("objector"), kind=NAME.name, blank=True)
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("objection"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ObjectionOutcome.choices, blank=True
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="grant__project__city", capability=WELFARE_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{_('Objection')} {self.received_on:%Y-%m-%d}"
