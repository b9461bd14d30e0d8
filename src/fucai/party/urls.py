from django.urls import path

from fucai.party import effect_views, pairing_views, views

app_name = "party"

urlpatterns = [
    path("", views.home, name="home"),
    path("branches/", views.branch_list, name="branch_list"),
    path("members/", views.member_list, name="member_list"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("pairings/", pairing_views.pairing_list, name="pairing_list"),
    path("pairings/new/", pairing_views.pairing_new, name="pairing_new"),
    path("pairings/<int:pk>/", pairing_views.pairing_detail, name="pairing_detail"),
    path("areas/", pairing_views.area_list, name="area_list"),
    path("areas/<int:pk>/", pairing_views.area_detail, name="area_detail"),
    path("effect/", effect_views.study_list, name="study_list"),
    path("effect/<int:pk>/", effect_views.study_detail, name="study_detail"),
    path("effect/<int:pk>/progress/", effect_views.study_progress, name="study_progress"),
]
