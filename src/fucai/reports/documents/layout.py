"""What the .docx and the PDF lay out alike: the page (A4 with the margins of GB/T 9704, the
standard for Party and government documents), the sizes of the Chinese type scale (二号 for the
title, 三号 for the text, 四号 for the page number, 五号 for the table) and the words of the
layout that are not the writer's (the date line, the captions). The content is the writer's
BulletinDocument; the typesetters add nothing to it but these."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156 mm
SIZES_PT = {"title": 22, "number": 16, "heading": 16, "body": 16, "caption": 12, "table": 10.5,
            "footer": 14}  # fmt: skip
LINE_PT = 28  # exact line pitch of the text: 22 lines to the page (GB/T 9704: 22 × 28 chars)
RED = (0xC0, 0x00, 0x00)  # the 简报's red title and rule


def date_text(day: dt.date) -> str:
    """The date as a Chinese document writes it: 2023年9月3日."""
    return _("%(year)s-%(month)s-%(day)s") % {"year": day.year, "month": day.month, "day": day.day}


def caption(number: int, title: str) -> str:
    """A chart's caption: 图1　各市销量 …"""
    return _("Figure %(number)s  %(title)s") % {"number": number, "title": title}


def page_label(number: str) -> str:
    """The footer's page number: — 1 —"""
    return f"— {number} —"


def file_stem(doc) -> str:
    """The downloaded file's name without its suffix: title, scope and date."""
    return f"{doc.title}（{doc.scope_name}，{date_text(doc.as_of)}）"


def ascii_stem(doc) -> str:
    """The ASCII name for browsers without RFC 5987: bulletin-<scope>-<date>."""
    return f"bulletin-{doc.scope_code}-{doc.as_of.isoformat()}"
