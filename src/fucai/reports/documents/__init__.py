"""The typesetters: a BulletinDocument (fucai.reports.document, the writer's) laid out as Word
(.docx, word.py) or PDF (pdf.py) with the charts (charts.py), in the document's language. They
lay out what the writer wrote and state no figure of their own; docs/reports.md ("Documents")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from django.utils import translation

from fucai.reports.document import BulletinDocument

FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def render_document(
    doc: BulletinDocument, fmt: Literal["docx", "pdf"], charts: Sequence | None = None
) -> bytes:
    """The bulletin as .docx or PDF bytes, with `charts` (charts.Chart, in order) after the
    text and the table. Raises ValueError for another format and fonts.FontsMissing (PDF)
    without the CJK fonts."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with translation.override(doc.language):
        if fmt == "docx":
            from fucai.reports.documents.word import docx_bytes

            return docx_bytes(doc, tuple(charts or ()))
        from fucai.reports.documents.pdf import pdf_bytes

        return pdf_bytes(doc, tuple(charts or ()))


def download_name(doc: BulletinDocument, fmt: str) -> tuple[str, str]:
    """The file's name (title, scope and date, in Chinese) and its ASCII fallback."""
    from fucai.reports.documents.layout import ascii_stem, file_stem

    with translation.override(doc.language):
        return f"{file_stem(doc)}.{fmt}", f"{ascii_stem(doc)}.{fmt}"
