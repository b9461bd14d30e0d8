from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.accounts.choices import ROLE_ANCHOR, Role
from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths


class RoleAssignment(models.Model):
    """One role a person holds, with its anchor: a city agency's city (or one county of it), a
    market manager's or station owner's record; Party affairs and user administrators of a city
    or, without one, of the province. A person may hold several: their grant is the union
    (fucai.accounts.grants). Assigned by user administrators within what they hold."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "prefecture"},
        help_text=_("City agency, Party affairs, user administrator: the city (empty: province)."),
    )
    county = models.ForeignKey(
        "geo.Division",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        help_text=_("City agency only: limit the role to one county of the city."),
    )
    market_manager = models.ForeignKey(
        "network.MarketManager",
        verbose_name=_("market manager"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    station_owner = models.ForeignKey(
        "network.StationOwner",
        verbose_name=_("station owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="user__city", capability="manage_users")
    audit = AuditSpec()

    class Meta:
        ordering = ["user", "role", "pk"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        anchor = self.county or self.city or self.market_manager or self.station_owner
        role = self.get_role_display()
        return f"{role} · {anchor}" if anchor else str(role)

    def clean(self) -> None:
        super().clean()
        needed = ROLE_ANCHOR.get(self.role, "")
        if needed and getattr(self, f"{needed}_id") is None:
            raise ValidationError({needed: _("This role needs it.")})
        if self.county_id and self.role != Role.CITY:
            raise ValidationError({"county": _("Only a city-agency role is limited to a county.")})
        if self.county_id and self.city_id and self.county.parent_id != self.city_id:
            raise ValidationError({"county": _("The county is not in the city.")})
