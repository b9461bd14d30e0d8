"""Manual inputs (人工录入指标): the values of a scheme's indicators whose source is `manual`
(compliance incidents, training hours, welfare activities, …) for one period, imported from the
Excel template the system generates for the scheme and period. Versioned like the sales
targets: a re-import makes a new version, the previous one kept; `build_inputs` reads the
latest (docs/evaluation.md, "Manual inputs")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths


class ManualInputSetQuerySet(RestrictedQuerySet):
    def current(self, scheme: str, period: str) -> ManualInputSet | None:
        """The latest version for a scheme and period (None: nothing entered)."""
        return self.filter(scheme=scheme, period=period).order_by("-version").first()


class ManualInputSet(models.Model):
    """One version of a scheme's manual inputs for a period: who imported it, when, from what."""

    scheme = models.CharField(_("scheme"), max_length=60)
    period = models.CharField(_("period"), max_length=10)
    version = models.PositiveIntegerField(_("version"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ManualInputSetQuerySet.as_manager()
    scope_paths = ScopePaths()  # the province's document; a city reads its own rows
    audit = AuditSpec()

    class Meta:
        ordering = ["scheme", "period", "-version"]
        verbose_name = _("manual input set")
        verbose_name_plural = _("manual input sets")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "period", "version"], name="manual_set_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.period} v{self.version}"


class ManualInput(models.Model):
    """One alternative's manual values in a set: indicator name → number."""

    input_set = models.ForeignKey(
        ManualInputSet,
        verbose_name=_("manual input set"),
        on_delete=models.CASCADE,
        related_name="rows",
    )
    alternative = models.CharField(
        _("alternative"), max_length=12, help_text=_("A city's adcode or an employee code.")
    )
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "prefecture"},
    )
    values = models.JSONField(_("values"), default=dict)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city")
    audit = AuditSpec()

    class Meta:
        ordering = ["input_set", "alternative"]
        verbose_name = _("manual input")
        verbose_name_plural = _("manual inputs")
        constraints = [
            models.UniqueConstraint(fields=["input_set", "alternative"], name="manual_input_unique")
        ]

    def __str__(self) -> str:
        return f"{self.input_set} {self.alternative}"
