from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fucai.core"
    label = "core"
    verbose_name = _("core")

    def ready(self) -> None:
        from fucai.core import audit
        from fucai.core.registry import MenuGroup, MenuItem, Module, register

        audit.connect()
        self._connect_attachments()
        register(
            Module(
                label="core",
                urls=("", "fucai.core.urls"),
                api=("/audit", "fucai.core.api.audit:router"),
                menu=(
                    MenuGroup(
                        "admin",
                        _("Administration"),
                        90,
                        (MenuItem(_("Audit"), "core:audit", order=90),),
                    ),
                ),
                access="fucai.core.access",
            )
        )

    @staticmethod
    def _connect_attachments() -> None:
        """A deleted attachment's files are removed from the storage once the deletion commits."""
        from django.db.models.signals import post_delete

        from fucai.core.attachments.store import remove_after_delete
        from fucai.core.models import Attachment

        post_delete.connect(
            remove_after_delete, sender=Attachment, dispatch_uid="fucai-attachment-files"
        )
