"""The permission matrix (issue 7, item 6): every URL and every API operation, for every role,
with objects of 赣州 and of 九江.

Each app declares what its URLs answer in its own `access` module:

    ACCESS = {
        "network:station_detail": Expect(path={"code": "{station}"}),           # 200 / 404
        "network:station_edit": Expect(method="POST", path={"code": "{station}"},
                                       needs=EDIT_MASTER_DATA, reach="change", ok=400),
        "fucai_geo_api_list_divisions": Expect(api=True, scan=False),           # public data
    }

keyed by URL name (`namespace:name`, or the route for an unnamed pattern) or, for the API, by
the OpenAPI operation id. A template such as `{station}`, `{city}` or `{batch}` (OBJECT_FIELDS)
in `path`, `query` or `data` makes two cases, one with the 赣州 object and one with the 九江 object.
What each role gets follows from the matrix's own table of who sees and changes what (PERSONAS,
written out here and not taken from the grant it checks): anonymous → `anonymous` (302 to the
login page, 401 for the API), a role without the capability `needs` → `denied`, an object
outside the role's `reach` → `unseen`, anything else → `ok`; `roles` overrides single roles.
Every response body (HTML, JSON, the cells of an Excel workbook) is scanned for the codes, names
and amounts the role must not see, unless `scan=False` (public data such as the divisions).
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import io
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.urls import URLPattern, URLResolver, get_resolver

from fucai.core.grant import (
    EDIT_FUND_RATES,
    EDIT_MASTER_DATA,
    GENERATE_REPORT_PACKS,
    IMPORT_SALES,
    MANAGE_USERS,
    PARTY_AFFAIRS,
    RECORD_WELFARE_ACTIVITIES,
    RUN_EVALUATIONS,
    SEE_BENEFICIARIES,
    SEE_EVALUATIONS,
    SEE_PERSONAL_DATA,
    SET_SALES_TARGETS,
    WELFARE_AFFAIRS,
)

LOGIN = "login"  # a redirect to the login page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's login page
GZ, JJ = "赣州", "九江"  # the two objects every object-taking URL is tried with
VIEW, CHANGE = "view", "change"
USERS = "users"  # reach over user accounts: the objects' agencies' people (manage_users)
PARTY = "party"  # reach over Party branches (party_affairs): the objects' cities' branches
WELFARE = "welfare"  # reach of welfare affairs (welfare_affairs): the objects' cities' welfare
# where welfare activities are recorded (record_welfare_activities): the role's change reach
# and its welfare reach
ACTIVITIES = "activities"
# evaluation (fucai.evaluation.visibility): the runs and results a role sees; of those, where it
# resolves objections (JUDGE) and where it files one (OBJECTOR: the person evaluated); seen but
# not theirs to act on: `unchangeable`
EVALUATION = "evaluation"
JUDGE = "evaluation_judge"
OBJECTOR = "evaluation_objector"


@dataclass(frozen=True)
class Expect:
    """What one URL or API operation answers each role (see the module docstring)."""

    path: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    method: str = "GET"
    data: Mapping | None = None  # form data (pages) or a JSON body (API); None: nothing sent
    api: bool = False
    needs: str | None = None  # a capability (fucai.core.grant) the role must hold
    reach: str = VIEW  # the object must be in the role's view or change reach
    ok: int = 200
    denied: int = 403
    unseen: int = 404  # the object is outside the role's view reach
    unchangeable: int | None = None  # seen but outside the change reach (default: unseen)
    anonymous: int | str | None = None  # default: LOGIN for pages, 401 for the API
    roles: Mapping[str, int | str] = field(default_factory=dict)  # role name -> status
    scan: bool = True
    xfail: Mapping[str, str] = field(default_factory=dict)  # role name -> the hole, to be fixed

    @property
    def takes_object(self) -> bool:
        values = [*self.path.values(), *self.query.values(), json.dumps(self.data or {})]
        return any(TEMPLATE.search(str(value)) for value in values)


# -- who sees what: the matrix's own truth, independent of fucai.accounts.grants ----------------
GANZHOU_STATIONS = ("36110214", "36110001", "36110002")
JIUJIANG_STATIONS = ("36040001", "36040002")
ALL_STATIONS = GANZHOU_STATIONS + JIUJIANG_STATIONS
EDITOR = frozenset({EDIT_MASTER_DATA, IMPORT_SALES, SEE_PERSONAL_DATA})


@dataclass(frozen=True)
class Persona:
    """A role of the matrix: the named user (fucai.conftest.named_user) and what it must see."""

    name: str
    user: str | None  # None: anonymous
    views: frozenset[str] = frozenset()  # objects (GZ, JJ) in its view reach
    changes: frozenset[str] = frozenset()  # objects in its change reach
    stations: tuple[str, ...] = ()  # station codes it sees (the others' strings are foreign)
    cities: tuple[str, ...] = ()  # cities whose names it may read (default: of its stations)
    can: frozenset[str] = frozenset()  # capabilities
    manages: frozenset[str] = frozenset()  # objects whose agency's user accounts it manages
    people: tuple[str, ...] = ()  # stations whose owner and manager names it may read anyway
    branches: frozenset[str] = frozenset()  # objects whose Party branch it sees (party_affairs)
    welfare: frozenset[str] = frozenset()  # objects whose welfare grants it sees (welfare_affairs)
    evaluations: frozenset[str] = frozenset()  # objects whose evaluation runs it sees
    judges: frozenset[str] = frozenset()  # objects whose objections it resolves
    objects_to: frozenset[str] = frozenset()  # objects whose result it may object to

    def reaches(self, obj: str | None, reach: str) -> bool:
        if obj is None:
            return True
        if reach == USERS:
            return obj in self.manages
        if reach == PARTY:
            return obj in self.branches
        if reach == WELFARE:
            return obj in self.welfare
        if reach == EVALUATION:
            return obj in self.evaluations
        if reach == JUDGE:
            return obj in self.judges
        if reach == OBJECTOR:
            return obj in self.objects_to
        if reach == ACTIVITIES:
            return obj in self.changes or obj in self.welfare
        return obj in (self.views if reach == VIEW else self.changes)


def _persona(
    name, user, views=(), changes=(), stations=(), can=(), cities=(), manages=(), people=()
) -> Persona:
    return Persona(
        name,
        user,
        views=frozenset(views),
        changes=frozenset(changes),
        stations=stations,
        cities=cities,
        can=frozenset(can),
        manages=frozenset(manages),
        people=people,
    )


PERSONAS = (
    _persona("anonymous", None),
    _persona("province", "province_admin", (GZ, JJ), (GZ, JJ), ALL_STATIONS, EDITOR),
    _persona("ganzhou", "ganzhou_user", (GZ,), (GZ,), GANZHOU_STATIONS, EDITOR),
    _persona("jiujiang", "jiujiang_user", (JJ,), (JJ,), JIUJIANG_STATIONS, EDITOR),
    _persona("manager", "market_manager_user", (GZ,), (), ("36110214",)),
    _persona("owner", "owner_user", (GZ,), (), ("36110214",)),
    _persona("party", "party_user", (GZ, JJ), (), ALL_STATIONS),
    _persona("welfare", "ganzhou_welfare", (GZ,), (), GANZHOU_STATIONS),
    # a 赣州 city agency's staff member, also Party-affairs and welfare officer of 九江: sees both,
    # changes 赣州
    _persona("two_roles", "two_roles", (GZ, JJ), (GZ,), ALL_STATIONS, EDITOR),
    # 赣州's user administrator: no network data, but its users' accounts and role assignments
    # (two_roles is 九江's Party-affairs officer: that assignment names 九江)
    # (it is offered 赣州's market managers and owners when granting their roles)
    _persona(
        "ganzhou_admin",
        "ganzhou_admin",
        can=(MANAGE_USERS,),
        cities=(GZ, JJ),
        manages=(GZ,),
        people=("36110214",),
    ),
)
# field visits (fucai.network.visits): who records them, where they see
RECORD_VISITS = "record_visits"
_VISITORS = ("province", "ganzhou", "jiujiang", "manager", "party", "welfare", "two_roles")
PERSONAS = tuple(
    replace(p, can=p.can | {RECORD_VISITS}) if p.name in _VISITORS else p for p in PERSONAS
)
# Party building (fucai.party): the province's Party affairs see every branch; two_roles (九江's
# Party-affairs officer) 九江's only; nobody else any
_PARTY_BRANCHES = {"party": (GZ, JJ), "two_roles": (JJ,)}
PERSONAS = tuple(
    replace(p, can=p.can | {PARTY_AFFAIRS}, branches=frozenset(_PARTY_BRANCHES[p.name]))
    if p.name in _PARTY_BRANCHES
    else p
    for p in PERSONAS
)
# Public welfare (fucai.welfare): 赣州's welfare officer sees 赣州's grants and its beneficiaries
# unmasked; two_roles (九江's welfare officer) 九江's; nobody else any (editors neither)
_WELFARE = {"welfare": (GZ,), "two_roles": (JJ,)}
PERSONAS = tuple(
    replace(
        p,
        can=p.can | {WELFARE_AFFAIRS, SEE_BENEFICIARIES},
        welfare=frozenset(_WELFARE[p.name]),
    )
    if p.name in _WELFARE
    else p
    for p in PERSONAS
)
# the fund rates (fucai.welfare.fund): the provincial centre edits them; welfare activities:
# recorded by the editors and the welfare officers
PERSONAS = tuple(
    replace(p, can=p.can | {EDIT_FUND_RATES}) if p.name == "province" else p for p in PERSONAS
)
# the sales targets (fucai.sales.targets): the provincial centre imports and enters them; and
# it makes report packs on request (fucai.reports.packs)
PERSONAS = tuple(
    replace(p, can=p.can | {SET_SALES_TARGETS, GENERATE_REPORT_PACKS})
    if p.name == "province"
    else p
    for p in PERSONAS
)
PERSONAS = tuple(
    replace(p, can=p.can | {RECORD_WELFARE_ACTIVITIES}) if p.changes or p.welfare else p
    for p in PERSONAS
)
# evaluation (fucai.evaluation): the province sees every run and runs them; a city agency its
# city's managers (and resolves their objections); the market manager their own published result
# (and objects to it); 九江's manager has no account here
_EVALUATIONS = {"province": (GZ, JJ), "ganzhou": (GZ,), "jiujiang": (JJ,), "manager": (GZ,)}
_EVALUATIONS["two_roles"] = (GZ,)
_JUDGES = {"province": (GZ, JJ), "ganzhou": (GZ,), "jiujiang": (JJ,), "two_roles": (GZ,)}
PERSONAS = tuple(
    replace(
        p,
        can=p.can | {SEE_EVALUATIONS} | ({RUN_EVALUATIONS} if p.name == "province" else set()),
        evaluations=frozenset(_EVALUATIONS[p.name]),
        judges=frozenset(_JUDGES.get(p.name, ())),
        objects_to=frozenset((GZ,) if p.name == "manager" else ()),
    )
    if p.name in _EVALUATIONS
    else p
    for p in PERSONAS
)
EVALUATION_REACHES = (EVALUATION, JUDGE, OBJECTOR)
PERSONA = {p.name: p for p in PERSONAS}

# -- the data: the `network` fixture plus a little sales data with unmistakable amounts ---------
SALES_AS_OF = "2023-09-03"
SALES = {  # station -> (day, game, yuan); one sale each, so every total is distinctive
    "36110214": ("2023-02-10", "kl8", "3141592.65"),
    "36110001": ("2023-03-01", "instant", "2718281.83"),
    "36040001": ("2023-03-15", "ssq", "1414213.56"),
    "36040002": ("2023-07-01", "kl8", "1732050.81"),
}
OBJECTS = {  # the object of each city the URLs are tried with (a new station's code too)
    GZ: {"station": "36110214", "city": "360700", "county": "360732", "new_station": "36119990"},
    JJ: {"station": "36040001", "city": "360400", "county": "360403", "new_station": "36049990"},
}
# the templates a declaration may use: these, and the county's centre and a sales import's batch
OBJECT_FIELDS = (
    "station",
    "city",
    "county",
    "new_station",
    "lon",
    "lat",
    "batch",
    "user",
    "assignment",
    "attachment",
    "visit",
    "partner",
    "partner_agreement",
    "lead",
    "spacing_rule",
    "scenario",
    "branch",
    "meeting",
    "pairing",
    "area",
    "study",
    "member",
    "vanguard_consent",
    "fund_rate",
    "welfare_activity",
    "welfare_project",
    "grant",
    "household",
    "notice",
    "objection",
    "evaluation_run",
    "evaluation_result",
    "evaluation_objection",
    "report_pack",
)
TEMPLATE = re.compile(r"\{(" + "|".join(OBJECT_FIELDS) + r")\}")
CITY_NAMES = {GZ: ("赣州市", GANZHOU_STATIONS), JJ: ("九江市", JIUJIANG_STATIONS)}
IMPORT_FILES = {GZ: "赣州销售-0201.csv", JJ: "九江销售-0315.csv"}
JIUJIANG_OWNER = ("测试业主丙", "13900004321", "360403198502023456")
PARTNER_CONTACTS = {GZ: "13700001111", JJ: "13700002222"}  # partner agreements' contacts' phones
LEAD_CONTACTS = {GZ: "13700004444", JJ: "13700005555"}  # leads' contacts' phones
PARTY_MEMBERS = {GZ: ("矩阵党员甲", "13700006666"), JJ: ("矩阵党员乙", "13700007777")}
PERSONAL = (  # phones and IDs in clear
    "13800005678",
    "360732199001011234",
    *JIUJIANG_OWNER[1:],
    *PARTNER_CONTACTS.values(),
    *LEAD_CONTACTS.values(),
    *(phone for _name, phone in PARTY_MEMBERS.values()),
)
# welfare beneficiaries (fucai.welfare): name, ID number, phone, address of a household of each
# city, in clear; read only by the welfare officers of that city (see_beneficiaries), and only
# through "show". Not in PERSONAL: a network editor's see_personal_data does not reach them.
BENEFICIARIES = {
    GZ: ("矩阵受助甲", "360732198001011230", "19900001111", "兴国县矩阵路1号"),
    JJ: ("矩阵受助乙", "360403198001011239", "19900002222", "浔阳区矩阵路2号"),
}
# what tells that a city has a welfare grant at all: its project and village names
WELFARE_STRINGS = {GZ: ("矩阵赣州公益项目", "矩阵赣州村"), JJ: ("矩阵九江公益项目", "矩阵九江村")}
STATION_PEOPLE = {  # the owners and market managers of stations
    "36110214": ("测试业主甲", "测试管理员乙"),
    "36040001": (JIUJIANG_OWNER[0], JIUJIANG_OWNER[1]),
}


def amount_texts(yuan: Decimal) -> set[str]:
    """The ways an amount is written in pages, JSON and workbooks."""
    fen = int(yuan * 100)
    wan = (yuan / 10000).quantize(Decimal("0.01"))
    return {f"{yuan:.2f}", f"{yuan:,.2f}", str(fen), f"{wan:,.2f}"}


def _amounts_outside(seen: set[str]) -> set[str]:
    """Amounts of stations, cities and the province that the stations `seen` don't make up."""
    groups = [(code,) for code in SALES] + [
        tuple(c for c in s if c in SALES) for _n, s in CITY_NAMES.values()
    ]
    groups.append(tuple(SALES))
    texts: set[str] = set()
    for group in groups:
        if not set(group) <= seen:
            texts |= amount_texts(sum(Decimal(SALES[c][2]) for c in group))
    return texts


