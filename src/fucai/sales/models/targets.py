"""Sales targets (销售任务): annual and monthly targets in fen per city, per market manager (their
territory) and per station, kept as versioned sets. A set is one year's targets as imported
(or entered) at once; a re-import of the same year makes a new version and keeps the previous
one. The current targets of a year are the latest version's (docs/evaluation.md, "Targets")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths


class TargetLevel(models.TextChoices):
    """Whose target a row is."""

    CITY = "city", _("City")
    MANAGER = "manager", _("Market manager")
    STATION = "station", _("Station")


class SalesTargetSetQuerySet(RestrictedQuerySet):
    def current(self, year: int) -> SalesTargetSet | None:
        """The year's current set: its latest version (None: no targets for the year)."""
        return self.filter(year=year).order_by("-version").first()


class SalesTargetSet(models.Model):
    """One version of a year's targets: who made it, when and from what (a file or a page)."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveIntegerField(_("version"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The imported file's name.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SalesTargetSetQuerySet.as_manager()
    # the set is the province's document; a city, a manager or an owner reads its own rows
    scope_paths = ScopePaths()
    audit = AuditSpec()

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("sales target set")
        verbose_name_plural = _("sales target sets")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="target_set_year_version")
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"


class SalesTarget(models.Model):
    """The target of one city, market manager or station in a set: the year's amount and,
    optionally, one amount per month (adding up to the year's), in fen."""

    target_set = models.ForeignKey(
        SalesTargetSet,
        verbose_name=_("target set"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    level = models.CharField(_("level"), max_length=8, choices=TargetLevel.choices)
    code = models.CharField(
        _("code"), max_length=12, help_text=_("Adcode, employee code or station code.")
    )
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "prefecture"},
    )
    manager = models.ForeignKey(
        "network.MarketManager",
        verbose_name=_("market manager"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    station = models.ForeignKey(
        "network.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    annual_fen = models.BigIntegerField(_("annual target (fen)"))
    monthly_fen = models.JSONField(
        _("monthly targets (fen)"),
        default=list,
        blank=True,
        help_text=_("Twelve amounts, January to December, or none."),
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", station="station", persons={"manager": "manager"})
    audit = AuditSpec()

    class Meta:
        ordering = ["target_set", "level", "code"]
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")
        constraints = [
            models.UniqueConstraint(
                fields=["target_set", "level", "code"], name="target_unique_in_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_set} {self.level} {self.code}"
