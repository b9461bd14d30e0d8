from __future__ import annotations

from django.urls import path

from fucai.core import views
from fucai.core.attachments import views as attachment_views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit, name="audit"),
    path("files/<int:pk>/", attachment_views.attachment_file, name="attachment"),
    path("files/<int:pk>/thumb/", attachment_views.attachment_thumbnail, name="attachment_thumb"),
]
