from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "fucai.planning"
    label = "planning"
    verbose_name = _("Network planning")

    def ready(self) -> None:
        from fucai.core.grant import EDIT_SPACING_RULES
        from fucai.core.registry import MenuGroup, MenuItem, Module, register

        register(
            Module(
                label="planning",
                urls=("planning/", "fucai.planning.urls"),
                api=("/planning", "fucai.planning.api:router"),
                menu=(
                    MenuGroup(
                        "planning",
                        _("网点规划"),
                        25,
                        (
                            MenuItem(_("Blank areas"), "planning:blank_areas", order=0),
                            MenuItem(_("Siting scenarios"), "planning:scenario_list", order=1),
                            MenuItem(
                                _("Demand layers"),
                                "planning:demand_layers",
                                EDIT_SPACING_RULES,
                                order=10,
                            ),
                        ),
                    ),
                ),
                # after the network (10) and its leads (50): the census-model demand layer
                demo_builders=((55, "fucai.planning.demo.DemandDemoBuilder"),),
                access="fucai.planning.access",
            )
        )
