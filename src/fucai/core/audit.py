"""Audit trail: signal handlers that record every create, change and delete of audited models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from fucai.core.choices import ChangeAction
from fucai.core.context import current_actor

AUDITED_MODELS = (
    "network.Station",
    "network.StationStatusChange",
    "network.StationOwner",
    "network.StationAssignment",
    "network.MarketManager",
    "network.Territory",
    "network.PartnerOrganisation",
    "accounts.User",
    "accounts.RoleAssignment",
)
IGNORED_FIELDS = frozenset({"password", "last_login", "created", "updated", "recorded_at"})


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def snapshot(instance: models.Model) -> dict:
    """The instance's concrete field values, JSON-ready, keyed by field name."""
    return {
        f.name: _json_value(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in IGNORED_FIELDS and not f.primary_key
    }


def _resolve_id(instance: models.Model, path: str | None):
    """Follow a scope path like 'station__city' on an instance to the final id."""
    if path is None:
        return None
    if path == "":
        return instance.pk
    obj = instance
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def _record(instance: models.Model, action: str, changes: dict) -> None:
    from fucai.core.models import ObjectChange

    actor = current_actor()
    user = actor.user if actor else None
    paths = getattr(type(instance), "scope_paths", None)
    ObjectChange.objects.create(
        user=user,
        user_name=getattr(user, "username", "") or "",
        source=actor.source if actor else "system",
        action=action,
        object_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        city_id=_resolve_id(instance, paths.city) if paths else None,
        station_id=_resolve_id(instance, paths.station) if paths else None,
        changes=changes,
    )


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None


def _after_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _record(instance, ChangeAction.CREATE, {k: [None, v] for k, v in after.items()})
        return
    diff = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if diff:
        _record(instance, ChangeAction.UPDATE, diff)


def _after_delete(sender, instance, **kwargs) -> None:
    _record(instance, ChangeAction.DELETE, {k: [v, None] for k, v in snapshot(instance).items()})


def connect() -> None:
    for label in AUDITED_MODELS:
        model = apps.get_model(label)
        uid = f"fucai-audit-{label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-delete")
