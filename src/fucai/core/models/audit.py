from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.choices import ChangeAction
from fucai.core.scope import RestrictedQuerySet, ScopePaths


class ObjectChange(models.Model):
    """One create, change or delete of master data: who, when, which object and, field by field,
    the value before and after. Written by signals (fucai.core.audit), never by views."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    user_name = models.CharField(
        _("user name"), max_length=150, blank=True, help_text=_("Kept if the user is deleted.")
    )
    source = models.CharField(
        _("source"), max_length=40, blank=True, help_text=_("web, api, import, command…")
    )
    action = models.CharField(_("action"), max_length=8, choices=ChangeAction.choices)
    object_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The city the object belongs to, for scope."),
    )
    station = models.ForeignKey(
        "network.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        help_text=_("The station the object belongs to, for scope."),
    )
    changes = models.JSONField(_("changes"), default=dict, help_text=_("{field: [before, after]}"))

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", station="station", content_type="object_type")

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"
