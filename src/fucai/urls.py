from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fucai.accounts.views import LoginView
from fucai.api import api
from fucai.core.registry import url_includes

# The admin site bypasses row scope, so only superusers (provincial administrators) may use it.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = "fucai 福彩"

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),  # throttled (fucai.accounts.throttle)
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # each module's pages, from its apps.py (fucai.core.registry)
    *(path(prefix, include(module)) for prefix, module in url_includes()),
]

# Error pages in the app's shell and the user's language; JSON under /api/ (fucai/core/errors.py).
handler400 = "fucai.core.errors.bad_request"
handler403 = "fucai.core.errors.permission_denied"
handler404 = "fucai.core.errors.page_not_found"
handler500 = "fucai.core.errors.server_error"
