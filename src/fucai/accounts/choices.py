from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person is in the lottery centre. A user holds any number of role assignments
    (fucai.accounts.models.RoleAssignment); fucai.accounts.grants turns them into one grant."""

    PROVINCE = "province", _("Provincial centre")
    CITY = "city", _("City agency")
    ADMIN = "admin", _("User administrator")
    MANAGER = "manager", _("Market manager")
    OWNER = "owner", _("Station owner")
    PARTY = "party", _("Party affairs")
    WELFARE = "welfare", _("Welfare affairs")


# What each role is anchored to: the assignment's field that must be set ("" = nothing; the
# city is optional for Party affairs, welfare affairs and user administrators: none means the
# whole province).
ROLE_ANCHOR = {
    Role.PROVINCE: "",
    Role.CITY: "city",
    Role.ADMIN: "",
    Role.MANAGER: "market_manager",
    Role.OWNER: "station_owner",
    Role.PARTY: "",
    Role.WELFARE: "",
}


# The anchor fields each role may carry; the others are cleared when an assignment is made.
ROLE_FIELDS = {
    Role.PROVINCE: (),
    Role.CITY: ("city", "county"),
    Role.ADMIN: ("city",),
    Role.MANAGER: ("market_manager",),
    Role.OWNER: ("station_owner",),
    Role.PARTY: ("city",),
    Role.WELFARE: ("city",),
}
