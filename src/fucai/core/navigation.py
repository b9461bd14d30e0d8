"""The navigation menu: groups of entries, each naming a URL and whether only editors may see it,
or which capability of the user's grant (fucai.core.grant) it needs. Entries whose URL does not
exist (yet) are left out, so the menu shows only what exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from fucai.core.grant import MANAGE_USERS, grant_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    editors_only: bool = False
    capability: str | None = None  # shown only when the user's grant carries it


MENU: list[tuple[str, list[NavItem]]] = [
    (
        _("Network"),
        [
            NavItem(_("Overview"), "core:overview"),
            NavItem(_("Stations"), "network:station_list"),
            NavItem(_("Map"), "network:map"),
            NavItem(_("Import"), "network:import", editors_only=True),
        ],
    ),
    (
        _("Sales"),
        [
            NavItem(_("Sales cockpit"), "sales:cockpit"),
            NavItem(_("Sales import"), "sales:import_list", editors_only=True),
        ],
    ),
    (
        _("Administration"),
        [
            NavItem(_("Audit"), "core:audit"),
            NavItem(_("Users"), "accounts:user_list", capability=MANAGE_USERS),
        ],
    ),
]


def menu_for(user) -> list[dict]:
    groups = []
    for title, items in MENU:
        entries = []
        for item in items:
            if item.editors_only and not user.can_edit_master_data:
                continue
            if item.capability and not grant_for(user).can(item.capability):
                continue
            try:
                entries.append(
                    {"label": item.label, "url": reverse(item.url_name), "name": item.url_name}
                )
            except NoReverseMatch:
                continue
        if entries:
            groups.append({"title": title, "items": entries})
    _mark_deeper(groups)
    return groups


def _mark_deeper(groups: list[dict]) -> None:
    """Give each entry the URLs of the entries below it (/sales/imports/ under /sales/), so that
    only the most specific entry is shown as the current section."""
    urls = [entry["url"] for group in groups for entry in group["items"]]
    for group in groups:
        for entry in group["items"]:
            base = entry["url"]
            entry["deeper"] = [u for u in urls if u != base and base != "/" and u.startswith(base)]
