"""福彩公益行 activities and publicity placements, and the services of 福彩公益驿站."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.welfare.choices import ActivityKind, PostService


class WelfareActivity(models.Model):
    """One 福彩公益行 activity or publicity placement (宣传栏, 条幅, a community event…): where,
    when, how many people it reached, with photos (fucai.core.attachments). Seen by whoever
    sees its city (or county); recorded by welfare officers and editors where they may act."""

    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=120)
    city = models.ForeignKey(
        "geo.Division",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "prefecture"},
        verbose_name=_("city"),
    )
    county = models.ForeignKey(
        "geo.Division",
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"level": "county"},
        verbose_name=_("county"),
    )
    address = models.CharField(_("address"), max_length=200)
    lon = models.DecimalField(
        _("longitude (GCJ-02)"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    lat = models.DecimalField(
        _("latitude (GCJ-02)"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    held_on = models.DateField(_("date"))
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # its photos (fucai.core.attachments) go with it
    attachments = GenericRelation(
        "core.Attachment", content_type_field="owner_type", object_id_field="owner_id"
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", county="county")
    audit = AuditSpec()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("welfare activity")
        verbose_name_plural = _("welfare activities")

    def __str__(self) -> str:
        return f"{self.held_on.isoformat()} {self.title}"


class WelfarePost(models.Model):
    """The services a 福彩公益驿站 (a station whose scene is `welfare_post`) offers, and a note
    on when they are open; changed by whoever may change the station."""

    station = models.OneToOneField(
        "network.Station",
        models.CASCADE,
        related_name="welfare_post",
        verbose_name=_("station"),
    )
    services = models.JSONField(
        _("services"), default=list, blank=True, help_text=_("Codes of PostService.")
    )
    opening_note = models.CharField(_("opening note"), max_length=200, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="station__city", county="station__county", station="station")
    audit = AuditSpec()

    class Meta:
        ordering = ["station__code"]
        verbose_name = _("welfare post")
        verbose_name_plural = _("welfare posts")

    def __str__(self) -> str:
        return str(self.station_id)

    @property
    def service_labels(self) -> list[str]:
        labels = dict(PostService.choices)
        return [str(labels[s]) for s in self.services if s in labels]
