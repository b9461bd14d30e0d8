from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fucai.core"
    label = "core"
    verbose_name = _("core")

    def ready(self) -> None:
        from fucai.core import audit

        audit.connect()
