from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "fucai.network"
    label = "network"
    verbose_name = _("Station network")

    def ready(self) -> None:
        from fucai.core.grant import EDIT_MASTER_DATA
        from fucai.core.registry import Landing, MenuGroup, MenuItem, Module, register
        from fucai.network import signals  # noqa: F401

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
                            MenuItem(_("Partners"), "network:partner_list", order=40),
                        ),
                    ),
                ),
                demo_builders=(
                    (10, "fucai.network.demo.builder.NetworkDemoBuilder"),
                    # after the sales demo (30/40): the partner's sites and agreement
                    (80, "fucai.network.demo.partners.PartnerDemoBuilder"),
                ),
                access="fucai.network.access",
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
