from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.geo.choices import DivisionLevel


class DivisionQuerySet(models.QuerySet):
    def cities(self) -> DivisionQuerySet:
        return self.filter(level=DivisionLevel.PREFECTURE)

    def counties(self) -> DivisionQuerySet:
        return self.filter(level=DivisionLevel.COUNTY)


class Division(models.Model):
    """An administrative division of the province (province, prefecture-level city or county-level
    unit) with its official adcode, centroid (GCJ-02) and 2020 census population. Loaded from the
    package data by a migration; the network hangs off counties and cities."""

    code = models.CharField(_("adcode"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=40)
    level = models.CharField(_("level"), max_length=12, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    lon = models.DecimalField(_("centroid longitude"), max_digits=9, decimal_places=6)
    lat = models.DecimalField(_("centroid latitude"), max_digits=9, decimal_places=6)
    seat_lon = models.DecimalField(_("seat longitude"), max_digits=9, decimal_places=6)
    seat_lat = models.DecimalField(_("seat latitude"), max_digits=9, decimal_places=6)
    population = models.PositiveIntegerField(_("resident population (2020 census)"))
    lottery_code = models.CharField(
        _("lottery city number"),
        max_length=2,
        blank=True,
        help_text=_(
            "Cities only: digits 3–4 of the station codes of this city (e.g. 11 for 赣州)."
        ),
    )

    objects = DivisionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self) -> str:
        return self.name

    @property
    def station_code_prefix(self) -> str:
        """What the codes of this city's stations start with: 36 + the lottery city number."""
        city = self.city
        return f"36{city.lottery_code}" if city is not None else ""

    @property
    def city(self) -> Division | None:
        if self.level == DivisionLevel.PREFECTURE:
            return self
        if self.level == DivisionLevel.COUNTY:
            return self.parent
        return None
