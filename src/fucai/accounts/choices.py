from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user is in the lottery centre; decides which rows they see (see fucai.core.scope)."""

    PROVINCE = "province", _("Provincial centre")
    CITY = "city", _("City agency")
    MANAGER = "manager", _("Market manager")
    OWNER = "owner", _("Station owner")
    PARTY = "party", _("Party affairs")


# Roles that may create, change and delete master data within their scope.
EDITOR_ROLES = frozenset({Role.PROVINCE, Role.CITY})
