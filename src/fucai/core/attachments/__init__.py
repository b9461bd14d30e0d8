"""Attachments: photos and PDFs that belong to a row of any model (a station, a field visit, an
onboarding task). A module keeps and shows them with::

    from fucai.core.attachments import AttachmentsField, attachments_of, store_attachment

    photos = AttachmentsField(required=False)             # in its form: several files at once
    for f in form.cleaned_data["photos"]:                  # after saving the owner
        store_attachment(f, owner=visit, user=request.user)
    attachments_of(visit)                                  # the owner's attachments
    {% include "core/attachments_list.html" with attachments=photos %}   # thumbnails, links

Files are served only by /files/<pk>/ and /files/<pk>/thumb/ (fucai.core.attachments.views),
to those who see the owner; the model is fucai.core.models.Attachment."""

from __future__ import annotations

from fucai.core.attachments.forms import AttachmentsField, MultipleFileInput
from fucai.core.attachments.store import (
    AttachmentRefused,
    attachments_of,
    prepare,
    store_attachment,
)

__all__ = [
    "AttachmentRefused",
    "AttachmentsField",
    "MultipleFileInput",
    "attachments_of",
    "prepare",
    "store_attachment",
]
