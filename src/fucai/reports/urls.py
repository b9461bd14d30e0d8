from __future__ import annotations

from django.urls import path

from fucai.reports import document_views, views, views_packs

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("sentences/", views.sentences, name="sentences"),
    path("sentences/<int:pk>/", views.sentence_edit, name="sentence_edit"),
    path("bulletin.docx", document_views.bulletin_docx, name="bulletin_docx"),
    path("bulletin.pdf", document_views.bulletin_pdf, name="bulletin_pdf"),
    path("packs/", views_packs.packs, name="packs"),
    path("packs/new/", views_packs.pack_new, name="pack_new"),
    path("packs/<int:pk>/download/", views_packs.pack_download, name="pack_download"),
]
