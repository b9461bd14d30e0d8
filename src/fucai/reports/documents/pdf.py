"""The bulletin as PDF, typeset with fpdf2 (already fucai's PDF library: fucai.welfare.notices)
from the same BulletinDocument and charts as the .docx, in the same layout (layout.py): the red
title, the document number, issuer and date over the red rule, the sections, the table, the
charts with captions, and — 1 — centred at the foot of each page. Noto Serif CJK SC for the
text (宋体-like), Noto Sans CJK SC for the headings (黑体-like), embedded as subsets (CID fonts:
`pdffonts` lists them "emb yes sub yes"); lines break between any two characters, as Chinese
is written. docs/reports.md ("Documents") says why fpdf2 and not LibreOffice."""

from __future__ import annotations

import io
import re

from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace
from PIL import Image

from fucai.reports.document import BulletinDocument, BulletinTable
from fucai.reports.documents import layout
from fucai.reports.documents.fonts import cjk_font

PT_MM = 25.4 / 72
INDENT = "\u3000\u3000"  # two ideographic spaces: the first line's indent of two characters
SERIF, SANS = "serif", "sans"
# the faces used (each costs ≈ 1–2 s to load and subset): serif text and title, sans headings
FACES = ((SERIF, ""), (SERIF, "B"), (SANS, ""))
# what a line may be broken between: a run of Latin letters, digits and their signs (26.6%,
# 36110214, 2023-09-03) stays whole, any other character stands alone
TOKENS = re.compile(r"[0-9A-Za-z.,:%/+\-]+|.", re.S)
NO_LINE_START = frozenset("，。、；：？！）》」』”’%…·")  # stay at the end of the line before
NO_LINE_END = frozenset("（《「『“‘")  # go to the start of the next line


class BulletinPDF(FPDF):
    """An A4 page with the bulletin's margins, its fonts, and the page number in the footer."""

    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        margins = layout.MARGINS_MM
        self.set_margins(margins["left"], margins["top"], margins["right"])
        self.set_auto_page_break(True, margin=margins["bottom"])
        for family, style in FACES:
            font = cjk_font(family, style)
            self.add_font(family, style, str(font.path), collection_font_number=font.face)

    def footer(self) -> None:
        self.set_y(-layout.MARGINS_MM["bottom"] + 10)
        self.set_font(SERIF, "", layout.SIZES_PT["footer"])
        self.set_text_color(0, 0, 0)
        self.cell(0, 8, layout.page_label(str(self.page_no())), align="C")


def pdf_bytes(doc: BulletinDocument, charts=()) -> bytes:
    """The PDF of `doc` with `charts` (fucai.reports.documents.charts.Chart) after the table."""
    pdf = BulletinPDF()
    pdf.set_title(doc.title)
    pdf.set_author(doc.issuer)
    pdf.set_subject(f"{doc.scope_name} {doc.document_number}")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    _masthead(pdf, doc)
    for section in doc.sections:
        _keep_with_next(pdf, lines=3)  # a heading never ends a page alone
        _text(pdf, SANS, section.heading, space_before=4)
        for paragraph in section.paragraphs:
            _text(pdf, SERIF, paragraph)
    if doc.table is not None:
        _table(pdf, doc.table)
    for number, chart in enumerate(charts, start=1):
        _chart(pdf, number, chart)
    return bytes(pdf.output())


def _keep_with_next(pdf: BulletinPDF, lines: int) -> None:
    """A new page unless a heading and `lines` lines of text below it fit on this one."""
    needed = _line_mm(layout.SIZES_PT["heading"]) + lines * _line_mm(layout.SIZES_PT["body"]) + 4
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()


def _line_mm(size_pt: float) -> float:
    return max(layout.LINE_PT, size_pt * 1.3) * PT_MM


