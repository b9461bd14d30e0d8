from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.grant import EDIT_SPACING_RULES
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.planning.choices import DemandSource, LayerStatus


class DemandLayer(models.Model):
    """A population demand layer on the H3 grid (docs/planning.md): its cells (centre, county,
    city, area type, population) are a Parquet file under FUCAI_DATA_DIR/planning/, read by
    `fucai.planning.demand.load_demand`. The newest ready layer is the one planning uses; one
    built from the web is `building` (with its progress) until the worker has written it.
    Province-wide reference data: managing layers is for those who edit the spacing rules;
    their cells are shown to each user only within their own cities."""

    name = models.CharField(_("name"), max_length=80)
    source = models.CharField(_("source"), max_length=12, choices=DemandSource.choices)
    resolution = models.PositiveSmallIntegerField(_("H3 resolution"))
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)
    cell_count = models.PositiveIntegerField(_("cells"), default=0)
    total_population = models.FloatField(_("total population"), default=0.0)
    file = models.CharField(_("cells file"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LayerStatus.choices, default=LayerStatus.READY
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=100)
    error = models.TextField(_("error"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(capability=EDIT_SPACING_RULES)
    audit = AuditSpec()

    class Meta:
        ordering = ["-built_at", "-pk"]
        verbose_name = _("demand layer")
        verbose_name_plural = _("demand layers")

    def __str__(self) -> str:
        return self.name

    @property
    def path(self) -> Path:
        """Where its cells are (FUCAI_DATA_DIR/planning/demand-<pk>.parquet)."""
        return Path(settings.DATA_DIR) / self.file
