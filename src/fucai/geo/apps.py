from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "fucai.geo"
    label = "geo"
    verbose_name = _("geo")

    def ready(self) -> None:
        from fucai.core.registry import Module, register

        register(
            Module(
                label="geo",
                urls=("geo/", "fucai.geo.urls"),
                api=("/geo", "fucai.geo.api:router"),
                access="fucai.geo.access",
            )
        )