def foreign_strings(persona: Persona, station_strings: Mapping[str, tuple[str, ...]]) -> set[str]:
    """What `persona` must never read: codes, names, addresses and people of the stations it
    doesn't see, cities of which it sees nothing, the amounts it cannot add up, and (without the
    capability) unmasked personal data."""
    seen = set(persona.stations)
    out: set[str] = set()
    for code, strings in station_strings.items():
        if code not in seen:
            out |= {code, *strings}
        if code not in seen and code not in persona.people:
            out |= set(STATION_PEOPLE.get(code, ()))
    for city, (name, codes) in CITY_NAMES.items():
        if not seen & set(codes) and city not in persona.cities:
            out |= {name, IMPORT_FILES[city]}
    out |= _amounts_outside(seen)
    out |= {name for obj, (name, _p) in PARTY_MEMBERS.items() if obj not in persona.branches}
    if SEE_PERSONAL_DATA not in persona.can:
        out |= set(PERSONAL)
    for obj, clear in BENEFICIARIES.items():
        if not (SEE_BENEFICIARIES in persona.can and obj in persona.welfare):
            out |= set(clear)
        if obj not in persona.welfare:
            out |= set(WELFARE_STRINGS[obj])
    if JJ not in persona.views and JJ not in persona.evaluations:
        out.add(JIUJIANG_EVALUATED)  # 九江's manager in its evaluation run
    return out


