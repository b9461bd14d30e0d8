from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.personal import PHONE, PersonalField
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.network.choices import ManagerStatus


class MarketManager(models.Model):
    """A city agency's market manager (市场管理员), who looks after a territory of ~40–60 stations,
    visits them and is graded each year (职级评定)."""

    employee_code = models.CharField(_("employee code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=40)
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="market_managers",
        limit_choices_to={"level": "prefecture"},
    )
    phone = PersonalField(_("phone"), kind=PHONE.name, max_length=20, blank=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ManagerStatus.choices, default=ManagerStatus.ACTIVE
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", persons={"manager": ""})
    audit = AuditSpec()

    class Meta:
        ordering = ["employee_code"]
        verbose_name = _("market manager")
        verbose_name_plural = _("market managers")

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_code})"


class Territory(models.Model):
    """The patch a market manager looks after: a named set of stations, usually a few counties or
    districts of one city. Which station belongs to it on which day is kept by StationAssignment."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=60)
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="territories",
        limit_choices_to={"level": "prefecture"},
    )
    manager = models.ForeignKey(
        MarketManager,
        verbose_name=_("market manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="territories",
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", persons={"manager": "manager"})
    audit = AuditSpec()

    class Meta:
        ordering = ["code"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return self.name


class StationAssignmentQuerySet(RestrictedQuerySet):
    def active_on(self, day: dt.date) -> StationAssignmentQuerySet:
        return self.filter(
            Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        )


class StationAssignment(models.Model):
    """That a station was in a territory, looked after by a manager, from `valid_from` until the day
    before `valid_to` (open-ended when empty). Answers "who managed station X on day D"."""

    station = models.ForeignKey(
        "network.Station",
        verbose_name=_("station"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="assignments"
    )
    manager = models.ForeignKey(
        MarketManager,
        verbose_name=_("market manager"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)

    objects = StationAssignmentQuerySet.as_manager()
    scope_paths = ScopePaths(city="station__city", county="station__county", station="station")
    audit = AuditSpec()

    class Meta:
        ordering = ["station", "valid_from"]
        verbose_name = _("station assignment")
        verbose_name_plural = _("station assignments")
        indexes = [
            models.Index(fields=["manager", "valid_from"]),
            models.Index(fields=["station", "valid_from"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="assignment_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} → {self.manager_id} [{self.valid_from}, {self.valid_to or '…'})"


def manager_of(station_id: int, day: dt.date) -> MarketManager | None:
    """Who managed the station on `day`."""
    assignment = (
        StationAssignment.objects.active_on(day)
        .filter(station_id=station_id)
        .select_related("manager")
        .first()
    )
    return assignment.manager if assignment else None