def _masthead(pdf: BulletinPDF, doc: BulletinDocument) -> None:
    size = layout.SIZES_PT
    pdf.set_font(SERIF, "B", size["title"])
    pdf.set_text_color(*layout.RED)
    _centred(pdf, doc.title, _line_mm(size["title"]))
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(SERIF, "", size["number"])
    _centred(pdf, doc.document_number, _line_mm(size["number"]))
    height = _line_mm(size["body"])
    y = pdf.get_y()
    pdf.cell(0, height, doc.issuer, align="L")
    pdf.set_xy(pdf.l_margin, y)
    pdf.cell(0, height, layout.date_text(doc.as_of), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*layout.RED)
    pdf.set_line_width(0.6)
    rule = pdf.get_y() + 1
    pdf.line(pdf.l_margin, rule, pdf.w - pdf.r_margin, rule)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_y(rule + 5)


def _centred(pdf: BulletinPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT",
                   wrapmode=WrapMode.CHAR)  # fmt: skip


def _text(pdf: BulletinPDF, family: str, text: str, space_before: float = 0) -> None:
    """A paragraph of the text (or a heading), its first line indented by two characters."""
    size = layout.SIZES_PT["heading" if family == SANS else "body"]
    pdf.set_font(family, "", size)
    pdf.set_y(pdf.get_y() + space_before)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    lines = broken(INDENT + text, width, pdf.get_string_width)
    for n, line in enumerate(lines):
        pdf.set_char_spacing(0)
        spare = width - pdf.get_string_width(line)
        last = n == len(lines) - 1
        # justified as Word justifies Chinese: the spare width spread between the characters
        pdf.set_char_spacing(0 if last or spare <= 0 else spare / max(len(line) - 1, 1))
        pdf.cell(width, _line_mm(size), line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_char_spacing(0)


def broken(text: str, width: float, measure) -> list[str]:
    """`text` broken into lines at most `width` wide (by `measure`) as Chinese is: between any
    two characters but inside no number, no closing mark at a line's start (it stays, a little
    over the width, as Word lets it), no opening mark at a line's end."""
    lines, line = [], ""
    for token in TOKENS.findall(text):
        if line and measure(line + token) > width and token[0] not in NO_LINE_START:
            carry = ""
            while len(line) > 1 and line[-1] in NO_LINE_END:
                line, carry = line[:-1], line[-1] + carry
            lines.append(line)
            line = carry
        line += token
    return [*lines, line] if line else lines


def _table(pdf: BulletinPDF, table: BulletinTable) -> None:
    _caption(pdf, table.title, space_before=6)
    pdf.set_font(SERIF, "", layout.SIZES_PT["table"])
    widths = [2 if i == 0 else 1.3 if c.numeric else 1.6 for i, c in enumerate(table.columns)]
    heading = FontFace(family=SERIF, emphasis="BOLD", fill_color=(242, 242, 242))
    with pdf.table(
        col_widths=widths,
        text_align=["RIGHT" if c.numeric else "LEFT" for c in table.columns],
        headings_style=heading,
        line_height=layout.SIZES_PT["table"] * 1.6 * PT_MM,
        wrapmode=WrapMode.CHAR,
    ) as grid:
        grid.row([c.heading for c in table.columns])
        for row in table.rows:
            grid.row(list(row))


def _chart(pdf: BulletinPDF, number: int, chart) -> None:
    """The chart centred at its width, kept on one page with its caption."""
    width = chart.width_cm * 10
    with Image.open(io.BytesIO(chart.png)) as image:
        height = width * image.height / image.width
    caption_mm = _line_mm(layout.SIZES_PT["caption"]) + 4
    if pdf.get_y() + 6 + height + caption_mm > pdf.page_break_trigger:
        pdf.add_page()
    else:
        pdf.set_y(pdf.get_y() + 6)
    pdf.image(io.BytesIO(chart.png), x=(pdf.w - width) / 2, w=width, h=height,
              alt_text=chart.title)  # fmt: skip
    _caption(pdf, layout.caption(number, chart.title))


def _caption(pdf: BulletinPDF, text: str, space_before: float = 1) -> None:
    size = layout.SIZES_PT["caption"]
    pdf.set_font(SERIF, "", size)
    pdf.set_y(pdf.get_y() + space_before)
    _centred(pdf, text, size * 1.6 * PT_MM)
    pdf.set_y(pdf.get_y() + 3)