# -- the declarations -----------------------------------------------------------------------------
def declarations() -> dict[str, list[Expect]]:
    """Every module's `ACCESS`, from the access module it registers (fucai.core.registry)."""
    from fucai.core.registry import access_modules

    found: dict[str, list[Expect]] = {}
    for name in access_modules():
        module = importlib.import_module(name)
        for key, value in module.ACCESS.items():
            if key in found:
                raise AssertionError(f"{key} is declared twice ({name})")
            found[key] = list(value) if isinstance(value, list | tuple) else [value]
    return found


# -- what exists: the URLconf and the OpenAPI schema ---------------------------------------------
@dataclass(frozen=True)
class Route:
    """One URL pattern: its declaration key (namespace:name, or the route if unnamed)."""

    key: str
    route: str
    namespace: str


def routes() -> list[Route]:
    """Every URL pattern of the URLconf, walked recursively."""
    return list(_walk(get_resolver(), "", ""))


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(key if pattern.name else route, route, namespace)


@dataclass(frozen=True)
class Operation:
    """One operation of the OpenAPI schema."""

    key: str  # operationId
    method: str
    path: str  # /api/network/stations/{code}


def operations(schema: dict) -> list[Operation]:
    return [
        Operation(op["operationId"], method.upper(), path)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]


