from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fucai.accounts"
    label = "accounts"
    verbose_name = _("accounts")

    def ready(self) -> None:
        from fucai.accounts.models import User
        from fucai.core.audit import AuditSpec, declare

        # Accounts are audited. TODO at merge: declare `audit = AuditSpec()` on User itself.
        if not hasattr(User, "audit"):
            declare(User, AuditSpec())
