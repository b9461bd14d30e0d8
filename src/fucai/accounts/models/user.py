from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.accounts.choices import EDITOR_ROLES, Role


class User(AbstractUser):
    """A person who logs in to fucai. The role and its anchor (city, market manager or station
    owner) decide the scope of everything the user sees: pages, API and exports."""

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PROVINCE)
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "prefecture"},
        help_text=_("For city-agency users (and city Party users): the one city they see."),
    )
    market_manager = models.OneToOneField(
        "network.MarketManager",
        verbose_name=_("market manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    station_owner = models.OneToOneField(
        "network.StationOwner",
        verbose_name=_("station owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        required = {Role.CITY: "city", Role.MANAGER: "market_manager", Role.OWNER: "station_owner"}
        field = required.get(self.role)
        if field and getattr(self, f"{field}_id") is None:
            raise ValidationError({field: _("This role needs it.")})

    @property
    def is_provincial(self) -> bool:
        return self.is_superuser or self.role == Role.PROVINCE

    @property
    def can_edit_master_data(self) -> bool:
        return self.is_superuser or self.role in EDITOR_ROLES

    @property
    def scope_label(self) -> str:
        if self.is_provincial:
            return str(_("Whole province"))
        if self.role == Role.CITY or (self.role == Role.PARTY and self.city_id):
            return str(self.city)
        if self.role == Role.MANAGER and self.market_manager_id:
            return str(self.market_manager)
        if self.role == Role.OWNER and self.station_owner_id:
            return str(self.station_owner)
        return str(_("Whole province")) if self.role == Role.PARTY else str(_("Nothing"))
