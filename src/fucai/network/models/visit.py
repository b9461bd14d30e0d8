from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.network.choices import VisitPurpose


class FieldVisit(models.Model):
    """A market manager's or Party cadre's visit to a station (走访), logged on a phone: what was
    found, the sales advice given, the next step. The phone's position is kept with its accuracy
    and the distance to the station computed on the server (fucai.network.visits); a visit far
    from its station is flagged, never refused. The phone makes up the idempotency key, so a visit
    queued offline and sent twice is stored once."""

    station = models.ForeignKey(
        "network.Station",
        verbose_name=_("station"),
        on_delete=models.CASCADE,
        related_name="visits",
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="field_visits",
    )
    manager = models.ForeignKey(
        "network.MarketManager",
        verbose_name=_("market manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    visitor_name = models.CharField(_("visitor name"), max_length=60, blank=True)
    visited_on = models.DateField(_("visited on"))
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=VisitPurpose.choices, default=VisitPurpose.ROUTINE
    )
    findings = models.TextField(_("findings"), blank=True, max_length=4000)
    advice = models.TextField(_("sales advice"), blank=True, max_length=4000)
    next_step = models.TextField(_("next step"), blank=True, max_length=2000)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    lon = models.DecimalField(
        _("phone longitude (WGS-84)"), max_digits=10, decimal_places=6, null=True, blank=True
    )
    lat = models.DecimalField(
        _("phone latitude (WGS-84)"), max_digits=10, decimal_places=6, null=True, blank=True
    )
    accuracy_m = models.PositiveIntegerField(_("position accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(
        _("distance to the station (m)"), null=True, blank=True
    )
    is_far = models.BooleanField(_("far from the station"), default=False)
    idempotency_key = models.UUIDField(_("idempotency key"), unique=True, default=uuid.uuid4)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # its photos (fucai.core.attachments) go with it
    attachments = GenericRelation(
        "core.Attachment", content_type_field="owner_type", object_id_field="owner_id"
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(
        city="station__city",
        county="station__county",
        station="station",
        persons={"manager": "manager"},
    )
    # the key says nothing to a reader of the trail (and is not JSON)
    audit = AuditSpec(ignored=frozenset({"idempotency_key"}))

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        indexes = [
            models.Index(fields=["station", "visited_on"]),
            models.Index(fields=["manager", "visited_on"]),
            models.Index(fields=["visitor", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.station_id} {self.visitor_name}"
