from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.sales.choices import ImportKind, ImportMode, ImportSource, ImportStatus


class SalesImport(models.Model):
    """One file fed to `fucai sales import` (or the upload page): who, when, which file (by its
    SHA-256), what it held, and how it ended. Files imported together share a batch: they are
    validated together and committed together, or not at all."""

    batch = models.UUIDField(_("batch"), default=uuid.uuid4, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(
        _("user name"), max_length=150, blank=True, help_text=_("Kept if the user is deleted.")
    )
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The importing city agency; empty for the provincial centre."),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file_size = models.BigIntegerField(_("bytes"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    rows = models.BigIntegerField(_("rows read"), default=0)
    fact_rows = models.BigIntegerField(
        _("daily facts"), default=0, help_text=_("Station × day × game rows it stands for.")
    )
    amount_fen = models.BigIntegerField(_("amount (fen)"), default=0)
    first_day = models.DateField(_("first day covered"), null=True, blank=True)
    last_day = models.DateField(_("last day covered"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("first errors"), default=list, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    store_version = models.PositiveIntegerField(_("store version"), null=True, blank=True)
    dry_run = models.BooleanField(
        _("dry run"), default=False, help_text=_("Checked only: nothing was committed.")
    )
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=ImportSource.choices,
        default=ImportSource.IMPORT,
        help_text=_("An imported file, or a year of sales loaded by `fucai demo`."),
    )

    mode = models.CharField(
        _("mode"), max_length=8, choices=ImportMode.choices, default=ImportMode.CELLS
    )
    replaced_rows = models.BigIntegerField(
        _("stored rows replaced"),
        default=0,
        help_text=_("Stored station × day × game rows the file gave a new value."),
    )
    removed_rows = models.BigIntegerField(
        _("stored rows removed"),
        default=0,
        help_text=_("Stored rows of the replaced days that the file does not hold (days mode)."),
    )
    removed_amount_fen = models.BigIntegerField(
        _("amount removed (fen)"),
        default=0,
        help_text=_("The stored amount of the rows replaced or removed."),
    )
    day_changes = models.JSONField(
        _("changes per day"),
        default=list,
        blank=True,
        help_text=_("Per day: stored rows and amount removed, the file's rows and amount added."),
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city")

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("sales import")
        verbose_name_plural = _("sales imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def amount_yuan(self):
        from fucai.sales.money import fen_to_yuan

        return fen_to_yuan(self.amount_fen)

    @property
    def removed_amount_yuan(self):
        from fucai.sales.money import fen_to_yuan

        return fen_to_yuan(self.removed_amount_fen)
