"""The API has no 5xx (issue 7, item 7): schemathesis generates requests from the OpenAPI schema,
a bounded and reproducible number per operation, with a province token and a 赣州 city token, and
checks that no answer is a server error and every answer matches its schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from fucai.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
CHECKS = [not_a_server_error, schemathesis.checks.response_schema_conformance]
EXAMPLES = 25
# Server errors the fuzzing found once and that stay fixed (fucai.core.api.paging): page numbers
# far beyond the database's integer range.
HUGE_PAGES = [
    ("province", "/api/network/managers?page=651537312524241664"),
    ("province", "/api/network/territories?page=24650267703945015089709449216"),
    ("city", "/api/network/partners?page_size=10000000000&page=20054481779768737059045376"),
]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI app schemathesis calls closes the database connection after each request, as
    Django does in production; Django's test client switches that off and so do we, or
    PostgreSQL loses the test transaction after the first request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(request, network, settings, tmp_path):
    """`Authorization` headers of a province user and a 赣州 city agency user."""
    from fucai.accounts.models import ApiToken
    from fucai.conftest import named_user

    settings.DATA_DIR = tmp_path / "data"  # an empty sales store of its own
    users = {"province": named_user("province_admin"), "city": named_user("ganzhou_user")}
    return {
        role: {"Authorization": f"Bearer {ApiToken.issue(u, 'fuzz')[1]}"}
        for role, u in users.items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["province", "city"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_generated_request_gets_a_server_error_or_an_answer_outside_its_schema(
    case, caller, bearer
):
    case.call_and_validate(headers=bearer[caller], checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.parametrize(("caller", "url"), HUGE_PAGES)
def test_a_page_number_out_of_range_is_refused_not_a_server_error(client, bearer, caller, url):
    response = client.get(url, headers=bearer[caller])
    assert response.status_code < 500, response.content
