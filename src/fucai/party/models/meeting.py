"""Organisational life (三会一课, 主题党日) and the rules it is checked against.

A `Meeting` is one 支部党员大会, 支委会, 党小组会, 党课 or 主题党日 of a branch: its date, topic,
who chaired or lectured, who attended, who was absent and why, the minutes and attachments
(fucai.core.attachments). One recorded more than `LATE_DAYS` after it was held carries the
reason. A `ComplianceRule` says how many of a kind a branch holds per period, citing its source;
a rule with a branch overrides the province's (no branch) for that branch."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.party.choices import MeetingType, RulePeriod
from fucai.party.models.branch import PARTY_AFFAIRS, Branch, Member, PartyGroup

LATE_DAYS = 7  # recorded later than this after the meeting: a reason is required


class Meeting(models.Model):
    """One meeting or activity of a branch's organisational life."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("Party branch"), on_delete=models.PROTECT, related_name="meetings"
    )
    meeting_type = models.CharField(_("type"), max_length=16, choices=MeetingType.choices)
    group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("Party group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("For a Party group meeting: which group."),
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    led_by = models.ForeignKey(
        Member,
        verbose_name=_("chaired or lectured by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings_led",
    )
    attendees = models.ManyToManyField(
        Member, verbose_name=_("attendees"), blank=True, related_name="meetings_attended"
    )
    minutes = models.TextField(_("minutes"), blank=True)
    entered_on = models.DateField(_("entered on"), default=timezone.localdate)
    late_reason = models.CharField(
        _("reason for late entry"),
        max_length=200,
        blank=True,
        help_text=_("Required when the record is entered more than 7 days after the meeting."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attachments = GenericRelation(
        "core.Attachment", content_type_field="owner_type", object_id_field="owner_id"
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["branch", "meeting_type", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_meeting_type_display()} {self.topic}"

    @property
    def is_late(self) -> bool:
        return bool(self.entered_on and (self.entered_on - self.held_on).days > LATE_DAYS)

    def clean(self) -> None:
        if self.entered_on and self.held_on and self.entered_on < self.held_on:
            raise ValidationError({"held_on": _("A meeting cannot be held after it is entered.")})
        if self.is_late and not self.late_reason.strip():
            raise ValidationError(
                {"late_reason": _("Say why the meeting is recorded after the fact.")}
            )


class Absence(models.Model):
    """A member absent from a meeting, and why."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="absences"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="absences"
    )
    reason = models.CharField(_("reason"), max_length=200)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="meeting__branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="absence_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.reason}"


class ComplianceRule(models.Model):
    """How many meetings of a type a branch holds per period (rules are data: a province may
    tighten them, and a branch row overrides the province's for that branch)."""

    meeting_type = models.CharField(_("type"), max_length=16, choices=MeetingType.choices)
    period = models.CharField(_("period"), max_length=8, choices=RulePeriod.choices)
    required = models.PositiveSmallIntegerField(_("required per period"), default=1)
    source = models.CharField(_("source"), max_length=200)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("Party branch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
        help_text=_("Empty: the province's rule for every branch."),
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["meeting_type"]
        verbose_name = _("compliance rule")
        verbose_name_plural = _("compliance rules")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_type", "branch"], name="compliance_rule_unique_branch"
            ),
            models.UniqueConstraint(
                fields=["meeting_type"],
                condition=models.Q(branch=None),
                name="compliance_rule_unique_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()}: {self.required}/{self.get_period_display()}"
