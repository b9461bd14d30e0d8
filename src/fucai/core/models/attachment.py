from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.attachments.storage import attachment_storage
from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths


class Attachment(models.Model):
    """A photo (JPEG, PNG, WebP: re-encoded, downscaled, without its GPS position) or a PDF
    belonging to one row of any model (a station, a field visit, an onboarding task), kept in
    the `attachments` storage (FUCAI_DATA_DIR/attachments or an S3 bucket). Made only by
    fucai.core.attachments.store_attachment; seen, through /files/<pk>/, only by those who see
    its owner."""

    owner_type = models.ForeignKey(
        ContentType, verbose_name=_("owner type"), on_delete=models.PROTECT, related_name="+"
    )
    owner_id = models.PositiveBigIntegerField(_("owner id"))
    owner = GenericForeignKey("owner_type", "owner_id")
    file = models.FileField(
        _("file"), storage=attachment_storage, max_length=200, upload_to="%Y/%m/"
    )
    thumbnail = models.FileField(
        _("thumbnail"),
        storage=attachment_storage,
        max_length=200,
        upload_to="%Y/%m/",
        blank=True,
        help_text=_("320 px on its long side; none for a PDF."),
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"), help_text=_("Of the stored file."))
    width = models.PositiveIntegerField(_("width (px)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height (px)"), null=True, blank=True)
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, help_text=_("Of the file as it was uploaded.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(owner="owner")
    audit = AuditSpec()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
