from __future__ import annotations

from django.urls import path

from fucai.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("sentences/", views.sentences, name="sentences"),
    path("sentences/<int:pk>/", views.sentence_edit, name="sentence_edit"),
]
