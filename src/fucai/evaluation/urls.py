from django.urls import path

from fucai.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.home, name="home"),
    path("schemes/<slug:name>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<slug:name>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<slug:name>/run/", views.run_new, name="run_new"),
    path("schemes/<slug:name>/manual/", views.manual_inputs, name="manual_inputs"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/what-if/", views.whatif, name="whatif"),
    path("runs/<int:pk>/what-if.json", views.whatif_json, name="whatif_json"),
    path("runs/<int:pk>/what-if/save/", views.whatif_save, name="whatif_save"),
    path("runs/<int:pk>/robustness/", views.robustness, name="robustness"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("results/<int:pk>/objection/", views.objection_new, name="objection_new"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
]
