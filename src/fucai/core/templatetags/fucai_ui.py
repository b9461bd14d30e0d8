"""Small template helpers for fucai's pages."""

from __future__ import annotations

from collections import defaultdict

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fucai.core.audit import shown_changes
from fucai.core.choices import ChangeAction

register = template.Library()


@register.filter
def thousands(value) -> str:
    """A whole number with comma thousands separators in every language: 5,706."""
    if value in (None, ""):
        return ""
    return f"{int(value):,}"


@register.filter
def signed(value) -> str:
    """A change with its sign and thousands separators: +876, -1,012, 0."""
    if value in (None, ""):
        return ""
    number = int(value)
    return f"{number:+,}" if number else "0"


@register.filter
def sign_class(value) -> str:
    """A CSS class for a signed figure: up, down or flat."""
    number = int(value or 0)
    return "delta-up" if number > 0 else "delta-down" if number < 0 else "delta-flat"


@register.filter
def nav_active(item: dict, path: str) -> bool:
    """Whether a menu entry is the current section: its URL is the path or (not for /) a prefix."""
    url = item.get("url", "")
    if any(path.startswith(deeper) for deeper in item.get("deeper", ())):
        return False  # a more specific entry is the current one
    return path == url or (url != "/" and path.startswith(url))


def _related_name(field, value, cache: dict | None) -> str:
    key = (field.related_model._meta.label, value)
    if cache is not None and key in cache:
        return cache[key]
    related = field.related_model._base_manager.filter(pk=value).first()
    text = str(related) if related is not None else f"#{value}"
    if cache is not None:
        cache[key] = text
    return text


def _display(field, value, cache: dict | None = None) -> str:
    """A recorded value as a person reads it: choice labels, names of related objects."""
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if getattr(field, "is_relation", False) and field.related_model is not None:
        return _related_name(field, value, cache)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


# where personal data was shown in full (the `reason` of personal_data_viewed), as people read it
VIEW_REASONS = {
    "station page": gettext_lazy("the station's page"),
    "household page": gettext_lazy("the household's page"),
    "admin form": gettext_lazy("the administration form"),
}


def describe_changes(change, cache: dict | None = None, user=None) -> list[dict]:
    """The field-level before/after of an audit record as `user` may read it, with field names
    and readable values; `cache` keeps names of related objects across records (for exports)."""
    model = change.object_type.model_class()
    rows = []
    viewed = change.action == ChangeAction.VIEW
    for name, pair in shown_changes(model, change.changes, user).items():
        before, after = ([*list(pair), None, None])[:2]
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name
        if viewed:  # what was shown (masked here) and where: no before, no arrow
            if name == "reason":
                label, after = _("Shown on"), str(VIEW_REASONS.get(after, after))
            rows.append({"field": label, "shown": _display(field, after, cache), "viewed": True})
            continue
        rows.append(
            {
                "field": label,
                "before": _display(field, before, cache),
                "after": _display(field, after, cache),
            }
        )
    return rows


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def describe_all(changes, user) -> None:
    """Describe a page of audit records at once: the names of the related objects they mention
    are read with one query per model, not one per value (`change_rows` then uses them)."""
    changes = list(changes)
    wanted: dict = defaultdict(set)
    for change in changes:
        model = change.object_type.model_class()
        for name, pair in (change.changes or {}).items():
            field = _field(model, name)
            if getattr(field, "is_relation", False) and field.related_model is not None:
                values = pair if isinstance(pair, list) else [pair]
                wanted[field.related_model].update(v for v in values if v not in (None, ""))
    cache: dict = {}
    for related, values in wanted.items():
        found = {str(o.pk): str(o) for o in related._base_manager.filter(pk__in=values)}
        for value in values:
            cache[(related._meta.label, value)] = found.get(str(value), f"#{value}")
    for change in changes:
        change.described = describe_changes(change, cache, user)


@register.filter
def change_rows(change) -> list[dict]:
    described = getattr(change, "described", None)
    return described if described is not None else describe_changes(change)
