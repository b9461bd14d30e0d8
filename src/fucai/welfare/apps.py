from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    """Public welfare (公益): the fund that sales raise, 公益金 projects and grants from
    application to payment, beneficiaries' data protected, public notices, 福彩公益行 activities
    and 福彩公益驿站 welfare posts (issue 12)."""

    name = "fucai.welfare"
    label = "welfare"
    verbose_name = _("Public welfare")

    def ready(self) -> None:
        from fucai.core.registry import Module, register

        register(
            Module(
                label="welfare",
                urls=("welfare/", "fucai.welfare.urls"),
                api=("/welfare", "fucai.welfare.api:router"),
                menu=MENU,
                demo_builders=DEMO_BUILDERS,
                access="fucai.welfare.access",
            )
        )


def _menu():
    """The welfare menu group: each part of the module adds its entries here (the groups of one
    key merge)."""
    from fucai.core.grant import WELFARE_AFFAIRS
    from fucai.core.registry import MenuGroup, MenuItem

    grants = MenuGroup(
        "welfare",
        _("Public welfare"),
        45,
        (
            MenuItem(_("Welfare projects"), "welfare:projects", WELFARE_AFFAIRS, order=10),
            MenuItem(_("Grants"), "welfare:grants", WELFARE_AFFAIRS, order=20),
            MenuItem(_("Households"), "welfare:households", WELFARE_AFFAIRS, order=30),
            MenuItem(_("Public notices"), "welfare:notices", WELFARE_AFFAIRS, order=40),
        ),
    )
    return (grants,)


MENU = _menu()
# after the network, the sales demo and the Party demo (90-94)
DEMO_BUILDERS: tuple[tuple[int, str], ...] = ((97, "fucai.welfare.demo_grants.GrantsDemoBuilder"),)
