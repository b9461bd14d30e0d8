from __future__ import annotations

from django.urls import path

from fucai.sales import views

app_name = "sales"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("cockpit/monthly.json", views.monthly_json, name="monthly_json"),
    path("cockpit/games.json", views.games_json, name="games_json"),
    path("cockpit/map.json", views.map_json, name="map_json"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<uuid:batch>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:batch>/progress/", views.import_progress, name="import_progress"),
    path("imports/<uuid:batch>/errors.xlsx", views.import_errors, name="import_errors"),
]
