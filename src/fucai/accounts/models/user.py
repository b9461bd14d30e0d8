from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.grant import EDIT_MASTER_DATA, Grant, grant_for
from fucai.core.scope import RestrictedQuerySet, ScopePaths


class FucaiUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    """Django's user manager with `restrict()`: user administrators see the accounts of their
    city (or of the province)."""


class User(AbstractUser):
    """A person who logs in to fucai. The account belongs to an agency (a city's, or the
    provincial centre's when `city` is empty); what the person sees and does comes from their
    role assignments (fucai.accounts.models.RoleAssignment), turned into one grant."""

    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "prefecture"},
        help_text=_(
            "The city agency the account belongs to (empty: the provincial centre). A city's "
            "user administrators manage its accounts."
        ),
    )

    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an administrator gives a temporary password; cleared on change."),
    )

    objects = FucaiUserManager()
    scope_paths = ScopePaths(city="city", capability="manage_users")
    audit = AuditSpec()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """The name as its language writes it: a Chinese name family name first, unspaced
        (宋亮涛); a Latin one "First Last"."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if _is_cjk(first + last):
            return f"{last}{first}"
        return " ".join(part for part in (first, last) if part)

    @property
    def grant(self) -> Grant:
        """What this person may see and change (computed once per user object)."""
        return grant_for(self)

    @property
    def is_provincial(self) -> bool:
        """Sees the whole province."""
        return self.grant.sees_everything

    @property
    def can_edit_master_data(self) -> bool:
        return self.grant.can(EDIT_MASTER_DATA)

    @property
    def scope_label(self) -> str:
        return self.grant.label

    @property
    def roles_label(self) -> str:
        return "、".join(self.grant.roles)


def _is_cjk(text: str) -> bool:
    """Any character of the CJK unified ideographs (a Chinese name)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
