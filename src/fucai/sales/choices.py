from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GameCategory(models.TextChoices):
    """The two families the centre reports on: computer draw games (电脑票) and instant tickets."""

    DRAW = "draw", _("电脑票")
    INSTANT = "instant", _("即开票")


class SuspensionKind(models.TextChoices):
    """Why sales stop: the Ministry of Finance's yearly market closures, or anything else."""

    SPRING_FESTIVAL = "spring_festival", _("春节休市")
    NATIONAL_DAY = "national_day", _("国庆休市")
    OTHER = "other", _("Other suspension")


class ImportKind(models.TextChoices):
    """What a sales file holds (see docs/formats.md)."""

    DAILY = "daily", _("Daily sales")
    TICKETS = "tickets", _("Ticket-level transactions")
    MOF = "mof", _("Ministry of Finance provincial table")


class ImportSource(models.TextChoices):
    """Where an import record comes from: a file someone imported, or the demo's own load."""

    IMPORT = "import", _("Imported file")
    DEMO = "demo", _("Demo data")


class ImportMode(models.TextChoices):
    """What a daily or ticket file replaces (docs/formats.md, "Import rules")."""

    CELLS = "cells", _("Set the station × day × game cells of the file, keep the rest")
    DAYS = "days", _("Replace whole days: stored rows of those days not in the file are removed")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted")


class MofLottery(models.TextChoices):
    """The three column groups of the Ministry of Finance's provincial table."""

    WELFARE = "welfare", _("福利彩票")
    SPORTS = "sports", _("体育彩票")
    TOTAL = "total", _("合计")


# ISO weekday numbers (1 = Monday … 7 = Sunday), as stored in Game.draw_weekdays.
WEEKDAY_LABELS = {
    1: _("Mon"),
    2: _("Tue"),
    3: _("Wed"),
    4: _("Thu"),
    5: _("Fri"),
    6: _("Sat"),
    7: _("Sun"),
}


class TimeShareBasis(models.TextChoices):
    """What a target's 序时进度 is measured by (fucai.sales.targets.pace): its own monthly
    targets when it has them, else the calendar days of the annual target; a total of both
    kinds is mixed."""

    MONTHLY = "monthly", _("by monthly targets")
    CALENDAR = "calendar", _("by calendar days")
    MIXED = "mixed", _("by monthly targets and calendar days")