def api_route(path: str) -> str:
    """/api/network/stations/{code} as the URLconf writes it: api/network/stations/<code>."""
    return re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/"))


def page_routes(all_routes: list[Route], ops: list[Operation]) -> list[Route]:
    """The routes that are not API operations (those are checked through the schema) nor the
    admin (checked as superuser-only)."""
    covered = {api_route(op.path) for op in ops}
    return [r for r in all_routes if r.namespace != "admin" and r.route not in covered]


def admin_url(route: str) -> str:
    """A concrete URL for an admin route: path converters get "1", an app_label group its first
    app."""
    if route.startswith("admin/^"):
        match = re.search(r"\(\?P<app_label>([\w]+)", route)
        return "/admin/" + (match.group(1) if match else "accounts") + "/"
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


# -- the cases ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One declaration, with one object (or none), for one role."""

    key: str
    expect: Expect
    obj: str | None
    persona: Persona
    route: str  # URL name to reverse, or the API path

    @property
    def id(self) -> str:
        literal = [v for v in self.expect.path.values() if "{" not in v]
        what = self.key + "".join(f"/{v}" for v in literal) + (f"[{self.obj}]" if self.obj else "")
        extra = "" if self.expect.method == "GET" else f" {self.expect.method}"
        query = "?" + "&".join(f"{k}={v}" for k, v in self.expect.query.items())
        return f"{what}{extra}{query if self.expect.query else ''}-{self.persona.name}"

    def expected(self) -> int | str:
        expect, persona = self.expect, self.persona
        if persona.name in expect.roles:
            return expect.roles[persona.name]
        if persona.user is None:
            return expect.anonymous or (401 if expect.api else LOGIN)
        if expect.needs and expect.needs not in persona.can:
            return expect.denied
        if expect.reach not in (USERS, PARTY, WELFARE, *EVALUATION_REACHES) and not (
            persona.reaches(self.obj, VIEW)
        ):
            return expect.unseen
        if expect.reach in (JUDGE, OBJECTOR) and not persona.reaches(self.obj, EVALUATION):
            return expect.unseen
        if not persona.reaches(self.obj, expect.reach):
            return expect.unseen if expect.unchangeable is None else expect.unchangeable
        return expect.ok


