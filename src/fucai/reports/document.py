"""What a written bulletin is, between the writer (fucai.reports.bulletin: live data → sentences)
and the typesetters (fucai.reports.documents: → .docx and .pdf with charts). The writer fills a
`BulletinDocument`; the typesetters only lay it out, they state no figure of their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BulletinSection:
    """A titled part of the bulletin (e.g. 一、销售情况) and its paragraphs, each a finished
    sentence or several, written from the admin-edited templates."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class TableColumn:
    """A column of the city table: its heading and how its cells are aligned."""

    heading: str
    numeric: bool = False


@dataclass(frozen=True)
class BulletinTable:
    """The table of cities (or, for a city's bulletin, its counties): rows of formatted cells."""

    title: str
    columns: tuple[TableColumn, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class BulletinDocument:
    """One bulletin for a scope and an as-of date: the text, the table, and the layout's
    particulars a government office expects (title, issuing body, date, document number)."""

    title: str  # e.g. 江西省福利彩票工作简报
    issuer: str  # e.g. 江西省福利彩票发行中心
    as_of: dt.date
    scope_code: str  # "province" or a city adcode such as "360700"
    scope_name: str  # 江西省 / 赣州市
    document_number: str  # e.g. 赣福彩简〔2023〕9号
    sections: tuple[BulletinSection, ...]
    table: BulletinTable | None = None
    language: str = "zh-hans"
    facts: dict = field(default_factory=dict)  # the figures the sentences used, by field name
    notice: str = ""  # the day asked for was moved into the data (said to the user, not printed)

    def text(self) -> str:
        """The bulletin as plain text: title, particulars, then each section."""
        from fucai.reports.documents.layout import date_text

        lines = [self.title, self.issuer, f"{self.document_number}", date_text(self.as_of), ""]
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(section.paragraphs)
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"
