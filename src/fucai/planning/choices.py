from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AreaType(models.TextChoices):
    """The kind of place a demand cell is, which sets how far a station's reach counts there
    (FUCAI_PLANNING_RADIUS_*_M): from the cell's density (fucai.planning.demand)."""

    URBAN = "urban", _("城区")
    TOWN = "town", _("镇区")
    RURAL = "rural", _("乡村")


class DemandSource(models.TextChoices):
    """Where a demand layer's population comes from."""

    CENSUS = "census", _("人口普查模型")
    IMPORTED = "imported", _("导入的人口格网")


class ScenarioStatus(models.TextChoices):
    """A siting scenario's run: queued for the worker, running, done, or failed (with why)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class LayerStatus(models.TextChoices):
    """Where a demand layer's build stands (a build from the web runs in the worker)."""

    BUILDING = "building", pgettext_lazy("demand layer", "Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