def cases(declared: dict[str, list[Expect]], where: dict[str, str]) -> list[Case]:
    """Every declared expectation × object × role, for the keys of `where` (key -> route)."""
    out = []
    for key, route in where.items():
        for expect in declared.get(key, []):
            for obj in (GZ, JJ) if expect.takes_object else (None,):
                out.extend(Case(key, expect, obj, p, route) for p in PERSONAS)
    return out


# -- running one case -----------------------------------------------------------------------------
def fill(value, names: Mapping[str, str] | None):
    """A template with the object's names (OBJECT_FIELDS) filled in."""
    if names is None:
        return value
    if isinstance(value, Mapping):
        return {k: fill(v, names) for k, v in value.items()}
    return value.format(**names) if isinstance(value, str) else value


def body_text(response) -> str:
    """Everything a reader gets from a response: the HTML or JSON text (with \\u escapes and
    entities undone) or every cell of an Excel workbook."""
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        return workbook_text(response.content)
    text = response.content.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(unescaped)


def workbook_text(content: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for sheet in workbook.worksheets:
        cells.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, float):
                    cells.append(f"{value:.2f}")
                cells.append(str(value))
    return "\n".join(cells)


def leaks(text: str, foreign: set[str], asked: str) -> list[str]:
    """The foreign strings in `text`, but those the request itself carried (a 404 may echo the
    code the caller typed)."""
    return sorted(s for s in foreign if s in text and s not in asked)


# -- the world: built once per test module -------------------------------------------------------
@dataclass
class World:
    users: dict[str, object]
    names: dict[str, dict[str, str]]  # GZ/JJ -> what fills the templates (OBJECT_FIELDS)
    station_strings: dict[str, tuple[str, ...]]
    foreign: dict[str, set[str]] = field(default_factory=dict)


def build_world(store) -> World:
    """The `network` fixture's stations and people, the named users, one sale per station in
    `store` and one failed sales import by each city agency."""
    import csv
    import tempfile
    from pathlib import Path

    from fucai.conftest import build_network, named_user
    from fucai.geo.models import Division
    from fucai.network.models import Station
    from fucai.sales.ingest.importer import import_files

    ganzhou, jiujiang = (Division.objects.get(code=c) for c in ("360700", "360400"))
    network = build_network(ganzhou, jiujiang)
    _give_an_owner("36040001", jiujiang)  # so that both cities' stations have a phone to show
    users = {p.name: named_user(p.user, network) for p in PERSONAS if p.user}
    users["superuser"] = type(users["province"]).objects.create_superuser("matrix_root")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "matrix-sales.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["station_code", "date", "game", "amount", "tickets"])
            writer.writerows([code, *sale, "100"] for code, sale in SALES.items())
        outcome = import_files([path], store=store, today=dt.date(2023, 12, 31))
        assert outcome.ok, outcome
    batches = {
        GZ: _failed_import(users["ganzhou"], ganzhou, GZ, "36110001"),
        JJ: _failed_import(users["jiujiang"], jiujiang, JJ, "36040002"),
    }
    people = {GZ: users["ganzhou"], JJ: users["jiujiang"]}  # a city agency's account of each city
    attachments = {obj: _a_photo(OBJECTS[obj]["station"], people[obj]) for obj in OBJECTS}
    partners = {obj: _a_partner(obj, OBJECTS[obj]["station"]) for obj in OBJECTS}
    names = {}
    for obj, fields in OBJECTS.items():
        county = Division.objects.get(code=fields["county"])
        names[obj] = {
            **fields,
            "lon": str(county.lon),
            "lat": str(county.lat),
            "batch": batches[obj],
            "user": str(people[obj].pk),
            "assignment": str(people[obj].role_assignments.first().pk),
            "attachment": str(attachments[obj].pk),
            "visit": str(_a_visit(OBJECTS[obj]["station"], people[obj]).pk),
            "partner": str(partners[obj].organisation_id),
            "partner_agreement": str(partners[obj].pk),
            "lead": str(_a_lead(obj, county).pk),
            "spacing_rule": str(_a_spacing_rule(obj, fields["city"]).pk),
            "scenario": str(_a_scenario(obj, county).pk),
            **_a_branch(obj, county.parent, people[obj]),
            "vanguard_consent": str(_a_vanguard_consent(OBJECTS[obj]["station"]).pk),
            "fund_rate": str(_a_fund_rate(obj).pk),
            "welfare_activity": str(_a_welfare_activity(fields["station"], people[obj]).pk),
            **_a_welfare_grant(obj, county, people[obj], users["welfare"]),
            **_an_evaluation(obj, fields["city"], network["manager"], people[obj]),
            "report_pack": str(_a_report_pack(fields["city"]).pk),
        }
    strings = {s.code: (s.name, s.address) for s in Station.objects.all()}
    for obj, agreement in partners.items():  # a partner is seen with its outlet
        code = OBJECTS[obj]["station"]
        strings[code] = (*strings[code], agreement.organisation.name)
    world = World(users, names, strings)
    world.foreign = {p.name: foreign_strings(p, strings) for p in PERSONAS}
    return world


