"""The navigation menu, assembled from what each module registers (fucai.core.registry): groups
of entries, each naming a URL and optionally the capability a user's grant must carry. Entries
whose URL does not exist are left out, so the menu shows only what exists."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from fucai.core.grant import grant_for
from fucai.core.registry import menu_groups


def menu_for(user) -> list[dict]:
    grant = grant_for(user)
    groups = []
    for group in menu_groups():
        entries = []
        for item in group.items:
            if item.capability and not grant.can(item.capability):
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
            groups.append({"title": group.title, "items": entries})
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
