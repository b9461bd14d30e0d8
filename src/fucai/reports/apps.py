from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports (报告): the work bulletin written from live data as text, Word and PDF with
    charts, its admin-edited sentence templates, and the monthly and quarterly report packs the
    background worker files in an archive (issue 14)."""

    name = "fucai.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from fucai.core.registry import Module, register
        from fucai.reports.packs import ensure_schedule

        register(
            Module(
                label="reports",
                urls=("reports/", "fucai.reports.urls"),
                menu=MENU,
                access="fucai.reports.access",
            )
        )
        # the monthly schedule of the report packs, made once (fucai.reports.packs)
        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="reports-pack-schedule")


def _menu():
    """The reports menu group: the bulletin for everyone (a role without a whole city or the
    province is told so), and the archive of report packs. The bulletin's sentence templates are
    linked from the bulletin's page for the provincial centre's editors only (a menu capability
    cannot tell them from a city's)."""
    from fucai.core.registry import MenuGroup, MenuItem

    items = (
        MenuItem(_("Work bulletin"), "reports:home", None, order=10),
        MenuItem(_("Report packs"), "reports:packs", None, order=50),
    )
    return (MenuGroup("reports", _("Reports"), 60, items),)


MENU = _menu()
