from __future__ import annotations

from django.urls import path

from fucai.geo import views

app_name = "geo"
urlpatterns = [
    path("boundaries/<str:level>.geojson", views.boundaries_geojson, name="boundaries"),
]
