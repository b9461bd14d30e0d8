from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "fucai.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from django_q.signals import post_spawn

        from fucai.sales.jobs import settle_interrupted_imports

        # A worker of `fucai qcluster` starting settles the imports a killed one left running.
        post_spawn.connect(settle_interrupted_imports, dispatch_uid="fucai.sales.settle")
