from __future__ import annotations

from django.urls import path

from fucai.sales import views, views_targets

app_name = "sales"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<uuid:batch>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:batch>/progress/", views.import_progress, name="import_progress"),
    path("imports/<uuid:batch>/errors.xlsx", views.import_errors, name="import_errors"),
    path("targets/", views_targets.targets, name="targets"),
    path("targets/template.xlsx", views_targets.targets_template, name="targets_template"),
    path("targets/import/", views_targets.targets_import, name="targets_import"),
    path("targets/entry/", views_targets.targets_entry, name="targets_entry"),
]
