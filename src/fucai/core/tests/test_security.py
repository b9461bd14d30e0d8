"""Deployment headers: the Content-Security-Policy on every page, no caching of rows (API, exports,
JSON), cookies and HSTS over TLS (FUCAI_HTTPS), and `fucai check --deploy` clean in production."""

from __future__ import annotations

import json
import secrets
import sys

import pytest
from django.conf import settings

from fucai.core.tests.test_settings import FUCAI_CHECK, start

PRODUCTION = {
    "FUCAI_DEBUG": "false",
    "FUCAI_HTTPS": "true",
    "FUCAI_SECRET_KEY": secrets.token_urlsafe(50)[:50],
}

# Run in a fresh process (settings are read at start): GET /login/ over HTTP and over HTTPS, and
# print what a browser would be told.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/login/", **{HEADERS})
tls = client.get("/login/", secure=True)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "hsts": tls.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(tls.cookies["csrftoken"]["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def probe(data_dir, headers: dict | None = None, **env: str) -> dict:
    code = PROBE.replace("{HEADERS}", repr(headers or {}))
    result = start([sys.executable, "-c", code], data_dir, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def test_the_demo_over_plain_http_sends_cookies_without_secure_and_no_hsts(data_dir):
    seen = probe(data_dir)
    assert seen["plain_status"] == 200
    assert seen["hsts"] is None
    assert seen["csrf_cookie_secure"] is False
    assert seen["session_cookie_secure"] is False


def test_with_fucai_https_cookies_are_secure_http_redirects_and_hsts_lasts_a_year(data_dir):
    seen = probe(data_dir, FUCAI_HTTPS="true")
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://testserver/login/"
    assert seen["hsts"] == "max-age=31536000; includeSubDomains"
    assert seen["csrf_cookie_secure"] is True
    assert seen["session_cookie_secure"] is True


def test_behind_a_tls_proxy_its_header_marks_the_request_secure(data_dir):
    seen = probe(
        data_dir,
        {"HTTP_X_FORWARDED_PROTO": "https"},
        FUCAI_HTTPS="true",
        FUCAI_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
    )
    assert seen["plain_status"] == 200  # the proxy spoke TLS with the browser: no redirect


def test_fucai_hsts_seconds_shortens_hsts_for_a_first_rollout(data_dir):
    seen = probe(data_dir, FUCAI_HTTPS="true", FUCAI_HSTS_SECONDS="300")
    assert seen["hsts"] == "max-age=300; includeSubDomains"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FUCAI_HTTPS", "sometimes", "FUCAI_HTTPS='sometimes' is not a boolean"),
        (
            "FUCAI_PROXY_SSL_HEADER",
            "https",
            "FUCAI_PROXY_SSL_HEADER='https' is not 'Header-Name: value'",
        ),
        ("FUCAI_PROXY_SSL_HEADER", "X Proto: https", "is not 'Header-Name: value'"),
        ("FUCAI_HSTS_SECONDS", "-1", "FUCAI_HSTS_SECONDS=-1 must be at least 0"),
    ],
)
def test_a_bad_security_setting_stops_start_up_naming_the_variable(data_dir, name, value, message):
    result = start(FUCAI_CHECK, data_dir, **{name: value})
    assert result.returncode == 2
    assert message in result.stderr


def test_fucai_check_deploy_is_clean_with_production_settings(data_dir):
    result = start([*FUCAI_CHECK, "--deploy", "--fail-level", "WARNING"], data_dir, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_fucai_check_deploy_warns_without_https(data_dir):
    production_over_http = {**PRODUCTION, "FUCAI_HTTPS": "false"}
    result = start([*FUCAI_CHECK, "--deploy"], data_dir, **production_over_http)
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT


@pytest.mark.django_db
def test_every_page_and_error_page_carries_the_content_security_policy(client, province_admin):
    client.force_login(province_admin)
    for path in ("/", "/network/stations/", "/no-such-page/"):
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert policy == settings.CONTENT_SECURITY_POLICY
        directives = dict(d.split(" ", 1) for d in policy.split("; "))
        assert directives["script-src"].startswith("'self'")
        assert "unsafe" not in directives["script-src"]  # no inline script, no eval
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"


@pytest.mark.django_db
def test_the_login_page_carries_the_policy_too(client):
    assert "object-src 'none'" in client.get("/login/")["Content-Security-Policy"]


@pytest.mark.django_db
def test_api_json_is_never_stored_by_a_cache(client, network, province_admin):
    client.force_login(province_admin)
    response = client.get("/api/network/stations")
    assert response.status_code == 200
    assert response.json()["count"] == 5
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_an_api_error_is_not_stored_either(client):
    response = client.get("/api/network/stations")
    assert response.status_code == 401
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_an_excel_export_is_never_stored_by_a_cache(client, network, province_admin):
    client.force_login(province_admin)
    response = client.get("/network/?as_of=2023-09-03&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_map_stations_json_is_not_stored_but_boundaries_keep_their_own_caching(
    client, network, province_admin
):
    client.force_login(province_admin)
    stations = client.get("/network/map/stations.json?as_of=2023-09-03")
    assert len(stations.json()["stations"]) == 5
    assert stations["Cache-Control"] == "no-store"
    boundaries = client.get("/geo/boundaries/city.geojson")
    assert boundaries["Cache-Control"] == "private, max-age=3600"


@pytest.mark.django_db
def test_an_ordinary_page_is_left_to_the_browsers_defaults(client, province_admin):
    client.force_login(province_admin)
    assert "no-store" not in client.get("/").get("Cache-Control", "")
