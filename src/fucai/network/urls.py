from __future__ import annotations

from django.urls import path

from fucai.network import onboarding_views, partner_views, views

app_name = "network"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("stations/", views.station_list, name="station_list"),
    path("stations/<str:code>/", views.station_detail, name="station_detail"),
    path("stations/<str:code>/sales.json", views.station_sales, name="station_sales"),
    path("mine/", views.own_stations, name="own_stations"),
    path("stations/<str:code>/edit/", views.station_edit, name="station_edit"),
    path("stations/<str:code>/transition/", views.station_transition, name="station_transition"),
    path("stations/<str:code>/owner-phone/", views.owner_phone, name="owner_phone"),
    path("map/", views.station_map, name="map"),
    path("map/stations.json", views.map_stations, name="map_stations"),
    path("import/", views.station_import, name="import"),
    # 四帮 onboarding (fucai.network.onboarding_views)
    path("stations/<str:code>/onboarding/", onboarding_views.plan, name="onboarding_plan"),
    path(
        "stations/<str:code>/onboarding/<int:number>/",
        onboarding_views.task,
        name="onboarding_task",
    ),
    path("onboarding/overdue/", onboarding_views.overdue, name="onboarding_overdue"),
    path("onboarding/template/", onboarding_views.template, name="onboarding_template"),
]

# field visits (fucai.network.visit_views)
from fucai.network import visit_views  # noqa: E402

urlpatterns += [
    path("visits/", visit_views.visit_list, name="visit_list"),
    path("visits/new/", visit_views.visit_new, name="visit_new"),
    path("visits/sw.js", visit_views.visit_sw, name="visit_sw"),
    path("visits/indicators/", visit_views.visit_indicators_page, name="visit_indicators"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    # partners (组织联姻): fucai.network.partner_views
    path("partners/", partner_views.partner_list, name="partner_list"),
    path("partners/<int:pk>/", partner_views.partner_detail, name="partner_detail"),
    path(
        "partners/agreements/<int:pk>/contact/",
        partner_views.partner_contact,
        name="partner_contact",
    ),
]

# leads (布点机会): fucai.network.lead_views
from fucai.network import lead_views  # noqa: E402

urlpatterns += [
    path("leads/", lead_views.lead_list, name="lead_list"),
    path("leads/new/", lead_views.lead_new, name="lead_new"),
    path("leads/<int:pk>/", lead_views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/transition/", lead_views.lead_transition, name="lead_transition"),
    path("leads/<int:pk>/convert/", lead_views.lead_convert, name="lead_convert"),
    path("leads/<int:pk>/edit/", lead_views.lead_edit, name="lead_edit"),
]

# spacing rules and point layers (the province): fucai.network.spacing_views
from fucai.network import spacing_views  # noqa: E402

urlpatterns += [
    path("spacing/", spacing_views.spacing_rules, name="spacing_rules"),
    path("spacing/rules/<int:pk>/", spacing_views.spacing_rule_edit, name="spacing_rule_edit"),
    path("spacing/layers/", spacing_views.spacing_layer_import, name="spacing_layer_import"),
]
