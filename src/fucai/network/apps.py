from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "fucai.network"
    label = "network"
    verbose_name = _("Station network")

    def ready(self) -> None:
        from fucai.accounts.grants import RECORD_VISITS
        from fucai.core.grant import EDIT_MASTER_DATA, EDIT_SPACING_RULES
        from fucai.core.registry import Landing, MenuGroup, MenuItem, Module, register
        from fucai.network import (
            onboarding,  # noqa: F401  (its signals, after signals')
            signals,  # noqa: F401
        )

        register(
            Module(
                label="network",
                urls=("network/", "fucai.network.urls"),
                api=("/network", "fucai.network.api:router"),
                menu=(
                    MenuGroup(
                        "network",
                        _("Network"),
                        10,
                        (
                            MenuItem(_("Overview"), "network:overview", order=0),
                            MenuItem(_("Stations"), "network:station_list", order=10),
                            MenuItem(_("Map"), "network:map", order=20),
                            MenuItem(_("Import"), "network:import", EDIT_MASTER_DATA, order=30),
                            MenuItem(
                                _("Field visits"), "network:visit_list", RECORD_VISITS, order=40
                            ),
                            # 四帮 onboarding (fucai.network.onboarding_views)
                            MenuItem(_("四帮 overdue"), "network:onboarding_overdue", order=45),
                            MenuItem(
                                _("四帮 template"),
                                "network:onboarding_template",
                                "edit_onboarding_template",
                                order=46,
                            ),
                            MenuItem(_("Partners"), "network:partner_list", order=47),
                            MenuItem(_("Leads"), "network:lead_list", order=48),
                            MenuItem(
                                _("Spacing rules"),
                                "network:spacing_rules",
                                EDIT_SPACING_RULES,
                                order=49,
                            ),
                        ),
                    ),
                ),
                demo_builders=(
                    (10, "fucai.network.demo.builder.NetworkDemoBuilder"),
                    # leads (布点机会): spacing rules, a synthetic schools layer, 抚州's posters
                    (50, "fucai.network.demo.leads.LeadDemoBuilder"),
                    # after the network and the users: the managers' visits of 2023
                    (60, "fucai.network.demo.visits.VisitDemoBuilder"),
                    (70, "fucai.network.demo.onboarding.OnboardingDemoBuilder"),
                    # after the sales demo (30/40): the partner's sites and agreement
                    (80, "fucai.network.demo.partners.PartnerDemoBuilder"),
                ),
                access="fucai.network.access",
                report_sections=("fucai.network.pack_section.network_section",),
                landing=(
                    # an owner lands on their station (fucai.network.views.own_stations)
                    Landing(
                        "network:own_stations",
                        priority=10,
                        applies="fucai.network.views.lands_on_own_stations",
                    ),
                    Landing("network:overview"),
                ),
            )
        )
