from django.urls import path

from fucai.party import views, views_vanguard

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

# 党员先锋示范岗: the posts, their map, recording and revoking consents (fucai.party.views_vanguard)
urlpatterns += [
    path("vanguard/", views_vanguard.vanguard_list, name="vanguard_list"),
    path("vanguard/map.json", views_vanguard.vanguard_map, name="vanguard_map"),
    path(
        "vanguard/consents/new/", views_vanguard.vanguard_consent_new, name="vanguard_consent_new"
    ),
    path(
        "vanguard/consents/<int:pk>/revoke/",
        views_vanguard.vanguard_consent_revoke,
        name="vanguard_consent_revoke",
    ),
]
