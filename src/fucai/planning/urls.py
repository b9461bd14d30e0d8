from django.urls import path

from fucai.planning import views

app_name = "planning"

urlpatterns = [
    path("blank-areas/", views.blank_areas, name="blank_areas"),
    path("blank-areas/data/", views.blank_area_data, name="blank_area_data"),
    path("demand/", views.demand_layers, name="demand_layers"),
]
