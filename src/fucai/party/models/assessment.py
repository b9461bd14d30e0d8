"""The 四强 self-assessment of a branch (政治功能强、支部班子强、党员队伍强、作用发挥强).

A `Checklist` is the province's list of `ChecklistItem`s — data, seeded by migration
`party/0003_assessment` and changed as the province revises it: each item has a dimension, its
text, the points it is worth, the evidence it needs and, where the records can tell, which
organisational life it is checked against (fucai.party.compliance). An `Assessment` is one
branch's year against a checklist; an `AssessmentAnswer` per item holds the points awarded, a
note and the evidence: meetings of that branch, and attachments (fucai.core.attachments).
The score, the maximum and what is missing are computed by fucai.party.assessment."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.party.choices import AutoCheck, Dimension
from fucai.party.models.branch import PARTY_AFFAIRS, Branch
from fucai.party.models.meeting import Meeting

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years an assessment may be of (as the compliance form)


class Checklist(models.Model):
    """The province's 四强 checklist, used for the years from `valid_from` until a later one."""

    name = models.CharField(_("name"), max_length=120)
    valid_from = models.PositiveSmallIntegerField(
        _("valid from (year)"),
        unique=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    # the province's, of no branch: through restrict() only the province's Party affairs reach
    # it (as the province's compliance rules); the assessment pages read it as they read rules
    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("四强 checklist")
        verbose_name_plural = _("四强 checklists")

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from})"

    @property
    def max_points(self) -> int:
        return sum(item.points for item in self.items.all())


class ChecklistItem(models.Model):
    """One item of a checklist: what is assessed, its points and the evidence it needs."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("item"), max_length=200)
    points = models.PositiveSmallIntegerField(
        _("points"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    evidence = models.CharField(
        _("evidence needed"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the item needs no evidence."),
    )
    auto_check = models.CharField(
        _("checked against"),
        max_length=16,
        choices=AutoCheck.choices,
        blank=True,
        default=AutoCheck.NONE,
        help_text=_("The organisational life whose compliance suggests the points."),
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(capability=PARTY_AFFAIRS)  # as its checklist
    audit = AuditSpec()

    class Meta:
        ordering = ["checklist", "order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.order}. {self.text}"


class Assessment(models.Model):
    """A branch's 四强 self-assessment of one year, against a checklist."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("Party branch"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    checklist = models.ForeignKey(
        Checklist,
        verbose_name=_("checklist"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessed_on = models.DateField(
        _("assessed on"), help_text=_("The records are checked up to this day.")
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["-year", "branch__code"]
        verbose_name = _("四强 assessment")
        verbose_name_plural = _("四强 assessments")
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="assessment_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}"


class AssessmentAnswer(models.Model):
    """The answer of an assessment to one checklist item: points awarded, a note, evidence."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers"
    )
    points = models.PositiveSmallIntegerField(
        _("points awarded"), null=True, blank=True, help_text=_("Empty: not scored yet.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    meetings = models.ManyToManyField(
        Meeting, verbose_name=_("meetings as evidence"), blank=True, related_name="+"
    )
    attachments = GenericRelation(
        "core.Attachment", content_type_field="owner_type", object_id_field="owner_id"
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="assessment__branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["assessment", "item__order", "item__pk"]
        verbose_name = _("assessment answer")
        verbose_name_plural = _("assessment answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="answer_unique_item")
        ]

    def __str__(self) -> str:
        points = "—" if self.points is None else self.points
        return f"{self.item.text}: {points}/{self.item.points}"
