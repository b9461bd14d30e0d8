from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "fucai.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from fucai.core.grant import IMPORT_SALES
        from fucai.core.registry import CITY, PUBLIC, STATION, MenuGroup, MenuItem, Module, register

        register(
            Module(
                label="sales",
                urls=("sales/", "fucai.sales.urls"),
                api=("/sales", "fucai.sales.api:router"),
                menu=(
                    MenuGroup(
                        "sales",
                        _("Sales"),
                        20,
                        (
                            MenuItem(_("Sales cockpit"), "sales:cockpit", order=10),
                            MenuItem(_("Sales targets"), "sales:targets", order=15),
                            MenuItem(
                                _("Sales import"), "sales:import_list", IMPORT_SALES, order=20
                            ),
                        ),
                    ),
                ),
                # the sales store's tables (fucai.sales.store) and how analytics scope them
                analytics_tables={
                    "daily": STATION,
                    "monthly": STATION,
                    "ytd": STATION,
                    "stations": STATION,
                    "assignments": STATION,
                    "games": PUBLIC,  # the games catalogue
                    "mof": PUBLIC,  # the Ministry of Finance's published provincial table
                    "archive": CITY,  # the monthly archive (fucai.sales.archive): city rows
                },
                demo_builders=(
                    (30, "fucai.sales.demo.builder.SalesDemoBuilder"),
                    (35, "fucai.sales.demo.archive.ArchiveDemoBuilder"),
                    # after the sales: 江西's welfare rows are the demo's sales
                    (40, "fucai.sales.demo.mof.MofDemoBuilder"),
                    # after the sales: 2022's sales × a growth target per city
                    (41, "fucai.sales.demo.sales_targets.TargetsDemoBuilder"),
                ),
                access="fucai.sales.access",
                report_sections=("fucai.sales.pack_section.sales_section",),
            )
        )
        from django_q.signals import post_spawn

        # A worker of `fucai qcluster` starting settles the imports a killed one left running.
        post_spawn.connect(settle_interrupted_imports, dispatch_uid="fucai.sales.settle")


def settle_interrupted_imports(**signal) -> int:
    """fucai.sales.jobs.settle_interrupted_imports, imported when a worker starts: the importer
    (Ibis, DuckDB, Arrow) is not loaded by every command and web process that starts Django."""
    from fucai.sales.jobs import settle_interrupted_imports as settle

    return settle(**signal)
