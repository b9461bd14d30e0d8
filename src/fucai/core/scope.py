"""Row scope: the one place that turns a grant (fucai.core.grant) into a queryset filter.

Every list, detail page, API endpoint and export starts from `Model.objects.restrict(user,
action)`. A model opts in by declaring how it hangs off the network, in its own app:

    class Station(models.Model):
        scope_paths = ScopePaths(city="city", county="county", station="")

Each path is a lookup from the model to the anchor (`""` is the row itself); a reach anchor the
model has no path for gives nothing (fail closed). `persons` maps a person kind ("manager",
"owner") to the path of that person's record, so one sees one's own record. A model governed by
a capability instead of the plain view/change reach (user accounts: `manage_users`) says so with
`capability`. A model without `scope_paths` is seen by nobody through `restrict()`.

`ObjectChange`-like tables that point at rows of many models say which field holds the content
type (`content_type`): their rows about a capability-governed model follow that capability.

Rows that belong to a row of any model through a generic foreign key (attachments: a photo of a
station, of a field visit) say so with `owner`, the name of that GenericForeignKey: they are seen
exactly where their owner is (`ScopePaths(owner="owner")`), whatever the owner's model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.apps import apps
from django.db import models
from django.db.models import Q

from fucai.core.grant import CHANGE, VIEW, Grant, Reach, grant_for

__all__ = [
    "CHANGE",
    "VIEW",
    "RestrictedQuerySet",
    "ScopePaths",
    "scope_q",
]

_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopePaths:
    """How a model's rows hang off the network, one lookup path per kind of anchor."""

    city: str | None = None
    county: str | None = None
    station: str | None = None
    branch: str | None = None
    persons: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    capability: str | None = None
    content_type: str | None = None
    owner: str | None = None  # a GenericForeignKey: the row follows its owner's scope


def _join(prefix: str, suffix: str) -> str:
    return f"{prefix}__{suffix}" if prefix else suffix


def _in(path: str | None, ids) -> Q | None:
    if path is None or not ids:
        return None
    return Q(**{_join(path, "pk__in" if path == "" else "in"): sorted(ids)})


def reach_q(paths: ScopePaths, reach: Reach) -> Q | None:
    """The filter for one reach on a model with these paths; None means everything."""
    if reach.everything:
        return None
    parts = [
        _in(paths.city, reach.cities),
        _in(paths.county, reach.counties),
        _in(paths.station, reach.stations),
        _in(paths.branch, reach.branches),
    ]
    parts += [_in(path, reach.persons_of(kind)) for kind, path in paths.persons.items()]
    parts = [p for p in parts if p is not None]
    if not parts:
        return _NOTHING
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def scope_paths(model: type[models.Model]) -> ScopePaths | None:
    return getattr(model, "scope_paths", None)


def scope_q(model: type[models.Model], user, action: str = VIEW) -> Q | None:
    """The filter for `user` (or a Grant) on `model`; None means no filter (everything)."""
    grant = grant_for(user)
    paths = scope_paths(model)
    if paths is None:
        return _NOTHING
    if paths.owner:
        return _owner_q(model, paths.owner, grant, action)
    if paths.capability:
        return reach_q(paths, grant.capability(paths.capability))
    q = reach_q(paths, grant.reach(action))
    if paths.content_type:
        return _with_content_types(paths, grant, q)
    return q


def _gated_models() -> dict[str, list[type[models.Model]]]:
    """Models whose rows follow a capability, by capability."""
    gated: dict[str, list[type[models.Model]]] = {}
    for model in apps.get_models():
        paths = scope_paths(model)
        if paths is not None and paths.capability:
            gated.setdefault(paths.capability, []).append(model)
    return gated


def _with_content_types(paths: ScopePaths, grant: Grant, q: Q | None) -> Q | None:
    """Rows about capability-governed models (user accounts) follow that capability's reach;
    all other rows the plain view reach."""
    from django.contrib.contenttypes.models import ContentType

    ct_field = _join(paths.content_type, "in")
    gated = {
        capability: [ct.pk for ct in ContentType.objects.get_for_models(*models_).values()]
        for capability, models_ in _gated_models().items()
    }
    if not gated:
        return q
    outside = ~Q(**{ct_field: [pk for ids in gated.values() for pk in ids]})
    result = outside if q is None else q & outside
    for capability, ids in gated.items():
        part = reach_q(paths, grant.capability(capability))
        about = Q(**{ct_field: ids})
        result |= about if part is None else about & part
    return result


def _owner_q(model: type[models.Model], name: str, grant: Grant, action: str) -> Q:
    """Rows whose generic owner (content type + id) is a row `grant` may see (or change), over
    every model that declares scope paths of its own."""
    from django.contrib.contenttypes.models import ContentType

    owner = model._meta.get_field(name)
    owners = [m for m in apps.get_models() if (p := scope_paths(m)) is not None and not p.owner]
    types = ContentType.objects.get_for_models(*owners, for_concrete_models=False)
    result = _NOTHING
    for owner_model in owners:
        q = scope_q(owner_model, grant, action)
        if q is _NOTHING:
            continue
        about = Q(**{owner.ct_field: types[owner_model].pk})
        if q is not None:
            visible = owner_model._base_manager.filter(q).values("pk")
            about &= Q(**{f"{owner.fk_field}__in": visible})
        result |= about
    return result


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW) -> RestrictedQuerySet:
        """The rows `user` (or a Grant) may see (`view`) or change (`change`)."""
        q = scope_q(self.model, user, action)
        return self if q is None else self.filter(q)
