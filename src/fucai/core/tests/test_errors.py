"""The error pages (fucai/core/errors.py) with DEBUG=False, as in production: inside the shell, in
the user's language, with the reason and a way back; JSON under /api/; a 403 logged on one line."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path, reverse

from fucai import urls as fucai_urls
from fucai.core.errors import ClientErrorsOnOneLine

SALES_REFUSAL_ZH = "只有省中心和市级机构可以导入销售数据。"
SALES_REFUSAL_EN = "Only the provincial centre and city agencies import sales."


# A URLconf with views that fail, and fucai's own handlers (looked up in the ROOT_URLCONF).
def _crash(request):
    from fucai.geo.models import Division

    Division.objects.count()  # without database access this is the first thing that fails
    raise RuntimeError("boom")


def _refuse(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("a tampered request")


def _broken_context_processor(request):
    raise RuntimeError("the navigation's database is down")


urlpatterns = [
    path("test-errors/crash/", _crash),
    path("test-errors/refuse/", _refuse),
    path("test-errors/suspicious/", _suspicious),
    path("api/test-errors/crash/", _crash),
    path("api/test-errors/refuse/", _refuse),
    *fucai_urls.urlpatterns,
]
handler400 = fucai_urls.handler400
handler403 = fucai_urls.handler403
handler404 = fucai_urls.handler404
handler500 = fucai_urls.handler500

with_failing_views = override_settings(ROOT_URLCONF=__name__)


def _client(user=None, language: str | None = None, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _text(response) -> str:
    return response.content.decode()


def _shell_page(response, status: int, username: str | None = None) -> str:
    """The body of an error page in the app's shell: the top bar with the language switcher and,
    for a signed-in user, the menu and their name."""
    assert response.status_code == status
    body = _text(response)
    assert 'class="fc-topbar"' in body and 'id="fc-language"' in body
    assert ('class="fc-nav"' in body) == (username is not None)
    assert username is None or username in body
    return body


# --- 403 ------------------------------------------------------------------------------------------


def test_a_refused_sales_import_shows_the_reason_in_chinese_inside_the_shell(market_manager_user):
    response = _client(market_manager_user).get(reverse("sales:import_new"))
    body = _shell_page(response, 403, "manager_user")
    assert '<html lang="zh-hans">' in body
    assert "无权访问" in body
    assert SALES_REFUSAL_ZH in body
    assert f'href="{reverse("core:home")}">返回首页' in body


def test_a_refused_sales_import_is_in_english_with_the_language_cookie(market_manager_user):
    response = _client(market_manager_user, "en").get(reverse("sales:import_new"))
    body = _shell_page(response, 403, "manager_user")
    assert '<html lang="en">' in body
    assert "Access denied" in body and SALES_REFUSAL_EN in body
    assert "Back to the home page" in body
    assert "无权访问" not in body


def test_a_refused_station_import_shows_its_own_reason(market_manager_user):
    response = _client(market_manager_user).get(reverse("network:import"))
    assert response.status_code == 403
    assert "只有省中心和市级机构可以导入站点。" in _text(response)


@with_failing_views
def test_a_403_without_a_message_gives_a_generic_reason(ganzhou_user):
    response = _client(ganzhou_user).get("/test-errors/refuse/")
    assert response.status_code == 403
    assert "您没有权限打开此页面。" in _text(response)


def test_the_403_page_links_back_to_the_page_the_user_came_from(market_manager_user):
    came_from = "http://testserver/network/stations/"
    response = _client(market_manager_user).get(
        reverse("sales:import_new"), headers={"referer": came_from}
    )
    assert f'href="{came_from}">返回上一页' in _text(response)


def test_the_403_page_does_not_link_back_to_another_site(market_manager_user):
    response = _client(market_manager_user).get(
        reverse("sales:import_new"), headers={"referer": "https://evil.example/phish"}
    )
    body = _text(response)
    assert "evil.example" not in body and "返回上一页" not in body


def test_a_403_is_logged_on_one_line_without_a_traceback(market_manager_user, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        _client(market_manager_user).get(reverse("sales:import_new"))
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None and record.exc_text is None
    assert record.getMessage() == (
        f"Forbidden (Permission denied): /sales/imports/new/: {SALES_REFUSAL_ZH}"
    )
    assert "Traceback" not in caplog.text


@with_failing_views
def test_the_console_prints_a_400_of_django_security_on_one_line(ganzhou_user):
    [console] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, ClientErrorsOnOneLine) for f in handler.filters)
    ]
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        response = _client(ganzhou_user).get("/test-errors/suspicious/")
    finally:
        console.setStream(previous)
    assert response.status_code == 400
    assert "请求无效" in _text(response)
    assert stream.getvalue() == "a tampered request: /test-errors/suspicious/\n"


def test_a_request_for_a_foreign_host_gets_the_400_page_in_the_shell(db):
    response = _client().get("/", headers={"host": "evil.example"})
    body = _shell_page(response, 400)
    assert "请求无效" in body and "请检查网址或表单后重试" in body


# --- 404 ------------------------------------------------------------------------------------------


def test_an_unknown_page_is_a_404_in_chinese_inside_the_shell(ganzhou_user):
    response = _client(ganzhou_user).get("/no/such/page/")
    body = _shell_page(response, 404, "ganzhou_user")
    assert "页面不存在" in body
    assert "您要查看的页面或记录不存在，或不在您的范围内。" in body


def test_the_404_page_is_in_english_with_the_language_cookie(ganzhou_user):
    body = _text(_client(ganzhou_user, "en").get("/no/such/page/"))
    assert "Page not found" in body
    assert "does not exist, or is not in your scope" in body


def test_a_404_offers_an_anonymous_visitor_to_log_in(db):
    response = _client().get("/no/such/page/")
    body = _shell_page(response, 404)
    assert 'href="/login/?next=%2Fno%2Fsuch%2Fpage%2F">登录' in body


def _normalised(response, code: str) -> str:
    """The body without what differs between any two requests (the masked CSRF tokens) and with
    the requested code replaced."""
    body = re.sub(
        r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', r"\1TOKEN", _text(response)
    )
    return body.replace(code, "CODE")


def test_another_citys_station_gives_exactly_the_404_of_a_station_that_does_not_exist(
    network, ganzhou_user
):
    client = _client(ganzhou_user)
    jiujiang_station = client.get(reverse("network:station_detail", args=["36040001"]))
    no_station = client.get(reverse("network:station_detail", args=["36049999"]))
    assert jiujiang_station.status_code == no_station.status_code == 404
    assert _normalised(jiujiang_station, "36040001") == _normalised(no_station, "36049999")
    assert "浔阳区" not in _text(jiujiang_station)


# --- 500 ------------------------------------------------------------------------------------------


def _templates_with_a_broken_context_processor() -> list[dict]:
    [engine] = settings.TEMPLATES
    processors = engine["OPTIONS"]["context_processors"]
    broken = f"{__name__}._broken_context_processor"
    return [
        {**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": [*processors, broken]}}
    ]


@with_failing_views
@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (None, ('<html lang="zh-hans">', "服务器错误", "已记录在日志中", "返回首页")),
        ("en", ('<html lang="en">', "Server error", "has been logged", "Back to the home page")),
    ],
)
def test_a_server_error_renders_without_the_database_nor_the_context_processors(language, texts):
    """No database access in this test (any query fails) and a context processor that fails."""
    client = _client(language=language, raise_request_exception=False)
    with override_settings(TEMPLATES=_templates_with_a_broken_context_processor()):
        response = client.get("/test-errors/crash/")
    assert response.status_code == 500
    body = _text(response)
    assert all(text in body for text in texts), body
    assert 'class="fc-topbar"' in body and 'class="fc-nav"' not in body


# --- CSRF failure ---------------------------------------------------------------------------------


def test_a_post_without_a_csrf_token_says_the_page_expired(network, ganzhou_user):
    client = _client(ganzhou_user, enforce_csrf_checks=True)
    response = client.post(
        reverse("network:station_edit", args=["36110001"]),
        {"address": "改掉"},
        headers={"referer": "http://testserver/network/stations/36110001/"},
    )
    body = _shell_page(response, 403, "ganzhou_user")
    assert "页面已过期，请返回并刷新页面后重试。" in body
    assert 'href="http://testserver/network/stations/36110001/">返回上一页' in body


def test_the_csrf_failure_page_is_in_english_with_the_language_cookie(db):
    client = _client(language="en", enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    body = _shell_page(response, 403)
    assert "Page expired" in body and "reload the page" in body
    assert 'href="/login/">Log in' in body  # after a POST, no way "back" to it


# --- API ------------------------------------------------------------------------------------------


NOT_FOUND_ZH = "您要查看的页面或记录不存在，或不在您的范围内。"


def test_an_api_404_stays_json_and_says_the_same_for_out_of_scope_and_absent(network, ganzhou_user):
    client = _client(ganzhou_user)
    for address in ("network/stations/36040001", "network/stations/36049999", "no/such/endpoint"):
        response = client.get(f"/api/{address}")
        assert response.status_code == 404
        assert response.json() == {"detail": NOT_FOUND_ZH}


def test_an_api_404_is_in_english_with_the_language_cookie(network, ganzhou_user):
    response = _client(ganzhou_user, "en").get("/api/network/stations/36040001")
    assert response.json() == {
        "detail": "The page or record you asked for does not exist, or is not in your scope."
    }


@with_failing_views
def test_api_403_and_500_stay_json(ganzhou_user):
    client = _client(ganzhou_user, raise_request_exception=False)
    refused = client.get("/api/test-errors/refuse/")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "您没有权限打开此页面。"}
    crashed = client.get("/api/test-errors/crash/")
    assert crashed.status_code == 500
    assert crashed["Content-Type"] == "application/json"
    assert crashed.json()["detail"].startswith("系统出现错误")


def test_an_api_csrf_failure_stays_json(network, ganzhou_user):
    client = _client(ganzhou_user, enforce_csrf_checks=True)
    response = client.patch("/api/network/stations/36110001", "{}", content_type="application/json")
    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/network/stations/3607%00",
        "/api/network/stations?q=%00",
        "/network/stations/?q=a%00b",
    ],
)
def test_a_nul_character_in_the_path_or_query_is_a_bad_request_not_a_server_error(
    client, network, province_admin, url
):
    client.force_login(province_admin)
    response = client.get(url)
    assert response.status_code == 400


@pytest.mark.django_db
def test_an_upload_larger_than_the_limit_is_refused_before_its_body_is_read(
    client, network, province_admin, settings
):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(province_admin)
    body = b"x" * 16  # the declared length is what counts: the body is never read
    response = client.generic(
        "POST",
        "/sales/imports/new/",
        body,
        content_type="text/csv",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "1 MB" in response.content.decode()
    api = client.generic(
        "POST",
        "/api/network/stations",
        body,
        content_type="text/csv",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
    )
    assert api.status_code == 413
    assert "1 MB" in api.json()["detail"]
