from __future__ import annotations

from django.urls import path

from fucai.welfare import views_activity, views_fund

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
]
