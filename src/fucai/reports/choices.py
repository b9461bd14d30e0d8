"""Lifecycles and kinds of the reports module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PackKind(models.TextChoices):
    """A report pack covers a calendar month (2023-08) or a quarter (2023-Q3)."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class PackStatus(models.TextChoices):
    """A pack's generation: queued → running (with its progress) → done, or failed with the
    error (the file of an earlier success, if any, stays)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
