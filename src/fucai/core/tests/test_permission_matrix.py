"""The permission matrix: every URL of the URLconf and every operation of the OpenAPI schema, for
every role, with objects of 赣州 and of 九江 (fucai.core.testing.matrix; each app declares its
URLs in its `access` module). A URL nobody declared fails here."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from fucai.api import api
from fucai.core.testing import matrix
from fucai.core.testing.matrix import ADMIN_LOGIN, LOGIN, PERSONAS

SCHEMA = api.get_openapi_schema()
OPERATIONS = matrix.operations(SCHEMA)
ROUTES = matrix.routes()
PAGES = matrix.page_routes(ROUTES, OPERATIONS)
# the admin's own login and logout pages are the way in and out, for everybody
ADMIN = [
    r for r in ROUTES if r.namespace == "admin" and r.key not in ("admin:login", "admin:logout")
]
DECLARED = matrix.declarations()
WHERE = {
    **{r.key: r.key for r in PAGES},
    **{op.key: op.path for op in OPERATIONS},
}
CASES = matrix.cases(DECLARED, WHERE)
OPERATION = {op.key: op for op in OPERATIONS}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The network, the named users and a little sales data, built once for the module inside a
    transaction rolled back at the end (each test runs in a savepoint of it)."""
    from fucai.sales.store import SalesStore

    data_dir = tmp_path_factory.mktemp("matrix-data")
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with (
        django_db_blocker.unblock(),
        override_settings(DATA_DIR=data_dir),
        fast_hashing,
        transaction.atomic(),
    ):
        yield matrix.build_world(SalesStore(data_dir / "sales"))
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def browser():
    """One test client for the module (a new one loads the middleware, WhiteNoise's scan of
    the static files included, again): `as_(user)` logs it in as that user, or out."""

    class Browser(Client):
        def as_(self, user) -> Client:
            self.logout()
            if user is not None:
                self.force_login(user)
            return self

    return Browser()


def test_every_url_and_api_operation_declares_what_each_role_gets():
    undeclared = sorted(set(WHERE) - set(DECLARED))
    assert not undeclared, (
        "no permission-matrix expectation for these URLs / API operations: declare them in "
        f"the owning app's access.py (fucai.core.testing.matrix): {undeclared}"
    )
    stale = sorted(set(DECLARED) - set(WHERE))
    assert not stale, f"access.py declares URLs that do not exist: {stale}"


def test_the_matrix_walks_the_api_and_the_pages_of_every_app():
    assert {"network:station_detail", "sales:import_errors", "geo:boundaries", "login"} <= set(
        WHERE
    )
    assert "fucai_sales_api_cockpit_sales_map" in OPERATION
    assert len(OPERATIONS) >= 18 and len(ADMIN) >= 20


def _request(case: matrix.Case, world, browser):
    expect = case.expect
    names = world.names[case.obj] if case.obj else None
    path, query = matrix.fill(dict(expect.path), names), matrix.fill(dict(expect.query), names)
    data = matrix.fill(expect.data, names)
    url = case.route.format(**path) if expect.api else reverse(case.route, kwargs=path or None)
    client = browser.as_(world.users.get(case.persona.name))
    send = getattr(client, expect.method.lower())
    if expect.method == "GET":
        return send(url, query), f"{url} {query}"
    if expect.api:
        target = url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        body = json.dumps(data or {})
        return send(target, body, content_type="application/json"), f"{url} {body}"
    return send(url, data or {}), f"{url} {data}"


def _status(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("login")):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
    return response.status_code


def _marks(case: matrix.Case):
    reason = case.expect.xfail.get(case.persona.name)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@pytest.mark.django_db
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=_marks(c)) for c in CASES])
def test_every_role_gets_what_the_url_declares_and_reads_nothing_outside_its_reach(
    case, world, browser
):
    response, asked = _request(case, world, browser)
    expected = case.expected()
    got = _status(response)
    assert got == expected, (
        f"{case.id}: expected {expected}, got {got} "
        f"({response.get('Location', '')}{response.content[:300]!r})"
    )
    if not case.expect.scan:
        return
    leaked = matrix.leaks(matrix.body_text(response), world.foreign[case.persona.name], asked)
    assert not leaked, f"{case.id} shows what {case.persona.name} must not see: {leaked}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ADMIN, ids=[r.route for r in ADMIN])
def test_the_admin_is_for_superusers_only(route, world, browser):
    url = matrix.admin_url(route.route)
    for persona in PERSONAS:
        got = _status(browser.as_(world.users.get(persona.name)).get(url))
        assert got == ADMIN_LOGIN, f"{url} for {persona.name}: {got}"
    got = _status(browser.as_(world.users["superuser"]).get(url))
    assert got != ADMIN_LOGIN and (not isinstance(got, int) or got < 500), f"{url}: {got}"
