"""Audit trail: signal handlers that record every create, change and delete of audited models,
every view of unmasked personal data and every bulk replacement of rows.

A model opts in by declaring `audit = AuditSpec(...)` on itself; core imports no domain app. Its
personal fields (`fucai.core.personal.PersonalField`, plus any named in `AuditSpec.personal`) are
stored in the trail masked, never in clear; blind indexes are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from fucai.core.choices import ChangeAction
from fucai.core.context import current_actor
from fucai.core.personal import BlindIndexField, Kind, kind_of, mask, personal_fields
from fucai.core.signals import bulk_replaced, personal_data_viewed, state_changed

IGNORED_FIELDS = frozenset({"password", "last_login", "created", "updated", "recorded_at"})


@dataclass(frozen=True)
class AuditSpec:
    """How a model is audited, declared on the model as `audit = AuditSpec(...)`. `personal` names
    fields masked in the trail beyond its PersonalFields (field -> kind, e.g.
    {"contact_name": "name"}); `ignored` names fields left out of the trail; `restricted` names
    fields shown only to readers holding a capability (`shown_changes`)."""

    personal: dict[str, str] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()
    # field -> the capability (fucai.core.grant) a reader needs to see the field in the trail at
    # all: e.g. a station owner's Party-member flag, only for Party affairs (fucai.party.vanguard)
    restricted: dict[str, str] = field(default_factory=dict)


def spec_of(model: type[models.Model]) -> AuditSpec | None:
    spec = getattr(model, "audit", None)
    return spec if isinstance(spec, AuditSpec) else None


def masked_fields(model: type[models.Model] | None) -> dict[str, Kind]:
    """Field name -> kind of every value of `model` that the trail shows only masked."""
    if model is None:
        return {}
    spec = spec_of(model)
    extra = {name: kind_of(kind) for name, kind in (spec.personal if spec else {}).items()}
    return {**personal_fields(model), **extra}


def masked_changes(model: type[models.Model] | None, changes: dict) -> dict:
    """The {field: [before, after]} of a record with every personal value masked (the one
    function pages, exports and the API show the trail through)."""
    masks = masked_fields(model)
    out = {}
    for name, values in (changes or {}).items():
        kind = masks.get(name)
        if kind is not None and isinstance(values, list):
            values = [mask(v, kind) if isinstance(v, str) else v for v in values]
        out[name] = values
    return out


def shown_changes(model: type[models.Model] | None, changes: dict, user=None) -> dict:
    """What a reader sees of a record's {field: [before, after]}: `masked_changes` without the
    fields whose capability (AuditSpec.restricted) the reader's grant does not carry. No reader:
    none of those fields (fail closed). Pages, exports and the API show the trail through this."""
    from fucai.core.grant import grant_for

    shown = masked_changes(model, changes)
    spec = spec_of(model) if model is not None else None
    if spec is None or not spec.restricted:
        return shown
    grant = grant_for(user) if user is not None else None
    for name, capability in spec.restricted.items():
        if grant is None or not grant.can(capability):
            shown.pop(name, None)
    return shown


def _json_value(value):
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def snapshot(instance: models.Model) -> dict:
    """The instance's concrete field values, JSON-ready, keyed by field name (in clear: mask with
    masked_changes before storing)."""
    spec = spec_of(type(instance)) or AuditSpec()
    return {
        f.name: _json_value(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in IGNORED_FIELDS
        and f.name not in spec.ignored
        and not f.primary_key
        and not isinstance(f, BlindIndexField)
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


def _write(model, action: str, changes: dict, **fields) -> None:
    from django.contrib.contenttypes.models import ContentType

    from fucai.core.models import ObjectChange

    actor = current_actor()
    user = actor.user if actor else None
    ObjectChange.objects.create(
        user=user,
        user_name=getattr(user, "username", "") or "",
        source=actor.source if actor else "system",
        action=action,
        object_type=ContentType.objects.get_for_model(model),
        changes=masked_changes(model, changes),
        **fields,
    )


def stored_repr(instance: models.Model) -> str:
    """The object's text as the audit trail stores it: under the default language, whatever
    the language of the user who acted (the trail reads the same for everyone)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return str(instance)[:200]


def _record(instance: models.Model, action: str, changes: dict) -> None:
    model = type(instance)
    paths = getattr(model, "scope_paths", None)
    anchor = instance
    if paths is not None and paths.owner:  # a row that follows its owner's scope (attachments)
        anchor = getattr(instance, paths.owner, None)
        paths = getattr(type(anchor), "scope_paths", None) if anchor is not None else None
    _write(
        model,
        action,
        changes,
        object_id=str(instance.pk),
        object_repr=stored_repr(instance),
        city_id=_resolve_id(anchor, paths.city) if paths else None,
        station_id=_resolve_id(anchor, paths.station) if paths else None,
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


def _viewed(sender, instance, fields, reason: str = "", **kwargs) -> None:
    """Someone was shown personal values of `instance` in full."""
    values = {name: [None, getattr(instance, name)] for name in fields}
    if reason:
        values["reason"] = [None, reason]
    _record(instance, ChangeAction.VIEW, values)


def _replaced(sender, label: str, deleted: int, created: int, source: str = "", **kwargs) -> None:
    """Rows of `sender` replaced in bulk (no per-row signals): one row saying what and how many."""
    name = str(sender._meta.verbose_name_plural)
    _write(
        sender,
        ChangeAction.REPLACE,
        {"rows": [deleted, created], "source": [None, source]},
        object_id=str(label)[:40],
        object_repr=f"{name} {label}"[:200],
    )


def _state_changed(sender, instance, what: str, before, after, **kwargs) -> None:
    """A state of `instance` kept outside its own fields changed (e.g. its login lock lifted)."""
    _record(instance, ChangeAction.UPDATE, {what: [before, after]})


def audited_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if spec_of(m) is not None]


def _connect_model(model: type[models.Model]) -> None:
    uid = f"fucai-audit-{model._meta.label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-delete")


def declare(model: type[models.Model], spec: AuditSpec) -> None:
    """Audit a model one cannot edit (e.g. a contrib model) as if it declared `audit = spec`."""
    model.audit = spec
    _connect_model(model)


def connect() -> None:
    """Receivers for every model that declares an AuditSpec (senders named, so that bulk deletes
    of other models stay fast), and for the custom signals."""
    for model in audited_models():
        _connect_model(model)
    personal_data_viewed.connect(_viewed, dispatch_uid="fucai-audit-viewed")
    bulk_replaced.connect(_replaced, dispatch_uid="fucai-audit-replaced")
    state_changed.connect(_state_changed, dispatch_uid="fucai-audit-state")
