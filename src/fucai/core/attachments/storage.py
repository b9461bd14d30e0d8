"""Where attachments are kept: Django's `STORAGES["attachments"]` (settings.py, from
FUCAI_ATTACHMENT_STORAGE): by default `DataDirStorage`, under FUCAI_DATA_DIR/attachments."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class DataDirStorage(FileSystemStorage):
    """A FileSystemStorage under `settings.DATA_DIR / "attachments"`, read when used (so a test's
    data directory is honoured), never served by a URL of its own: files go out only through
    fucai.core.attachments.views, after the owner's scope check."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.DATA_DIR / "attachments")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Attachments have no public URL: serve them through /files/<pk>/.")


def attachment_storage():
    """The storage of Attachment's files (a callable, so that migrations do not freeze it)."""
    return storages["attachments"]
