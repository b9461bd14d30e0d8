"""A public notice (公示) as published: title, the centre, a table of the grants — households'
names partially masked (张*灵, `fucai.core.personal.NOTICE_NAME`), organisations in full — with
amount and village or community, the notice period and where to object; as Excel and as PDF.

PDF: fpdf2 (pure Python, maintained), embedding Noto Sans CJK SC from the system's
NotoSansCJK-Regular.ttc (face 2 of the collection; fonts-noto-cjk, installed by .ci/run) as a
subset CID font: docs/welfare.md gives the evidence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from fucai.core.personal import NOTICE_NAME, mask
from fucai.welfare.workflow import yuan

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONTS = {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}
SC_FACE = 2  # JP, KR, SC, TC, HK: the Simplified Chinese face of the collections
# a published 公示 is a Chinese document: its text (centre, period, headings, where to object)
# is written in the default language whatever the language of the user who downloads it
NOTICE_LANGUAGE = settings.LANGUAGE_CODE


@dataclass(frozen=True)
class NoticeRow:
    number: int
    recipient: str  # masked for a household
    village: str
    amount_yuan: object
    project: str
    grant_id: int = 0
    open_objections: int = 0  # for the officers' page (never on the published notice)


def notice_rows(notice) -> list[NoticeRow]:
    """The notice's grants in order, each recipient as the public may read it."""
    grants = (
        notice.grants.select_related("household", "project")
        .annotate(open_n=Count("objections", filter=Q(objections__outcome="")))
        .order_by("village", "pk")
    )
    return [
        NoticeRow(
            number,
            mask(g.household.name, NOTICE_NAME) if g.household_id else g.organisation,
            g.village,
            yuan(g.amount_fen),
            g.project.name,
            g.pk,
            g.open_n,
        )
        for number, g in enumerate(grants, start=1)
    ]


def centre_name(notice) -> str:
    """The issuing centre's name, always in Chinese (赣州市福利彩票发行中心): a real name."""
    from django.utils import translation

    with translation.override(NOTICE_LANGUAGE):
        return _("%(city)s Welfare Lottery Issuance Centre") % {"city": notice.city.name}


def download_name(notice, suffix: str) -> tuple[str, str]:
    """The notice's file name (its title) and an ASCII name for the browsers without RFC 5987
    (notice-<id>-<first day>): a Chinese title alone would leave only its digits."""
    return f"{notice.title}.{suffix}", f"notice-{notice.pk}-{notice.starts_on:%Y-%m-%d}.{suffix}"


def _period(notice) -> str:
    return _("Notice period: %(start)s to %(end)s") % {
        "start": notice.starts_on.isoformat(),
        "end": notice.ends_on.isoformat(),
    }


def _objections(notice) -> str:
    return _("Anyone with an objection may raise it during the notice period with: %(contact)s") % {
        "contact": notice.contact
    }


def headers() -> list[str]:
    return [_("No."), _("Recipient"), _("Village or community"), _("Amount (yuan)"), _("Project")]


def notice_workbook(notice):
    from openpyxl.styles import Font

    from fucai.core.excel import Column, table_workbook

    rows = notice_rows(notice)
    columns = [Column(h) for h in headers()]
    body = [(r.number, r.recipient, r.village, r.amount_yuan, r.project) for r in rows]
    total = sum((r.amount_yuan for r in rows), start=yuan(0))
    wb = table_workbook(columns, [*body, ("", _("Total"), "", total, "")], title=_("Notice"))
    ws = wb.active
    ws.insert_rows(1, 4)
    ws["A1"], ws["A2"], ws["A3"] = notice.title, centre_name(notice), _period(notice)
    ws["A4"] = _objections(notice)
    ws["A1"].font = Font(bold=True, size=14)
    ws.freeze_panes = "A6"
    ws.auto_filter.ref = None
    return wb


def notice_pdf(notice) -> bytes:
    """The notice as an A4 PDF with the CJK font embedded (subset)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    rows = notice_rows(notice)
    pdf = FPDF(format="A4")
    pdf.set_title(notice.title)
    pdf.set_author(centre_name(notice))
    for style, file in FONTS.items():
        pdf.add_font("noto", style, str(FONT_DIR / file), collection_font_number=SC_FACE)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("noto", "B", 16)
    pdf.multi_cell(0, 9, notice.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", "", 10)
    pdf.cell(0, 7, centre_name(notice), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, _period(notice), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    heading = FontFace(emphasis="BOLD", fill_color=(232, 236, 241))
    with pdf.table(
        col_widths=(12, 38, 52, 28, 60),
        text_align=("CENTER", "LEFT", "LEFT", "RIGHT", "LEFT"),
        headings_style=heading,
        line_height=6,
    ) as table:
        table.row(headers())
        for r in rows:
            table.row([str(r.number), r.recipient, r.village, f"{r.amount_yuan:,.2f}", r.project])
        total = sum((r.amount_yuan for r in rows), start=yuan(0))
        table.row(["", _("Total"), "", f"{total:,.2f}", ""])
    pdf.ln(4)
    # left-aligned: fpdf2 justifies a multi_cell by default, spreading a CJK line's characters
    pdf.multi_cell(0, 6, _objections(notice), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 6, centre_name(notice), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, notice.starts_on.isoformat(), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
