"""fucai's REST API (django-ninja), mounted at /api/, with OpenAPI docs at /api/docs.

Callers authenticate with their browser session (unsafe methods need the CSRF token) or with an
API token (`Authorization: Bearer <key>`, see `fucai accounts token create`). Every endpoint
starts from `Model.objects.restrict(auth_user(request), action)`; see docs/api.md."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from fucai.accounts.api.auth import SessionAuth, TokenAuth
from fucai.core.api.auth import act_as_api_user
from fucai.core.errors import error_texts
from fucai.core.registry import api_routers


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese text as is (兴国县), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="fucai API",
    version="1",
    description="The station network of the welfare-lottery centre, in the caller's scope.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    renderer=ChineseJSONRenderer(),
)
api.add_decorator(act_as_api_user)
for prefix, router in api_routers():  # each module's router, from its apps.py (fucai.core.registry)
    api.add_router(prefix, import_string(router.replace(":", ".")))


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    """Rules of the domain (a bad code, a transition that is not allowed): 422 with the reasons."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, {"detail": " ".join(exc.messages), "errors": errors}, status=422
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404):
    """404 in the caller's language, never saying why (out of scope and absent look the same):
    the words of the 404 page and of an unknown /api/ address."""
    _title, reason = error_texts(404)
    return api.create_response(request, {"detail": reason}, status=404)
