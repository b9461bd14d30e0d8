from __future__ import annotations

from django.urls import path

from fucai.reports import views_packs
from fucai.reports import document_views

app_name = "reports"

urlpatterns: list = [
    path("packs/", views_packs.packs, name="packs"),
    path("packs/new/", views_packs.pack_new, name="pack_new"),
    path("packs/<int:pk>/download/", views_packs.pack_download, name="pack_download"),
    path("bulletin.docx", document_views.bulletin_docx, name="bulletin_docx"),
    path("bulletin.pdf", document_views.bulletin_pdf, name="bulletin_pdf"),
]