def _a_report_pack(city_code: str):
    """The city's report pack of 2023-Q3, made (a workbook naming only its city)."""
    from django.core.files.base import ContentFile

    from fucai.core.excel import table_workbook, workbook_bytes
    from fucai.geo.models import Division
    from fucai.reports.models import ReportPack

    city = Division.objects.get(code=city_code)
    pack = ReportPack.objects.create(
        scope=city.code,
        city=city,
        kind="quarterly",
        period="2023-Q3",
        as_of=dt.date(2023, 9, 30),
        status="done",
        progress=100,
    )
    content = workbook_bytes(table_workbook(["范围"], [[city.name]], title="说明"))
    pack.file.save(f"{city.code}-2023-Q3.xlsx", ContentFile(content))
    return pack


def _give_an_owner(code: str, city) -> None:
    from fucai.network.models import Station, StationOwner

    name, phone, id_number = JIUJIANG_OWNER
    owner = StationOwner.objects.create(name=name, phone=phone, id_number=id_number, city=city)
    Station.objects.filter(code=code).update(owner=owner)


def _a_photo(code: str, user):
    """A photo of the station, as its city agency would attach it (fucai.core.attachments)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from fucai.core.attachments import store_attachment
    from fucai.network.models import Station

    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 16, 46)).save(out, format="JPEG")
    photo = SimpleUploadedFile(f"{code}.jpg", out.getvalue(), content_type="image/jpeg")
    return store_attachment(photo, owner=Station.objects.get(code=code), user=user)


def _a_visit(code: str, user):
    """A field visit to the station by its city agency (fucai.network.visits)."""
    from fucai.network.models import Station
    from fucai.network.visits import record_visit

    data = {"visited_on": dt.date(2023, 8, 1), "purpose": "routine", "findings": "矩阵"}
    return record_visit(user, Station.objects.get(code=code), data, uuid.uuid4()).visit


def _a_partner(obj: str, code: str):
    """A partner organisation of the station's city with the station as its outlet, a site and
    an agreement with a contact (personal data); returns the agreement."""
    from fucai.network.models import PartnerAgreement, PartnerOrganisation, PartnerSite, Station

    station = Station.objects.select_related("city").get(code=code)
    partner = PartnerOrganisation.objects.create(
        name=f"矩阵{obj}联姻集团", city=station.city, contact_name="矩阵联系人"
    )
    site = PartnerSite.objects.create(organisation=partner, name=f"矩阵{obj}广场")
    Station.objects.filter(pk=station.pk).update(partner=partner, partner_site=site)
    return PartnerAgreement.objects.create(
        organisation=partner,
        signed_on=dt.date(2022, 1, 1),
        starts_on=dt.date(2022, 1, 1),
        contact_name="矩阵联系人",
        contact_phone=PARTNER_CONTACTS[obj],
    )


def _a_lead(obj: str, county):
    """A lead (布点机会) in the county, from a poster, with a contact (personal data)."""
    from fucai.network.models import Lead, LeadStatusChange

    lead = Lead.objects.create(
        contact_name="矩阵线索人",
        contact_phone=LEAD_CONTACTS[obj],
        county=county,
        address=f"矩阵{obj}线索路1号",
        lon=county.lon,
        lat=county.lat,
        scene="supermarket",
        operation="dedicated",
        source="poster",
        received_on=dt.date(2023, 5, 1),
    )
    LeadStatusChange.objects.create(lead=lead, status="new", date=lead.received_on)
    return lead


def _a_scenario(obj: str, county):
    """A finished siting scenario of the county's city with one chosen site in the county."""
    from fucai.planning.models import SitingScenario, SitingSite

    scenario = SitingScenario.objects.create(
        name=f"矩阵{obj}选址方案",
        city=county.parent,
        as_of=dt.date(2023, 9, 3),
        new=1,
        operation="dedicated",
        radius_urban_m=500,
        radius_town_m=1000,
        radius_rural_m=2000,
        status="done",
        population=10_000,
        covered_before=1_000,
        covered_after=2_000,
        upper_bound=2_000,
        gap_pct=0.0,
    )
    SitingSite.objects.create(
        scenario=scenario,
        rank=1,
        lon=county.lon,
        lat=county.lat,
        cell="88411c0000fffff",
        county=county,
        new_population=1_000,
    )
    return scenario


