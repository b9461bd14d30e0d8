from __future__ import annotations

from django.urls import path

from fucai.welfare import views

app_name = "welfare"

urlpatterns: list = [
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/status/", views.project_move, name="project_move"),
    path("grants/", views.grant_list, name="grants"),
    path("grants/new/", views.grant_new, name="grant_new"),
    path("grants/<int:pk>/", views.grant_detail, name="grant_detail"),
    path("grants/<int:pk>/step/", views.grant_step, name="grant_step"),
    path("grants/<int:pk>/objections/", views.grant_objection, name="grant_objection"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("households/", views.household_list, name="households"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/show/", views.household_show, name="household_show"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
]
