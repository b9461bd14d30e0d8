from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.sales.choices import GameCategory, SuspensionKind


class SalesSuspensionQuerySet(models.QuerySet):
    def overlapping(self, start: dt.date, end: dt.date) -> SalesSuspensionQuerySet:
        return self.filter(start__lte=end, end__gte=start)

    def stopping(self, category: str) -> SalesSuspensionQuerySet:
        field = "draw_games_stop" if category == GameCategory.DRAW else "instant_stops"
        return self.filter(**{field: True})


class SalesSuspension(models.Model):
    """A period in which the lottery market is closed (休市), e.g. the Spring Festival: from `start`
    to `end`, both days included, draw games do not sell; instant tickets go on unless said
    otherwise. Sales files with a draw-game sale inside are rejected, and the year-on-year
    comparison by selling days counts these days out. Dates and sources: docs/sales-calendar.md."""

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=SuspensionKind.choices,
        default=SuspensionKind.SPRING_FESTIVAL,
    )
    start = models.DateField(_("first closed day"))
    end = models.DateField(_("last closed day"))
    draw_games_stop = models.BooleanField(_("draw games stop"), default=True)
    instant_stops = models.BooleanField(_("instant tickets stop"), default=False)
    source_url = models.URLField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = SalesSuspensionQuerySet.as_manager()

    audit = AuditSpec()

    class Meta:
        ordering = ["start"]
        verbose_name = _("sales suspension")
        verbose_name_plural = _("sales suspensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="suspension_end_after_start"
            ),
            models.UniqueConstraint(fields=["kind", "start"], name="suspension_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start}–{self.end}"

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The last closed day cannot be before the first.")})

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def stops(self, category: str) -> bool:
        return self.draw_games_stop if category == GameCategory.DRAW else self.instant_stops