def _a_branch(obj: str, city, user) -> dict[str, str]:
    """The city's Party branch with one member (personal data) and one committee meeting."""
    from fucai.party.models import Branch, Meeting, Member

    branch = Branch.objects.create(code=f"DZ{city.code}", name=f"矩阵{obj}党支部", city=city)
    name, phone = PARTY_MEMBERS[obj]
    member = Member.objects.create(
        branch=branch, name=name, phone=phone, role="secretary", joined_on=dt.date(2001, 7, 1)
    )
    meeting = Meeting.objects.create(
        branch=branch,
        meeting_type="committee",
        held_on=dt.date(2023, 8, 1),
        topic=f"矩阵{obj}支委会",
        led_by=member,
        recorded_by=user,
    )
    meeting.attendees.add(member)
    return {
        "branch": branch.code,
        "meeting": str(meeting.pk),
        "member": str(member.pk),
        **_party_work(branch, member, user),
    }


def _party_work(branch, member, user) -> dict[str, str]:
    """The branch's cadre paired with the city's station, assigned to its county, and a
    finished effect study of the city."""
    from fucai.network.models import Station
    from fucai.party.models import AreaAssignment, EffectStudy, Pairing, PairingScheme

    obj = GZ if branch.city.code == OBJECTS[GZ]["city"] else JJ
    station = Station.objects.get(code=OBJECTS[obj]["station"])
    scheme = PairingScheme.objects.create(
        branch=branch, name=f"矩阵{obj}结对方案", started_on=dt.date(2023, 1, 1)
    )
    pairing = Pairing.objects.create(
        scheme=scheme, member=member, station=station, started_on=dt.date(2023, 2, 1)
    )
    area = AreaAssignment.objects.create(
        branch=branch,
        member=member,
        kind="county",
        county=station.county,
        started_on=dt.date(2023, 3, 1),
    )
    study = EffectStudy.objects.create(
        branch=branch,
        city=branch.city,
        treatment="pairing",
        first=dt.date(2021, 1, 1),
        last=dt.date(2023, 9, 3),
        control_group="matched_never_treated",
        status="done",
        result={"estimate_pct": 1.0, "ci_low_pct": -1.0, "ci_high_pct": 3.0, "event_study": []},
        created_by=user,
    )
    return {"pairing": str(pairing.pk), "area": str(area.pk), "study": str(study.pk)}


def _a_vanguard_consent(code: str):
    """A consent (党员先锋示范岗) of the station's owner, given in 2023 and not revoked."""
    from fucai.network.models import Station
    from fucai.party.models import VanguardConsent

    owner = Station.objects.get(code=code).owner
    return VanguardConsent.objects.create(owner=owner, given_on=dt.date(2023, 3, 1))


def _a_fund_rate(obj: str):
    """A public-welfare fund rate (published, province-wide): 双色球's for 赣州's case, 快乐8's
    for 九江's (the rates are not a city's: both cases are every role's to read)."""
    from fucai.sales.models import Game
    from fucai.welfare.models import FundRate

    game = Game.objects.get(code="ssq" if obj == GZ else "kl8")
    return FundRate.objects.create(
        game=game, valid_from=dt.date(2021, 1, 1), rate=Decimal("0.3600"), source="matrix"
    )


def _a_welfare_activity(code: str, user):
    """A publicity placement at the station's address (its strings are the station's: they must
    not reach another city's roles), and a welfare post's services recorded for the station."""
    from fucai.network.models import Station
    from fucai.welfare.models import WelfareActivity, WelfarePost

    station = Station.objects.get(code=code)
    WelfarePost.objects.create(station=station, services=["water", "rest"], opening_note="8:30")
    return WelfareActivity.objects.create(
        kind="banner",
        title=f"{station.name} 宣传条幅",
        city=station.city,
        county=station.county,
        address=station.address,
        lon=station.lon,
        lat=station.lat,
        held_on=dt.date(2023, 5, 1),
        people_reached=321,
        recorded_by=user,
    )


def _a_welfare_grant(obj: str, county, entrant, officer) -> dict[str, str]:
    """A welfare project of the city, a household (personal data) with an approved grant on a
    public notice whose period has ended, and an open objection to it (so a payment is refused)."""
    from fucai.welfare.models import Grant, GrantStep, Household, Notice, Objection, Project

    project_name, village = WELFARE_STRINGS[obj]
    name, id_number, phone, address = BENEFICIARIES[obj]
    city = county.parent
    project = Project.objects.create(
        city=city, name=project_name, kind="household_aid", budget_fen=1_000_000, source_year=2023
    )
    household = Household.objects.create(
        city=city,
        county=county,
        village=village,
        name=name,
        id_number=id_number,
        phone=phone,
        address=address,
        circumstances="矩阵因病致困",
    )
    notice = Notice.objects.create(
        city=city,
        title=f"{project_name}公示",
        starts_on=dt.date(2023, 8, 1),
        ends_on=dt.date(2023, 8, 7),
        contact="矩阵联系电话",
        created_by=entrant,
    )
    grant = Grant.objects.create(
        project=project,
        recipient_kind="household",
        household=household,
        village=village,
        year=2023,
        amount_fen=100_000,
        status="approved",
        applied_on=dt.date(2023, 7, 1),
        approved_on=dt.date(2023, 7, 20),
        entered_by=entrant,
        notice=notice,
    )
    for kind, day in (("application", 1), ("review", 10), ("approval", 20)):
        GrantStep.objects.create(grant=grant, kind=kind, on=dt.date(2023, 7, day), by=officer)
    objection = Objection.objects.create(
        grant=grant, received_on=dt.date(2023, 8, 3), text="矩阵异议", recorded_by=entrant
    )
    return {
        "welfare_project": str(project.pk),
        "grant": str(grant.pk),
        "household": str(household.pk),
        "notice": str(notice.pk),
        "objection": str(objection.pk),
    }


