"""Leads (布点机会), spacing rules and the point layers they name (issue 9, item 2).

A lead is a prospect for a new station: a poster's answer, a walk-in, a cadre's area walk. It moves
through dated status rows (LeadStatusChange) and, once approved, is converted into a Station that
it links to, keeping its history. Spacing rules are data (SpacingRule); the one check is
fucai.network.spacing.check_site."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.grant import EDIT_SPACING_RULES
from fucai.core.personal import NAME, PHONE, PersonalField, mask
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.network.choices import (
    OPEN_LEAD_STATUSES,
    LeadSource,
    LeadStatus,
    SpacingTarget,
    StationOperation,
    StationScene,
)


class PointLayer(models.Model):
    """A named set of points a spacing rule may keep sites away from (schools, hospitals, …),
    imported from CSV or GeoJSON (`fucai network import-layer`). Province-wide reference data."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made up for the demo, not real places.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(capability=EDIT_SPACING_RULES)
    audit = AuditSpec()

    class Meta:
        ordering = ["name"]
        verbose_name = _("point layer")
        verbose_name_plural = _("point layers")

    def __str__(self) -> str:
        return self.name


class LayerPoint(models.Model):
    """One point of a layer (a school), GCJ-02 like the stations."""

    layer = models.ForeignKey(
        PointLayer, verbose_name=_("layer"), on_delete=models.CASCADE, related_name="points"
    )
    name = models.CharField(_("name"), max_length=100)
    lon = models.DecimalField(_("longitude (GCJ-02)"), max_digits=9, decimal_places=6)
    lat = models.DecimalField(_("latitude (GCJ-02)"), max_digits=9, decimal_places=6)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(capability=EDIT_SPACING_RULES)

    class Meta:
        ordering = ["layer", "name", "pk"]
        verbose_name = _("layer point")
        verbose_name_plural = _("layer points")
        indexes = [models.Index(fields=["layer", "lon", "lat"])]

    def __str__(self) -> str:
        return f"{self.layer.name}: {self.name}"


class SpacingRule(models.Model):
    """How far a new 专营 or 兼营 site must stay from stations of an operation or from a point
    layer. A rule with a city applies there instead of the province-wide rule of the same name."""

    name = models.CharField(
        _("name"), max_length=60, help_text=_("Rules of the same name: the city's one wins.")
    )
    applies_to = models.CharField(_("applies to"), max_length=12, choices=StationOperation.choices)
    target = models.CharField(_("keep away from"), max_length=12, choices=SpacingTarget.choices)
    target_operation = models.CharField(
        _("stations of operation"),
        max_length=12,
        choices=StationOperation.choices,
        blank=True,
        help_text=_("With stations: their operation (empty: all stations)."),
    )
    layer = models.ForeignKey(
        PointLayer,
        verbose_name=_("point layer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
    )
    min_m = models.PositiveIntegerField(_("minimum distance (m)"))
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city override"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="spacing_rules",
        limit_choices_to={"level": "prefecture"},
    )
    active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(capability=EDIT_SPACING_RULES)
    audit = AuditSpec()

    class Meta:
        ordering = ["name", "city__code"]
        verbose_name = _("spacing rule")
        verbose_name_plural = _("spacing rules")
        constraints = [
            models.UniqueConstraint(fields=["name", "city"], name="spacing_rule_unique_name_city"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(city=None), name="spacing_rule_unique_province"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def target_label(self) -> str:
        if self.target == SpacingTarget.LAYER:
            return self.layer.name if self.layer_id else ""
        if self.target_operation:
            return str(StationOperation(self.target_operation).label) + str(_("stations"))
        return str(_("stations"))


class LeadQuerySet(RestrictedQuerySet):
    def with_status_on(self, day) -> LeadQuerySet:
        """Annotate `status_on`: the lead's status at the end of `day` (its latest dated change
        on or before it; new before any)."""
        latest = (
            LeadStatusChange.objects.filter(lead=models.OuterRef("pk"), date__lte=day)
            .order_by("-date", "-pk")
            .values("status")[:1]
        )
        status = Coalesce(models.Subquery(latest), models.Value(LeadStatus.NEW))
        return self.annotate(status_on=status)

    def open_on(self, day) -> LeadQuerySet:
        """The leads received by `day` and still in the pipeline at its end."""
        received = self.filter(received_on__lte=day).with_status_on(day)
        return received.filter(status_on__in=OPEN_LEAD_STATUSES)


class Lead(models.Model):
    """A prospect for a new station (布点机会): who, where (GCJ-02), which scene and operation,
    where it came from and how far it got. Converted, it links to the station it became."""

    contact_name = PersonalField(_("contact name"), kind=NAME.name, max_length=40)
    contact_phone = PersonalField(_("contact phone"), kind=PHONE.name, max_length=20, blank=True)
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="city_leads",
        limit_choices_to={"level": "prefecture"},
        editable=False,
    )
    county = models.ForeignKey(
        "geo.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="leads",
        limit_choices_to={"level": "county"},
    )
    address = models.CharField(_("address"), max_length=200)
    lon = models.DecimalField(_("longitude (GCJ-02)"), max_digits=9, decimal_places=6)
    lat = models.DecimalField(_("latitude (GCJ-02)"), max_digits=9, decimal_places=6)
    scene = models.CharField(_("intended scene"), max_length=24, choices=StationScene.choices)
    operation = models.CharField(_("operation"), max_length=12, choices=StationOperation.choices)
    source = models.CharField(_("source"), max_length=12, choices=LeadSource.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=LeadStatus.choices,
        default=LeadStatus.NEW,
        editable=False,
        help_text=_("Kept equal to the latest status change."),
    )
    received_on = models.DateField(_("received on"))
    rejection_reason = models.CharField(_("rejection reason"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    spacing_override = models.CharField(
        _("spacing override reason"),
        max_length=200,
        blank=True,
        help_text=_("Why the lead was recorded despite a spacing rule."),
    )
    station = models.OneToOneField(
        "network.Station",
        verbose_name=_("station"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = LeadQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", county="county", station="station")
    audit = AuditSpec()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [models.Index(fields=["city", "status"])]

    def __str__(self) -> str:
        return f"{self.pk} {self.address}"

    @property
    def contact_name_masked(self) -> str:
        return mask(self.contact_name, NAME)

    @property
    def contact_phone_masked(self) -> str:
        return mask(self.contact_phone, PHONE)

    def save(self, *args, **kwargs) -> None:
        if self.county_id:
            self.city_id = self.county.parent_id
        super().save(*args, **kwargs)


class LeadStatusChange(models.Model):
    """One dated step of a lead (contacted on 2023-02-10, rejected for …)."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=12, choices=LeadStatus.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="lead__city", county="lead__county", station="lead__station")
    audit = AuditSpec()

    class Meta:
        ordering = ["lead", "date", "pk"]
        verbose_name = _("lead status change")
        verbose_name_plural = _("lead status changes")

    def __str__(self) -> str:
        return f"{self.lead_id} {self.get_status_display()} {self.date}"
