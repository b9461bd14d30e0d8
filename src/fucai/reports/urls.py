from __future__ import annotations

from django.urls import path

from fucai.reports import document_views

app_name = "reports"

urlpatterns: list = [
    path("bulletin.docx", document_views.bulletin_docx, name="bulletin_docx"),
    path("bulletin.pdf", document_views.bulletin_pdf, name="bulletin_pdf"),
]
