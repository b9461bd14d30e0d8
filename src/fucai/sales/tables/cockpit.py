"""The sales cockpit's tables: one definition serves the page and its Excel export.

Amounts stay integer fen in the rows; a column's kind says how a cell is shown: on screen in
万元 with two decimals, in Excel in yuan (exact, two decimals), percentages as Decimal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from fucai.analytics.results import Figures, Ranking, Series, YearToDate
from fucai.core.excel import TEXT_FORMAT, Column, add_notes_sheet, table_workbook
from fucai.sales.money import CENT, fen_to_yuan, share_pct, yoy_pct

TEXT, CODE, RANK, AMOUNT, PCT, DELTA = "text", "code", "rank", "amount", "pct", "delta"
FEN_PER_WAN = 1_000_000
FEN_PER_YI = 10_000_000_000
AMOUNT_FORMAT = "#,##0.00"
PCT_FORMAT = "0.0"

STATION_PAGE = "network:station_detail"
GROUPING_LABELS = {
    "city": gettext_lazy("City"),
    "county": gettext_lazy("County"),
    "station": gettext_lazy("Station"),
}


# -- formatting ------------------------------------------------------------------------------------
def _scaled(fen: int, per: int) -> Decimal:
    return (Decimal(int(fen)) / per).quantize(CENT, rounding=ROUND_HALF_UP)


def wan(fen: int) -> Decimal:
    """Fen in 万元 with two decimals (half up): 123_456_789 fen → Decimal('123.46')."""
    return _scaled(fen, FEN_PER_WAN)


def yi(fen: int) -> Decimal:
    """Fen in 亿元 with two decimals (half up): 260_600_000_000 fen → Decimal('26.06')."""
    return _scaled(fen, FEN_PER_YI)


def amount_text(value: Decimal) -> str:
    return f"{value:,.2f}"


def money(fen: int, unit_of: int | None = None) -> dict:
    """A headline amount: in 亿元 from one 亿 up, else in 万元 (a territory, a station). With
    `unit_of`, in the unit that amount would get (a prior year beside this year's figure)."""
    if abs(fen if unit_of is None else unit_of) >= FEN_PER_YI:
        return {"value": amount_text(yi(fen)), "unit": _("100M yuan")}
    return {"value": amount_text(wan(fen)), "unit": _("10k yuan")}


def pct_text(value: Decimal | None, signed: bool = True) -> str:
    """+26.6%, -3.0%, 22.1% (unsigned), or a dash without a base."""
    if value is None:
        return "—"
    return f"{value:+.1f}%" if signed and value else f"{value:.1f}%"


def delta_class(value: Decimal | None) -> str:
    if value is None or value == 0:
        return "delta-flat"
    return "delta-up" if value > 0 else "delta-down"


# -- the table model -------------------------------------------------------------------------------
@dataclass(frozen=True)
class TableColumn:
    """A column: the row key it shows, its header, and its kind (how a value is shown)."""

    key: str
    label: str
    kind: str = TEXT
    on_screen: bool = True  # False: in the Excel export only
    link: str | None = None  # the row key of the URL the cell links to on screen

    @property
    def numeric(self) -> bool:
        return self.kind in (RANK, AMOUNT, PCT, DELTA)

    def screen_header(self) -> str:
        return str(self.label)

    def excel_column(self) -> Column:
        if self.kind == AMOUNT:
            header = _("%(label)s (yuan)") % {"label": self.label}
            return Column(header, number_format=AMOUNT_FORMAT)
        if self.kind in (PCT, DELTA):
            return Column(f"{self.label} (%)", number_format=PCT_FORMAT)
        if self.kind == CODE:
            return Column(str(self.label), number_format=TEXT_FORMAT)
        return Column(str(self.label))

    def screen(self, value) -> dict:
        """A cell on the page: its text and CSS class (no value, e.g. a month to come: blank)."""
        if value is None and self.kind in (AMOUNT, RANK):
            return {"text": "", "css": "num"}
        if self.kind == AMOUNT:
            return {"text": amount_text(wan(value)), "css": "num"}
        if self.kind == DELTA:
            return {"text": pct_text(value), "css": f"num {delta_class(value)}"}
        if self.kind == PCT:
            return {"text": pct_text(value, signed=False), "css": "num"}
        if self.kind == RANK:
            return {"text": str(value), "css": "num"}
        return {"text": "" if value is None else str(value), "css": ""}

    def excel(self, value):
        if self.kind == AMOUNT and value is not None:
            return fen_to_yuan(value)
        return value


@dataclass
class CockpitTable:
    """A table of the cockpit: rows of raw values (fen, Decimal %), shown and exported alike."""

    name: str
    title: str
    columns: list[TableColumn]
    rows: list[dict]
    footer: dict | None = None
    notes: list[tuple[str, object]] = field(default_factory=list)

    @property
    def screen_columns(self) -> list[TableColumn]:
        return [c for c in self.columns if c.on_screen]

    @property
    def has_amounts(self) -> bool:
        return any(c.kind == AMOUNT for c in self.screen_columns)

    def header(self) -> list[dict]:
        return [
            {"text": c.screen_header(), "css": "num" if c.numeric else ""}
            for c in self.screen_columns
        ]

    def body(self) -> list[list[dict]]:
        return [[self._cell(c, row) for c in self.screen_columns] for row in self.rows]

    @staticmethod
    def _cell(column: TableColumn, row: dict) -> dict:
        cell = {**column.screen(row.get(column.key)), "label": column.screen_header()}
        if column.link and row.get(column.link):
            cell["url"] = row[column.link]
        return cell

    def foot(self) -> list[dict] | None:
        if self.footer is None:
            return None
        return [self._cell(c, self.footer) for c in self.screen_columns]

    def excel_rows(self) -> list[list]:
        rows = [[c.excel(row.get(c.key)) for c in self.columns] for row in self.rows]
        if self.footer is not None:
            rows.append([c.excel(self.footer.get(c.key)) for c in self.columns])
        return rows

    def workbook(self, notes: Sequence[tuple[str, object]] = ()) -> Workbook:
        wb = table_workbook(
            [c.excel_column() for c in self.columns], self.excel_rows(), title=self.title
        )
        add_notes_sheet(wb, _("Notes"), [*self.notes, *notes])
        return wb


def figures_row(figures: Figures, whole: int | None = None) -> dict:
    row = {
        "amount": figures.amount_fen,
        "prior": figures.prior_amount_fen,
        "yoy": figures.yoy_pct,
    }
    if whole is not None:
        row["share"] = share_pct(figures.amount_fen, whole)
    return row


def window_notes(ytd: YearToDate, scope_label: str) -> list[tuple[str, object]]:
    return [
        (_("As of"), ytd.as_of),
        (_("Scope"), scope_label),
        (_("This year"), f"{ytd.window.start} – {ytd.window.end}"),
        (_("Compared with"), f"{ytd.prior_window.start} – {ytd.prior_window.end}"),
        (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


# -- the cockpit's tables --------------------------------------------------------------------------
def ranking_table(
    ranking: Ranking, total: Figures, share_label: str, links: dict[str, str] | None = None
) -> CockpitTable:
    """Groups ranked by year-to-date amount, with last year's same window, YoY and share; a
    group's name links to `links[code]` when given (its drill-down, its station page)."""
    links = links or {}
    group_label = GROUPING_LABELS.get(ranking.by, ranking.by)
    columns = [
        TableColumn("rank", _("Rank"), RANK),
        TableColumn("code", _("Code"), CODE, on_screen=False),
        TableColumn("name", str(group_label), link="url"),
        TableColumn("amount", _("Year to date"), AMOUNT),
        TableColumn("prior", _("Same period last year"), AMOUNT),
        TableColumn("yoy", _("YoY"), DELTA),
        TableColumn("share", share_label, PCT),
    ]
    rows = [
        {
            "rank": entry.rank,
            "code": entry.group.key,
            "name": entry.group.name,
            "url": links.get(entry.group.key),
            **figures_row(entry.group.figures, total.amount_fen),
        }
        for entry in ranking.entries
    ]
    footer = {"name": _("Total"), **figures_row(total, total.amount_fen)}
    title = _("Ranking by %(group)s") % {"group": group_label}
    return CockpitTable("ranking", title, columns, rows, footer)


def games_table(by_game: YearToDate, categories: dict[str, str]) -> CockpitTable:
    """Sales by game this year and in last year's same window, with each game's share."""
    total, prior = by_game.total.amount_fen, by_game.total.prior_amount_fen
    columns = [
        TableColumn("name", _("Game")),
        TableColumn("category", _("Category"), on_screen=False),
        TableColumn("amount", _("Year to date"), AMOUNT),
        TableColumn("prior", _("Same period last year"), AMOUNT),
        TableColumn("yoy", _("YoY"), DELTA),
        TableColumn("share", _("Share this year"), PCT),
        TableColumn("prior_share", _("Share last year"), PCT, on_screen=False),
    ]
    rows = [
        {
            "key": g.key,
            "name": g.name,
            "category": categories.get(g.key, ""),
            **figures_row(g.figures, total),
            "prior_share": share_pct(g.prior_amount_fen, prior),
        }
        for g in by_game.groups
    ]
    footer = {
        "name": _("Total"),
        **figures_row(by_game.total, total),
        "prior_share": share_pct(prior, prior),
    }
    return CockpitTable("games", _("Sales by game"), columns, rows, footer)


@dataclass(frozen=True)
class MonthRow:
    """One month of the trend: this year's amount (to the as-of day in its month), last year's
    same days, and last year's whole month."""

    month: dt.date
    amount_fen: int | None
    same_period_fen: int | None
    last_year_fen: int
    partial: bool

    @property
    def yoy_pct(self) -> Decimal | None:
        if self.amount_fen is None or self.same_period_fen is None:
            return None
        return yoy_pct(self.amount_fen, self.same_period_fen)


def month_rows(series: Series, as_of: dt.date) -> list[MonthRow]:
    """The twelve months of the as-of year from a monthly series (SeriesRunner.monthly)."""
    current: dict[int, tuple[int, int]] = {}
    last_year: dict[int, int] = {}
    for point in series.points:
        if point.period.year == as_of.year:
            current[point.period.month] = (point.amount_fen, point.prior_amount_fen or 0)
        elif point.period.year == as_of.year - 1:
            last_year[point.period.month] = point.amount_fen
    rows = []
    for month in range(1, 13):
        inside = month <= as_of.month
        amount, same = current.get(month, (0, 0)) if inside else (None, None)
        rows.append(
            MonthRow(
                month=dt.date(as_of.year, month, 1),
                amount_fen=amount,
                same_period_fen=same,
                last_year_fen=last_year.get(month, 0),
                partial=month == as_of.month and not _last_day_of_month(as_of),
            )
        )
    return rows


def _last_day_of_month(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def monthly_table(rows: list[MonthRow], as_of: dt.date) -> CockpitTable:
    columns = [
        TableColumn("month", _("Month")),
        TableColumn("amount", str(as_of.year), AMOUNT),
        TableColumn("prior", _("%(year)s same days") % {"year": as_of.year - 1}, AMOUNT),
        TableColumn("yoy", _("YoY"), DELTA),
        TableColumn("last_year", _("%(year)s whole month") % {"year": as_of.year - 1}, AMOUNT),
    ]
    table_rows = []
    for row in rows:
        label = row.month.strftime("%Y-%m")
        if row.partial:
            label = _("%(month)s (to %(day)s)") % {"month": label, "day": as_of.strftime("%m-%d")}
        table_rows.append(
            {
                "month": label,
                "amount": row.amount_fen,
                "prior": row.same_period_fen,
                "yoy": row.yoy_pct,
                "last_year": row.last_year_fen,
            }
        )
    return CockpitTable("monthly", _("Sales by month"), columns, table_rows)
