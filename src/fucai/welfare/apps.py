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
                report_sections=("fucai.welfare.pack_section.welfare_section",),
            )
        )


def _menu():
    """The welfare menu group: the fund raised, its rates, activities, posts and the map (for
    whoever sees the sales or the city), projects, grants, households and notices (welfare
    affairs)."""
    from fucai.core.grant import WELFARE_AFFAIRS
    from fucai.core.registry import MenuGroup, MenuItem

    items = (
        MenuItem(_("Fund raised"), "welfare:raised", None, order=10),
        MenuItem(_("Fund rates"), "welfare:rate_list", None, order=12),
        MenuItem(_("Welfare projects"), "welfare:projects", WELFARE_AFFAIRS, order=20),
        MenuItem(_("Grants"), "welfare:grants", WELFARE_AFFAIRS, order=30),
        MenuItem(_("Households"), "welfare:households", WELFARE_AFFAIRS, order=40),
        MenuItem(_("Public notices"), "welfare:notices", WELFARE_AFFAIRS, order=50),
        MenuItem(_("Activities"), "welfare:activity_list", None, order=60),
        MenuItem(_("Welfare posts"), "welfare:post_list", None, order=62),
        MenuItem(_("Welfare map"), "welfare:map", None, order=64),
    )
    return (MenuGroup("welfare", _("Public welfare"), 45, items),)


MENU = _menu()
# after the network, the sales demo and the Party demo (90-94)
DEMO_BUILDERS: tuple[tuple[int, str], ...] = (
    (95, "fucai.welfare.demo_fund.FundDemoBuilder"),
    (97, "fucai.welfare.demo_grants.GrantsDemoBuilder"),
)
