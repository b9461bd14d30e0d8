from django.urls import path

from fucai.party import effect_views, pairing_views, views, views_vanguard

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
    path("areas/<int:pk>/map.json", pairing_views.area_map, name="area_map"),
    path("effect/", effect_views.study_list, name="study_list"),
    path("effect/<int:pk>/", effect_views.study_detail, name="study_detail"),
    path("effect/<int:pk>/progress/", effect_views.study_progress, name="study_progress"),
]

# the 四强 self-assessment (issue 11 point 5)
from fucai.party import assessment_views  # noqa: E402

urlpatterns += [
    path("assessments/", assessment_views.assessment_list, name="assessment_list"),
    path(
        "assessments/<str:code>/<int:year>/",
        assessment_views.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "assessments/<str:code>/<int:year>/edit/",
        assessment_views.assessment_edit,
        name="assessment_edit",
    ),
]

# adding and editing members
from fucai.party import member_views  # noqa: E402

urlpatterns += [
    path("members/new/", member_views.member_new, name="member_new"),
    path("members/<int:pk>/edit/", member_views.member_edit, name="member_edit"),
    path("members/<int:pk>/delete/", member_views.member_delete, name="member_delete"),
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
