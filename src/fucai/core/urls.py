from __future__ import annotations

from django.urls import path

from fucai.core import views

app_name = "core"
urlpatterns: list = []
