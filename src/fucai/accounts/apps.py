from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fucai.accounts"
    label = "accounts"
    verbose_name = _("accounts")

    def ready(self) -> None:
        from fucai.accounts.grants import build_grant
        from fucai.core.grant import MANAGE_USERS, register_provider
        from fucai.core.registry import MenuGroup, MenuItem, Module, register

        register_provider(build_grant)
        register(
            Module(
                label="accounts",
                urls=("accounts/", "fucai.accounts.urls"),
                api=("/accounts", "fucai.accounts.api:router"),
                menu=(
                    MenuGroup(
                        "admin",
                        _("Administration"),
                        90,
                        (MenuItem(_("Users"), "accounts:user_list", MANAGE_USERS, order=80),),
                    ),
                ),
                demo_builders=((20, "fucai.accounts.demo.DemoUsersBuilder"),),
                access="fucai.accounts.access",
            )
        )
