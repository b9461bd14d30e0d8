from django.urls import path

from fucai.planning import scenario_views, views

app_name = "planning"

urlpatterns = [
    path("blank-areas/", views.blank_areas, name="blank_areas"),
    path("blank-areas/data/", views.blank_area_data, name="blank_area_data"),
    path("scenarios/", scenario_views.scenario_list, name="scenario_list"),
    path("scenarios/compare/", scenario_views.scenario_compare, name="scenario_compare"),
    path("scenarios/<int:pk>/", scenario_views.scenario_detail, name="scenario_detail"),
    path(
        "scenarios/<int:pk>/progress/", scenario_views.scenario_progress, name="scenario_progress"
    ),
    path("scenarios/<int:pk>/data/", scenario_views.scenario_data, name="scenario_data"),
    path("scenarios/<int:pk>/sites/<int:rank>/lead/", scenario_views.site_lead, name="site_lead"),
    path("demand/", views.demand_layers, name="demand_layers"),
]
