"""The Ministry of Finance's provincial table (sheet 各地区彩票销售情况) → MofReport rows.

Layout (docs/formats.md has an example): a title naming the period ("2023年8月各地区彩票销售
情况" or "2023年1-8月…"), optionally a unit line ("单位：万元", the default; 亿元 and 元 are
understood), a header row with the groups 福利彩票, 体育彩票, 合计 (merged cells) above a row of
sub-headers (本月 / 同比增长 / 本年累计 / 同比增长), then one row per region (全国 or 合计 first or
last). A cell above the header reading "来源：…" names the figures' source; it is kept with the
rows (MofReport.note: the demo's table says "synthetic (demo)"). Amounts become integer fen;
percentages stay as published (two decimals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from fucai.sales.choices import MofLottery
from fucai.sales.ingest.errors import RowError
from fucai.sales.ingest.readers import MOF_SHEET

GROUPS = {"福利彩票": MofLottery.WELFARE, "体育彩票": MofLottery.SPORTS, "合计": MofLottery.TOTAL}
UNITS = {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "元": Decimal(1)}
PERIOD_RE = re.compile(r"(\d{4})\s*年\s*(?:1\s*[-—～~至]\s*)?(\d{1,2})\s*月")
REGION_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")
NATIONAL = "全国"
NOTE_RE = re.compile(r"(?:数据)?来源[:：]\s*(.+)")


@dataclass
class MofCell:
    region: str
    lottery: str
    month_amount_fen: int | None = None
    month_yoy_pct: Decimal | None = None
    ytd_amount_fen: int | None = None
    ytd_yoy_pct: Decimal | None = None


@dataclass
class MofTable:
    year: int
    month: int
    cells: list[MofCell] = field(default_factory=list)
    rows: int = 0
    note: str = ""  # the line above the header naming the figures' source (来源：…)

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"


def short_region(name: str) -> str:
    text = re.sub(r"\s+", "", str(name or ""))
    if text in ("合计", "总计", "全国合计", NATIONAL):
        return NATIONAL
    for suffix in REGION_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def _text(value) -> str:
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


def _number(value) -> Decimal | None:
    """A cell as a Decimal; None for blank, "-" or "—"; raises ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = _text(value).replace(",", "").rstrip("%")
    if text in ("", "-", "—", "--", "/"):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


def _fen(amount: Decimal | None, unit: Decimal) -> int | None:
    if amount is None:
        return None
    return int((amount * unit * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _note(rows: list[tuple]) -> str:
    """The text after "来源：" (or "数据来源：") in a cell above the header, if any."""
    for values in rows:
        for value in values:
            match = NOTE_RE.search(str(value or ""))
            if match:
                return match.group(1).strip()[:200]
    return ""


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    for i, values in enumerate(rows):
        found = {GROUPS[_text(v)]: j for j, v in enumerate(values) if _text(v) in GROUPS}
        if MofLottery.WELFARE in found and MofLottery.SPORTS in found:
            return i, found
    return None


def _sub_columns(sub: tuple, start: int) -> dict[str, int]:
    """Which of the four columns from `start` hold month, month YoY, YTD and YTD YoY."""
    roles: dict[str, int] = {}
    last_amount = None
    for j in range(start, min(start + 4, len(sub))):
        label = _text(sub[j])
        if "同比" in label or "增长" in label or "%" in label:
            roles["ytd_yoy" if last_amount == "ytd" else "month_yoy"] = j
        elif "累计" in label or "本年" in label:
            roles["ytd"], last_amount = j, "ytd"
        else:
            roles["month"], last_amount = j, "month"
    return roles


def parse_mof_workbook(
    path: Path, label: str, period: tuple[int, int] | None = None
) -> tuple[MofTable | None, list[RowError]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [tuple(r) for r in wb[MOF_SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()
    header = _find_header(rows)
    if header is None:
        return None, [RowError(label, None, "", "mof_no_header")]
    head_index, groups = header
    intro = " ".join(_text(v) for r in rows[:head_index] for v in r if v is not None)
    match = PERIOD_RE.search(intro) or PERIOD_RE.search(path.stem)
    if period is None and match is None:
        return None, [RowError(label, None, "", "mof_no_period")]
    year, month = period or (int(match.group(1)), int(match.group(2)))
    unit = next((u for name, u in UNITS.items() if name in intro), UNITS["万元"])
    table = MofTable(year=year, month=month, note=_note(rows[:head_index]))
    errors: list[RowError] = []
    sub = rows[head_index + 1] if head_index + 1 < len(rows) else ()
    layout = {lottery: _sub_columns(sub, col) for lottery, col in groups.items()}
    seen: dict[str, int] = {}
    for number, values in enumerate(rows[head_index + 2 :], start=head_index + 3):
        region = short_region(values[0] if values else "")
        if not region:
            continue
        if region in seen:
            errors.append(
                RowError(
                    label, number, "地区", "mof_duplicate_region", region, other=str(seen[region])
                )
            )
            continue
        seen[region] = number
        table.rows += 1
        for lottery, roles in layout.items():
            cell = MofCell(region=region, lottery=lottery)
            for role, j in roles.items():
                raw = values[j] if j < len(values) else None
                try:
                    value = _number(raw)
                except ValueError:
                    errors.append(
                        RowError(label, number, str(sub[j] or role), "mof_bad_number", str(raw))
                    )
                    continue
                if role in ("month", "ytd"):
                    setattr(cell, f"{role}_amount_fen", _fen(value, unit))
                else:
                    setattr(cell, f"{role}_pct", _pct(value))
            table.cells.append(cell)
    if not table.rows:
        errors.append(RowError(label, None, "", "no_rows"))
    return table, errors
