from __future__ import annotations

from django.urls import path

from fucai.core import views

app_name = "core"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("audit/", views.audit, name="audit"),
]
