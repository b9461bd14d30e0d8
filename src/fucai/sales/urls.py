from __future__ import annotations

from django.urls import path

from fucai.sales import views

app_name = "sales"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<uuid:batch>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:batch>/progress/", views.import_progress, name="import_progress"),
    path("imports/<uuid:batch>/errors.xlsx", views.import_errors, name="import_errors"),
]
