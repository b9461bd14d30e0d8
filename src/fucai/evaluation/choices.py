"""Lifecycles of the evaluation module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Population(models.TextChoices):
    CITY_AGENCIES = "city_agencies", _("City agencies")
    MARKET_MANAGERS = "market_managers", _("Market managers")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection", "Open")
    RESOLVED = "resolved", _("Resolved")
