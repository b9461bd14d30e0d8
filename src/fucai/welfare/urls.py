from __future__ import annotations

from django.urls import path

from fucai.welfare import views, views_activity, views_fund

app_name = "welfare"

urlpatterns: list = [
    path("raised/", views_fund.raised, name="raised"),
    path("rates/", views_fund.rate_list, name="rate_list"),
    path("rates/new/", views_fund.rate_edit, name="rate_new"),
    path("rates/<int:pk>/", views_fund.rate_edit, name="rate_edit"),
    path("activities/", views_activity.activity_list, name="activity_list"),
    path("activities/new/", views_activity.activity_edit, name="activity_new"),
    path("activities/<int:pk>/", views_activity.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views_activity.activity_edit, name="activity_edit"),
    path("posts/", views_activity.post_list, name="post_list"),
    path("posts/<str:code>/", views_activity.post_edit, name="post_edit"),
    path("map/", views_activity.welfare_map, name="map"),
    path("map/points/", views_activity.map_data, name="map_data"),
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
