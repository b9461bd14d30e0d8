from __future__ import annotations

from django.urls import path

from fucai.network import views

app_name = "network"
urlpatterns: list = []
