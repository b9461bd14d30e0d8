"""Cadre ↔ station pairing (结对) and cadres' areas (分片挂点).

A `PairingScheme` is a branch's pairing drive (吉安's 定点帮扶工作方案): its name, when it began
and whether it is one to one (a cadre has one station and a station one cadre at a time). A
`Pairing` pairs a cadre (a `Member` of the scheme's branch) with a station from a day until a
day (open-ended while it lasts); its visits are the field visits of purpose 结对帮扶 to that
station while it lasts (fucai.party.pairing). An `AreaAssignment` gives a cadre a county or a
set of H3 cells to walk for blank areas and leads (fucai.planning, fucai.network's leads).

Who the cadre is, is Party data: everything here is governed by the Party-affairs capability,
scoped by branch, like the members themselves."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.party.choices import AreaKind
from fucai.party.models.branch import PARTY_AFFAIRS, Branch, Member


class ActiveQuerySet(RestrictedQuerySet):
    """Rows with `started_on` and an open-ended `ended_on` (the day it ended: not included)."""

    def active_on(self, day: dt.date):
        """The rows running at the end of `day`: started on or before it, not ended by it."""
        return self.filter(Q(ended_on=None) | Q(ended_on__gt=day), started_on__lte=day)


class PairingScheme(models.Model):
    """A branch's pairing drive: cadres paired with stations under one plan."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("Party branch"), on_delete=models.PROTECT, related_name="schemes"
    )
    name = models.CharField(_("name"), max_length=120)
    started_on = models.DateField(_("started on"))
    one_to_one = models.BooleanField(
        _("one to one"),
        default=True,
        help_text=_("A cadre is paired with one station and a station with one cadre at a time."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["branch__code", "-started_on", "pk"]
        verbose_name = _("pairing scheme")
        verbose_name_plural = _("pairing schemes")

    def __str__(self) -> str:
        return self.name


class Pairing(models.Model):
    """A cadre paired with a station (结对帮扶) from `started_on` until `ended_on`."""

    scheme = models.ForeignKey(
        PairingScheme,
        verbose_name=_("pairing scheme"),
        on_delete=models.CASCADE,
        related_name="pairings",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="pairings"
    )
    station = models.ForeignKey(
        "network.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    started_on = models.DateField(_("paired from"))
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("Empty while the pairing lasts.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ActiveQuerySet.as_manager()
    scope_paths = ScopePaths(branch="scheme__branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["station__code", "started_on", "pk"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        indexes = [models.Index(fields=["station", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on=None) | Q(ended_on__gt=models.F("started_on")),
                name="pairing_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.station_id and self.station.code}"

    def clean(self) -> None:
        from fucai.party.pairing import pairing_conflicts

        if self.ended_on and self.started_on and self.ended_on <= self.started_on:
            raise ValidationError({"ended_on": _("A pairing ends after the day it starts.")})
        if self.member_id and self.scheme_id and self.member.branch_id != self.scheme.branch_id:
            raise ValidationError(
                {"member": _("The cadre is not a member of the scheme's branch.")}
            )
        if self.started_on and self.scheme_id and self.member_id and self.station_id:
            conflicts = pairing_conflicts(self)
            if conflicts:
                raise ValidationError(conflicts)


class AreaAssignment(models.Model):
    """A cadre assigned to an area (分片挂点): a county, or H3 cells (a street, a patch)."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("Party branch"), on_delete=models.PROTECT, related_name="areas"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="areas"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AreaKind.choices)
    county = models.ForeignKey(
        "geo.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    name = models.CharField(
        _("area name"), max_length=80, blank=True, help_text=_("E.g. the street the cells cover.")
    )
    cells = models.JSONField(
        _("H3 cells"), default=list, blank=True, help_text=_("H3 cell ids (any resolution).")
    )
    started_on = models.DateField(_("assigned from"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()
    scope_paths = ScopePaths(branch="branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["branch__code", "pk"]
        verbose_name = _("area assignment")
        verbose_name_plural = _("area assignments")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == AreaKind.COUNTY and self.county_id:
            return self.county.name
        return self.name or _("%(n)d grid cells") % {"n": len(self.cells)}

    def clean(self) -> None:
        from fucai.party.areas import check_area

        check_area(self)
