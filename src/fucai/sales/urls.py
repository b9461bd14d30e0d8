from __future__ import annotations

from django.urls import path

from fucai.sales import views

app_name = "sales"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("cockpit/monthly.json", views.monthly_json, name="monthly_json"),
    path("cockpit/games.json", views.games_json, name="games_json"),
    path("cockpit/map.json", views.map_json, name="map_json"),
]
