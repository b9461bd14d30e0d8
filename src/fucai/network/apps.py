from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "fucai.network"
    label = "network"
    verbose_name = _("Station network")

    def ready(self) -> None:
        from fucai.network import signals  # noqa: F401
