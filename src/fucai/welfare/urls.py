from __future__ import annotations

from django.urls import path

from fucai.welfare import views_fund

app_name = "welfare"

urlpatterns: list = [
    path("raised/", views_fund.raised, name="raised"),
    path("rates/", views_fund.rate_list, name="rate_list"),
    path("rates/new/", views_fund.rate_edit, name="rate_new"),
    path("rates/<int:pk>/", views_fund.rate_edit, name="rate_edit"),
]
