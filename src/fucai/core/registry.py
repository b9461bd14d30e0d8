"""The module registry: each app says what it brings, from its own `apps.py`, and core, the URL
configuration and the API assemble it. A new module plugs in without editing core, `urls.py`,
`api.py` or another app:

    class NetworkConfig(AppConfig):
        def ready(self):
            register(Module(
                label="network",
                urls=("network/", "fucai.network.urls"),
                api=("/network", "fucai.network.api:router"),
                menu=(MenuGroup("network", _("Network"), 10, (
                    MenuItem(_("Stations"), "network:station_list"),
                )),),
                access="fucai.network.access",
            ))

What a module declares (all optional):
- `urls`: a URL prefix and the module of its `urlpatterns` (with `app_name`);
- `api`: an API prefix and the dotted path ("module:attribute") of its django-ninja Router;
- `menu`: menu groups, merged by key across modules (a module may add items to another's group),
  each item naming a URL and optionally the capability (fucai.core.grant) a user needs to see it;
- `analytics_tables`: the sales store's tables it provides and how each is scoped
  ("station": by the row's station; "city": by the row's city, seen only by scopes holding the
  whole city; "public": not scoped), read by fucai.analytics.scope;
- `demo_builders`: dotted paths of its demo builder steps, with an order (see `fucai demo`);
- `access`: the module of its permission-matrix expectations (fucai.core.testing.matrix);
- `landing`: a URL name the home page sends people to when their grant allows it (a capability,
  a predicate of the grant), by priority;
- `report_sections`: dotted paths of the functions giving its sheets of the report packs
  (fucai.reports): `section(scope, period_start, period_end, as_of) -> ReportSection | None`,
  `scope` a `fucai.core.reporting.ReportScope` (the province or one city, with the grant that
  sees exactly it), None when the module has no data for the period and scope (no sheet).
Dotted paths are imported only when used, so registering costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from types import MappingProxyType

from django.apps import apps

STATION = "station"  # analytics table scoped by the row's station
PUBLIC = "public"  # analytics table anybody signed in may read (a catalogue, a published table)
CITY = "city"  # analytics table of city-level rows: a scope sees the rows of its whole cities only


@dataclass(frozen=True)
class MenuItem:
    """One entry of the navigation menu."""

    label: object
    url_name: str
    capability: str | None = None  # the grant must carry it (fucai.core.grant), e.g. editors
    order: int = 100


@dataclass(frozen=True)
class MenuGroup:
    """A titled group of menu entries; groups of the same key from several modules merge."""

    key: str
    title: object
    order: int
    items: tuple[MenuItem, ...] = ()


@dataclass(frozen=True)
class Landing:
    """Where the home page sends a user whose grant carries `capability` (or anyone, if None)
    and, if `applies` names a predicate ("module.function", called with the grant), for whom it
    answers true; tried by ascending priority."""

    url_name: str
    priority: int = 100
    capability: str | None = None
    applies: str | None = None

    def allows(self, grant) -> bool:
        if self.capability is not None and not grant.can(self.capability):
            return False
        if self.applies is None:
            return True
        module, _dot, name = self.applies.rpartition(".")
        return bool(getattr(import_module(module), name)(grant))


@dataclass(frozen=True)
class Module:
    """What one app contributes to fucai."""

    label: str
    urls: tuple[str, str] | None = None
    api: tuple[str, str] | None = None
    menu: tuple[MenuGroup, ...] = ()
    analytics_tables: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    demo_builders: tuple[tuple[int, str], ...] = ()
    access: str | None = None
    landing: tuple[Landing, ...] = ()
    report_sections: tuple[str, ...] = ()


_modules: dict[str, Module] = {}


def register(module: Module) -> None:
    """Called by an app's `ready()`; registering the same label again replaces it."""
    for name, rule in module.analytics_tables.items():
        if rule not in (STATION, CITY, PUBLIC):
            raise ValueError(f"{module.label}: analytics table {name!r} has unknown rule {rule!r}")
    _modules[module.label] = module


def modules() -> list[Module]:
    """The registered modules, in INSTALLED_APPS order."""
    order = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    return sorted(_modules.values(), key=lambda m: order.get(m.label, len(order)))


def url_includes() -> list[tuple[str, str]]:
    return [m.urls for m in modules() if m.urls]


def api_routers() -> list[tuple[str, str]]:
    return [m.api for m in modules() if m.api]


def analytics_rule(table: str) -> str | None:
    """How a store table is scoped, or None when no module declares it (fail closed)."""
    for module in modules():
        if table in module.analytics_tables:
            return module.analytics_tables[table]
    return None


def menu_groups() -> list[MenuGroup]:
    """All modules' menu groups merged by key, groups and items in their declared order."""
    merged: dict[str, MenuGroup] = {}
    for module in modules():
        for group in module.menu:
            have = merged.get(group.key)
            if have is None:
                merged[group.key] = group
                continue
            merged[group.key] = MenuGroup(
                have.key, have.title, min(have.order, group.order), have.items + group.items
            )
    groups = sorted(merged.values(), key=lambda g: g.order)
    return [
        MenuGroup(g.key, g.title, g.order, tuple(sorted(g.items, key=lambda i: i.order)))
        for g in groups
    ]


def demo_builders() -> list[str]:
    """Every module's demo builder steps, by their order."""
    steps = [step for module in modules() for step in module.demo_builders]
    return [path for _order, path in sorted(steps)]


def access_modules() -> list[str]:
    return [m.access for m in modules() if m.access]


def landings() -> list[Landing]:
    return sorted(
        (landing for module in modules() for landing in module.landing),
        key=lambda landing: landing.priority,
    )


def report_sections() -> list[str]:
    """Every module's report-pack section functions (dotted paths), in INSTALLED_APPS order."""
    return [path for module in modules() for path in module.report_sections]


def resolve(path: str):
    """The object a dotted path ("package.module.name") names, imported now."""
    module, _dot, name = path.rpartition(".")
    return getattr(import_module(module), name)
