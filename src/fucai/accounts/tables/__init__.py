"""Tables of the accounts pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from fucai.accounts.models import User

ACTIVE_BADGE = (
    '{% load i18n %}{% if record.is_active %}<span class="fc-status fc-status-open">'
    '{% translate "Active" context "account" %}</span>{% else %}'
    '<span class="fc-status fc-status-closed">'
    '{% translate "Deactivated" context "account" %}</span>{% endif %}'
)


class UserTable(tables.Table):
    """The user list: one row per account, user name linked to its page."""

    username = tables.Column(linkify=("accounts:user_detail", {"pk": tables.A("pk")}))
    name = tables.Column(
        verbose_name=_("Full name"), accessor="get_full_name", order_by="last_name"
    )
    city = tables.Column(verbose_name=_("Agency"), default=_("Provincial centre"))
    roles = tables.Column(verbose_name=_("Roles"), empty_values=(), orderable=False)
    is_active = tables.TemplateColumn(ACTIVE_BADGE, verbose_name=_("Status"))
    last_login = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("Last login"))

    class Meta:
        model = User
        fields = ("username", "name", "city", "roles", "is_active", "last_login")
        order_by = "username"
        attrs = {"class": "table table-hover table-sm align-middle", "tbody": {"hx-boost": "false"}}
        empty_text = _("No user matches these filters.")

    def render_roles(self, record) -> str:
        return "、".join(str(a) for a in record.role_assignments.all()) or "—"
