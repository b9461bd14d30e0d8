"""Party branches (党支部), their Party groups (党小组) and members.

Every row is governed by the Party-affairs capability (`party_affairs`, fucai.accounts.grants):
Party affairs of a city see their city's branch, the province's see every branch; nobody else
sees a branch's members by any path. Members' names, phones and ID numbers are personal data."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.grant import PARTY_AFFAIRS  # fucai.accounts.grants gives it
from fucai.core.personal import ID_NUMBER, NAME, PHONE, PersonalField, mask
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.party.choices import MemberLeaving, MemberRole


class Branch(models.Model):
    """A Party branch: the provincial centre's (no city) or a city agency's."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    city = models.OneToOneField(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_branch",
        limit_choices_to={"level": "prefecture"},
        help_text=_("Empty for the provincial centre's branch."),
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["code"]
        verbose_name = _("Party branch")
        verbose_name_plural = _("Party branches")

    def __str__(self) -> str:
        return self.name


class PartyGroup(models.Model):
    """A Party group (党小组) of a branch."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("Party branch"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=80)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["branch__code", "name"]
        verbose_name = _("Party group")
        verbose_name_plural = _("Party groups")
        constraints = [
            models.UniqueConstraint(fields=["branch", "name"], name="party_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(RestrictedQuerySet):
    """Members, and the one rule of who is on a branch's roll on a day."""

    def on_roll(self, day: dt.date | None = None):
        """Members on the roll on `day` (default today): joined by then and not yet left."""
        day = day or timezone.localdate()
        return self.filter(joined_on__lte=day).exclude(left_on__lte=day)


class Member(models.Model):
    """A Party member of a branch: role, joining date, group, the user account of a cadre
    who has one, and, once they leave the roll (transferred out, deceased…), the day and the
    reason; a member who left keeps their history (meetings attended, pairings)."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("Party branch"), on_delete=models.PROTECT, related_name="members"
    )
    group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("Party group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    name = PersonalField(_("name"), kind=NAME.name, max_length=40)
    phone = PersonalField(_("phone"), kind=PHONE.name, max_length=20, blank=True)
    id_number = PersonalField(_("ID number"), kind=ID_NUMBER.name, max_length=18, blank=True)
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_on = models.DateField(_("joined the Party on"))
    is_cadre = models.BooleanField(_("cadre"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_member",
    )
    left_on = models.DateField(_("left the branch on"), null=True, blank=True)
    left_reason = models.CharField(
        _("reason for leaving"), max_length=16, choices=MemberLeaving.choices, blank=True
    )

    objects = MemberQuerySet.as_manager()
    scope_paths = ScopePaths(branch="branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["branch__code", "pk"]
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")

    def __str__(self) -> str:
        return mask(self.name, NAME)  # audit rows and choice lists: the surname only