def _a_spacing_rule(obj: str, city_code: str):
    """A city's spacing rule against an empty point layer (it refuses no site)."""
    from fucai.geo.models import Division
    from fucai.network.models import PointLayer, SpacingRule

    layer, _created = PointLayer.objects.get_or_create(name="矩阵空图层")
    return SpacingRule.objects.create(
        name=f"矩阵{obj}规则",
        applies_to="dedicated",
        target="layer",
        layer=layer,
        min_m=1,
        city=Division.objects.get(code=city_code),
    )


def _failed_import(user, city, obj: str, station: str) -> str:
    """A refused upload by a city agency, whose error names one of its stations."""
    from django.utils import timezone

    from fucai.sales.choices import ImportKind, ImportStatus
    from fucai.sales.models import SalesImport

    batch = uuid.uuid4()
    SalesImport.objects.create(
        batch=batch,
        user=user,
        user_name=user.username,
        city=city,
        file_name=IMPORT_FILES[obj],
        file_sha256="0" * 64,
        kind=ImportKind.DAILY,
        status=ImportStatus.FAILED,
        finished_at=timezone.now(),
        error_count=1,
        errors=[
            {
                "file": IMPORT_FILES[obj],
                "row": 2,
                "column": "amount",
                "code": "bad_amount",
                "value": station,
                "detail": station,
            }
        ],
    )
    return str(batch)


MATRIX_SCHEME = "matrix-managers"
JIUJIANG_EVALUATED = "矩阵管理员丙"


def _an_evaluation(obj: str, city_code: str, manager, user) -> dict[str, str]:
    """A published, frozen run of a small manager scheme (stored once, shared) with one manager
    of the city (赣州: the market manager of the `network` fixture; 九江: a manager of its own),
    with robustness, and an open objection against the result."""
    from fucai.evaluation.inputs import InputTable
    from fucai.evaluation.models import EvaluationObjection, EvaluationScheme
    from fucai.evaluation.runs import freeze, new_run, publish
    from fucai.evaluation.schemes_store import save_scheme
    from fucai.geo.models import Division
    from fucai.network.models import MarketManager

    row = EvaluationScheme.objects.filter(name=MATRIX_SCHEME).first() or save_scheme(
        MATRIX_SCHEME_TEXT, user, valid_from=dt.date(2023, 1, 1)
    )
    if obj == JJ:
        city = Division.objects.get(code=city_code)
        manager = MarketManager.objects.create(
            employee_code="JJ001", name="矩阵管理员丙", city=city
        )
    code = manager.employee_code
    table = InputTable(
        population="market_managers",
        period="2023",
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        ids=(code,),
        labels={code: manager.name},
        cities={code: city_code},
        values={"done": {code: 0.9}, "visits": {code: 1.5}},
        sources={"done": {code: f"/sales/cockpit/?city={city_code}"}},
        data_version="matrix",
    )
    run = freeze(new_run(row, "2023", dt.date(2023, 12, 31), user, draws=20), table)
    publish(run, user)
    result = run.results.get()
    objection = EvaluationObjection.objects.create(result=result, text="矩阵异议", filed_by=user)
    return {
        "evaluation_run": str(run.pk),
        "evaluation_result": str(result.pk),
        "evaluation_objection": str(objection.pk),
    }


MATRIX_SCHEME_TEXT = """
name: matrix-managers
title: 矩阵考核方案
version: 1
population: market_managers
period: year
indicators:
  - {name: done, label: 完成率, source: target_completion, direction: benefit,
     normalisation: {method: goalpost, lower: 0.5, upper: 1.0}, cap: null}
  - {name: visits, label: 走访, source: visits_per_station_month, direction: benefit,
     normalisation: {method: goalpost, lower: 0, upper: 2}, cap: null}
weights: {method: direct, values: {done: 0.6, visits: 0.4}}
aggregation: {method: weighted_sum, scale: 100, ties: min}
grades: {by: thresholds, bands: [{name: 优, min_score: 80}, {name: 中, min_score: null}]}
elimination: null
partial_period: {counts: scale_goalposts, indicators: []}
pay: null
robustness: {draws: 20, seed: 1, concentration: 50, percentiles: [5, 95],
             grade_confidence: 0.8, elimination_between: [0.05, 0.95]}
"""
