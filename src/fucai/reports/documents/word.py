"""The bulletin as a Word document (.docx, python-docx), editable in Word and WPS: the red title
of a 简报, the document number, the issuing body and the date over a red rule, the sections
under headings (Word's Heading 1, so they show in the navigation pane), the city table, the
charts with captions, and the page number centred in the footer (a PAGE field: — 1 —).

Fonts are named as a Chinese office has them, East Asian font set (w:eastAsia) beside the Latin
one: 宋体 title, 仿宋 text, 黑体 headings (fonts.FONT_NAMES); the styles Normal, Title, Heading 1,
Caption and Table Grid carry them, so an editor restyles the document from Word's style pane.
docs/reports.md ("Documents") says why python-docx and not a docxtpl template."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from fucai.reports.document import BulletinDocument, BulletinTable
from fucai.reports.documents import layout
from fucai.reports.documents.fonts import FONT_NAMES, LATIN_FONT

LANGUAGE_TAG = "zh-CN"


def docx_bytes(doc: BulletinDocument, charts=()) -> bytes:
    """The .docx of `doc` with `charts` (fucai.reports.documents.charts.Chart) after the table."""
    word = Document()
    _page(word)
    _styles(word)
    _properties(word, doc)
    _masthead(word, doc)
    for section in doc.sections:
        word.add_paragraph(section.heading, style="Heading 1")
        for text in section.paragraphs:
            word.add_paragraph(text, style="Normal")
    if doc.table is not None:
        _table(word, doc.table)
    for number, chart in enumerate(charts, start=1):
        _chart(word, number, chart)
    _footer(word)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# -- page, styles, properties -------------------------------------------------------------------
def _page(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(layout.PAGE_MM[0]), Mm(layout.PAGE_MM[1])
    margins = layout.MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.footer_distance = Mm(20)


def set_font(font, east_asia: str, size_pt: float, bold: bool = False, colour=None) -> None:
    """A run's or style's font: Latin and East Asian faces, size, weight, colour; the theme's
    fonts removed so that Word and WPS use the named ones."""
    font.name = LATIN_FONT
    font.size = Pt(size_pt)
    font.bold = bold
    font.color.rgb = RGBColor(*colour) if colour else RGBColor(0, 0, 0)
    rpr = font.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asia)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:eastAsia"), LANGUAGE_TAG)


def _styles(word) -> None:
    styles = word.styles
    normal = styles["Normal"]
    set_font(normal.font, FONT_NAMES["body"], layout.SIZES_PT["body"])
    body = normal.paragraph_format
    body.first_line_indent = Pt(2 * layout.SIZES_PT["body"])  # two characters
    body.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.line_spacing = Pt(layout.LINE_PT)
    body.space_before = body.space_after = Pt(0)
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    heading = styles["Heading 1"]
    set_font(heading.font, FONT_NAMES["heading"], layout.SIZES_PT["heading"])
    heading.font.italic = False
    _plain(heading, indent_pt=2 * layout.SIZES_PT["heading"], before_pt=8)
    heading.paragraph_format.keep_with_next = True  # a heading never ends a page alone
    title = styles["Title"]
    set_font(title.font, FONT_NAMES["title"], layout.SIZES_PT["title"], True, layout.RED)
    _plain(title, align=WD_ALIGN_PARAGRAPH.CENTER)
    _no_border(title)
    caption = styles["Caption"]
    set_font(caption.font, FONT_NAMES["title"], layout.SIZES_PT["caption"])
    caption.font.italic = False
    _plain(caption, align=WD_ALIGN_PARAGRAPH.CENTER, after_pt=6)


def _plain(style, indent_pt: float = 0, align=None, after_pt: float = 0, before_pt: float = 0):
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(indent_pt)
    fmt.left_indent = Pt(0)
    fmt.space_before, fmt.space_after = Pt(before_pt), Pt(after_pt)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(layout.LINE_PT, style.font.size.pt * 1.3))
    if align is not None:
        fmt.alignment = align


def _no_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _properties(word, doc: BulletinDocument) -> None:
    props = word.core_properties
    props.title = doc.title
    props.author = doc.issuer
    props.subject = f"{doc.scope_name} {doc.document_number}"
    props.language = LANGUAGE_TAG


# -- the parts ----------------------------------------------------------------------------------
def _masthead(word, doc: BulletinDocument) -> None:
    """Title, document number, and the issuer and date over the red rule."""
    word.add_paragraph(doc.title, style="Title")
    number = word.add_paragraph(doc.document_number, style="Normal")
    number.paragraph_format.first_line_indent = Pt(0)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = word.add_paragraph(style="Normal")
    fmt = line.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.space_after = Pt(12)
    fmt.tab_stops.add_tab_stop(Mm(layout.TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    line.add_run(f"{doc.issuer}\t{layout.date_text(doc.as_of)}")
    _rule_below(line)


def _rule_below(paragraph) -> None:
    """A red rule under the paragraph (its bottom border, 1.5 pt)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    colour = "".join(f"{c:02X}" for c in layout.RED)
    for key, value in {"w:val": "single", "w:sz": "12", "w:space": "4", "w:color": colour}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _table(word, table: BulletinTable) -> None:
    title = word.add_paragraph(table.title, style="Caption")
    title.paragraph_format.space_before = Pt(12)
    grid = word.add_table(rows=1, cols=len(table.columns), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(grid.rows[0])
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        _cell(cell, column.heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, column, text in zip(cells, table.columns, row, strict=True):
            right = WD_ALIGN_PARAGRAPH.RIGHT if column.numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell(cell, text, align=right)


def _cell(cell, text: str, bold: bool = False, align=None) -> None:
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.alignment = align
    run = paragraph.add_run(text)
    set_font(run.font, FONT_NAMES["table"], layout.SIZES_PT["table"], bold)


def _repeat_header(row) -> None:
    """The heading row is repeated at the top of each page the table runs onto."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _chart(word, number: int, chart) -> None:
    picture = word.add_paragraph(style="Normal")
    picture.paragraph_format.first_line_indent = Pt(0)
    picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    picture.paragraph_format.space_before = Pt(12)
    picture.paragraph_format.keep_with_next = True
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(chart.png), width=Cm(chart.width_cm))
    word.add_paragraph(layout.caption(number, chart.title), style="Caption")


def _footer(word) -> None:
    """— PAGE — centred in the footer."""
    paragraph = word.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = layout.page_label("\0").split("\0")
    _footer_run(paragraph, before)
    _field(paragraph, "PAGE")
    _footer_run(paragraph, after)


def _footer_run(paragraph, text: str):
    run = paragraph.add_run(text)
    set_font(run.font, FONT_NAMES["title"], layout.SIZES_PT["footer"])
    return run


def _field(paragraph, instruction: str) -> None:
    """A Word field (begin, instruction, separate, a placeholder result, end) in its own runs."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None),
                       (None, "1"), ("end", None)):  # fmt: skip
        run = _footer_run(paragraph, "")
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip() == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        else:
            run.text = text
