from django.urls import path

from fucai.party import views

app_name = "party"

urlpatterns = [
    path("", views.home, name="home"),
    path("branches/", views.branch_list, name="branch_list"),
    path("members/", views.member_list, name="member_list"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("compliance/", views.compliance_page, name="compliance"),
]
