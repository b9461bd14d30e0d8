"""The `fucai demo` step that ships a Ministry of Finance provincial table (sheet
各地区彩票销售情况) for 2021-01 … 2023-12 and imports it like a user would: one workbook per month,
each an import record in the import history.

What is real and what is not (each workbook says "来源：synthetic (demo)", which the import keeps
as the rows' source note, MofReport.note, shown on the cockpit and by `fucai sales market-share`):
- 全国: the national welfare and sports figures equal the public ones in
  `PUBLIC_FIGURES` (the Ministry's releases, data/mof_lottery_figures.csv in the shared data, in
  亿元) wherever a month or a year-to-date figure was published or follows from a published
  figure and its published change; the other months are spread between them by a fixed shape.
- 江西 welfare: the demo's own sales, month by month, read from the sales store through the
  analytics runners (SeriesRunner, the province's scope) when the step runs: exact to the fen.
- Everything else (江西's sports lottery and the other 30 provinces) is synthetic, calibrated so
  that 江西's welfare share of lottery sales and its national rank by welfare sales both improve
  on the year before, January – August (the seed report of 2023-09-03: "全国排名有进位、市场份额
  有提升"): rank `JIANGXI_RANK` and sports ÷ welfare `JIANGXI_SPORTS_RATIO` per year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fucai.sales.demo.builder import read_marker
from fucai.sales.demo.targets import YEARS
from fucai.sales.ingest.mof import NATIONAL
from fucai.sales.ingest.readers import MOF_SHEET
from fucai.sales.store import SalesStore

MOF_DEMO_VERSION = "2"  # 2: its import records say source demo
MARKER = "mof-demo.json"
NOTE = "synthetic (demo)"
YI_FEN = 10**10  # 1 亿元 in fen
WAN_FEN = 10**6  # 1 万元 in fen
UNIT_FEN = 10**4  # national months are whole 0.01 万元, as the Ministry prints them
CALIBRATION_MONTH = 8  # the seed report's window, 1 January – 3 September: the August table
WELFARE, SPORTS = "welfare", "sports"

# The public national figures, 亿元: (year, lottery) → ({month: amount}, {months to date: amount}).
# "=" published; "~" follows from a published figure and its published change a year later.
PUBLIC_FIGURES: dict[tuple[int, str], tuple[dict[int, str], dict[int, str]]] = {
    (2021, WELFARE): ({12: "142.34"}, {12: "1422.55"}),  # ~ 2022-12 −24.03, 2022 +58.76
    (2021, SPORTS): ({12: "180.23"}, {12: "2310.31"}),  # ~ 2022-12 +319.95, 2022 +454.91
    (2022, WELFARE): (
        {1: "139.79", 10: "109.91", 12: "118.31"},  # ~ 2023-01 −31.38; ~ 2023-10; = 2022-12
        {10: "1232.23", 12: "1481.31"},  # ~ 2023-01..10 (total − sports changes); = 2022
    ),
    (2022, SPORTS): (
        {1: "168.41", 10: "187.28", 12: "500.18"},  # ~ 2023-01 +55.41; ~ 2023-10 +131.25; =
        {10: "1877.37", 12: "2765.22"},  # ~ 2023-01..10 +1281.12; = 2022
    ),
    (2023, WELFARE): (
        {1: "108.41", 10: "154.88", 12: "174.76"},  # =; 2023-10 total 473.41 − sports; =
        {7: "1076.82", 10: "1600.27", 12: "1944.41"},
    ),
    (2023, SPORTS): (
        {1: "223.82", 10: "318.53", 12: "358.08"},
        {7: "2151.21", 10: "3158.49", 12: "3852.55"},
    ),
}
SHAPE = (1.00, 0.86, 1.00, 0.98, 1.01, 1.00, 1.02, 1.04, 1.02, 1.04, 1.03, 1.06)

JIANGXI = "江西"
JIANGXI_RANK = {2021: 13, 2022: 12, 2023: 10}  # by welfare sales, January – August
JIANGXI_SPORTS_RATIO = {2021: Decimal("1.40"), 2022: Decimal("1.45"), 2023: Decimal("1.25")}
# The other regions, largest welfare sales first (the table's names; short names are read).
OTHERS = (
    "广东省",
    "山东省",
    "江苏省",
    "浙江省",
    "河南省",
    "四川省",
    "湖北省",
    "湖南省",
    "河北省",
    "福建省",
    "安徽省",
    "广西壮族自治区",
    "云南省",
    "辽宁省",
    "陕西省",
    "北京市",
    "上海市",
    "重庆市",
    "山西省",
    "贵州省",
    "黑龙江省",
    "吉林省",
    "内蒙古自治区",
    "新疆维吾尔自治区",
    "天津市",
    "甘肃省",
    "海南省",
    "宁夏回族自治区",
    "青海省",
    "西藏自治区",
)

Months = dict[int, int]  # month → fen
Table = dict[tuple[str, str], Months]  # (region, lottery) → the year's months


# -- the national figures -------------------------------------------------------------------------
def national_months(year: int, lottery: str) -> Months:
    """The twelve national months of a year in fen: the public months as published, the others
    spread by SHAPE so that every published year-to-date figure holds."""
    fixed, to_date = PUBLIC_FIGURES[(year, lottery)]
    fixed_fen = {m: _yi(v) for m, v in fixed.items()}
    months: Months = dict(fixed_fen)
    start, before = 0, 0
    for end in sorted(to_date):
        segment = range(start + 1, end + 1)
        rest = _yi(to_date[end]) - before - sum(fixed_fen.get(m, 0) for m in segment)
        free = [m for m in segment if m not in fixed_fen]
        months.update(_spread(rest, {m: SHAPE[m - 1] for m in free}, UNIT_FEN))
        start, before = end, _yi(to_date[end])
    return months


def _yi(text: str) -> int:
    return int(Decimal(text) * YI_FEN)


def _spread(total: int, weights: dict, unit: int) -> dict:
    """`total` fen over the keys in proportion to `weights`, in whole `unit`s (largest
    remainders), summing exactly to `total` (a multiple of `unit`, or the last key takes the
    rest)."""
    if not weights:
        return {}
    units, odd = divmod(total, unit)
    whole = sum(weights.values())
    raw = {k: units * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    short = units - sum(out.values())
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[:short]:
        out[k] += 1
    result = {k: v * unit for k, v in out.items()}
    result[next(reversed(result))] += odd
    return result


# -- the provinces --------------------------------------------------------------------------------
def province_table(year: int, jiangxi_welfare: Months, seed: int) -> Table:
    """Every region's months of a year: 全国 (public), 江西 welfare (the demo's sales) and the
    synthetic rest, calibrated to JIANGXI_RANK and JIANGXI_SPORTS_RATIO over January – August."""
    national = {lot: national_months(year, lot) for lot in (WELFARE, SPORTS)}
    window = range(1, CALIBRATION_MONTH + 1)
    j_window = sum(jiangxi_welfare[m] for m in window)
    sports_window = sum(national[SPORTS][m] for m in window)
    sports_share = JIANGXI_SPORTS_RATIO[year] * j_window / sports_window
    jiangxi_sports = {
        m: int((national[SPORTS][m] * sports_share).quantize(Decimal(1), ROUND_HALF_UP))
        for m in national[SPORTS]
    }
    table: Table = {
        (NATIONAL, WELFARE): national[WELFARE],
        (NATIONAL, SPORTS): national[SPORTS],
        ("江西省", WELFARE): dict(jiangxi_welfare),
        ("江西省", SPORTS): jiangxi_sports,
    }
    ratio = j_window / (sum(national[WELFARE][m] for m in window) - j_window)
    welfare_weights = other_weights(JIANGXI_RANK[year], ratio)
    rng = random.Random(f"{seed}-{year}")
    sports_weights = {name: w * rng.uniform(1.3, 2.6) for name, w in welfare_weights.items()}
    for lottery, weights, own in (
        (WELFARE, welfare_weights, jiangxi_welfare),
        (SPORTS, sports_weights, jiangxi_sports),
    ):
        for month in range(1, 13):
            rest = national[lottery][month] - own[month]
            for name, amount in _spread(rest, weights, 1).items():
                table.setdefault((name, lottery), {})[month] = amount
    return table


def other_weights(rank: int, ratio: float) -> dict[str, float]:
    """Each other region's part of the national welfare sales without 江西, such that 江西 (whose
    sales are `ratio` times that rest) comes `rank`-th: the first rank − 1 regions at least 10 %
    above it, the others at least 10 % below."""
    ratio = float(ratio)
    above, below = OTHERS[: rank - 1], OTHERS[rank - 1 :]
    step = 0.78 / max(len(below) - 1, 1)
    low = {name: ratio * (0.9 - i * step) for i, name in enumerate(below)}
    spare = 1 - sum(low.values()) - len(above) * ratio * 1.1
    if spare <= 0:
        raise ValueError(f"rank {rank} cannot be reached with a share ratio of {ratio:.4f}")
    geometric = [0.82**i for i in range(len(above))]
    high = {
        name: ratio * 1.1 + spare * g / sum(geometric)
        for name, g in zip(above, geometric, strict=True)
    }
    return {**high, **low}


# -- the workbook ---------------------------------------------------------------------------------
def write_workbook(path: Path, year: int, month: int, table: Table, prior: Table | None) -> Path:
    """One month's table in the Ministry's layout (万元; the import reads it to the fen)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = MOF_SHEET
    ws.append([f"{year}年{month}月各地区彩票销售情况"])
    ws.append([f"来源：{NOTE}"])
    ws.append(
        [
            "说明：全国合计与财政部公布数一致（已公布处）；江西福利彩票为演示数据的销量；"
            "其他省份为合成数据，仅供演示。"
        ]
    )
    ws.append(["单位：万元"])
    ws.append(["地区", "福利彩票", None, None, None, "体育彩票", None, None, None, "合计"])
    ws.append([None, *(["本月", "同比增长(%)", "本年累计", "同比增长(%)"] * 3)])
    for region in (NATIONAL, "江西省", *OTHERS):
        ws.append([region, *_row(table, prior, region, month)])
    for cells in ("B5:E5", "F5:I5", "J5:M5"):
        ws.merge_cells(cells)
    wb.save(path)
    return path


def _row(table: Table, prior: Table | None, region: str, month: int) -> list:
    cells: list = []
    totals = [0, 0, 0, 0]
    for lottery in (WELFARE, SPORTS, None):
        if lottery is None:
            now, ytd, before, before_ytd = totals
        else:
            now, ytd = _month_and_ytd(table, region, lottery, month)
            before, before_ytd = _month_and_ytd(prior, region, lottery, month)
            totals = [a + b for a, b in zip(totals, (now, ytd, before, before_ytd), strict=True)]
        cells += [_wan(now), _yoy(now, before), _wan(ytd), _yoy(ytd, before_ytd)]
    return cells


def _month_and_ytd(table: Table | None, region: str, lottery: str, month: int) -> tuple[int, int]:
    if table is None:
        return 0, 0
    months = table[(region, lottery)]
    return months[month], sum(months[m] for m in range(1, month + 1))


def _wan(fen: int) -> float:
    """Fen as 万元 (up to six decimals: exact to the fen, and exact as a float)."""
    return float(Decimal(fen) / WAN_FEN)


def _yoy(now: int, before: int) -> float | str:
    if not before:
        return "—"
    pct = (Decimal(now) / Decimal(before) - 1) * 100
    return float(pct.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# -- the builder ----------------------------------------------------------------------------------
def jiangxi_welfare_months(store: SalesStore) -> dict[int, Months]:
    """The demo's province sales per month of each year, through the analytics runners."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.runners import SeriesRunner
    from fucai.analytics.scope import Scope

    context = AnalyticsContext(backend="duckdb", store=store)
    runner = SeriesRunner(context, Scope.province())
    months: dict[int, Months] = {year: dict.fromkeys(range(1, 13), 0) for year in YEARS}
    for year in YEARS:
        for point in runner.monthly(dt.date(year, 12, 31)).points:
            if point.period.year == year:
                months[year][point.period.month] = point.amount_fen
    return months


def write_demo_workbooks(folder: Path, store: SalesStore, seed: int) -> list[Path]:
    """The 36 monthly workbooks, 2021-01 … 2023-12."""
    folder.mkdir(parents=True, exist_ok=True)
    jiangxi = jiangxi_welfare_months(store)
    tables = {year: province_table(year, jiangxi[year], seed) for year in YEARS}
    return [
        write_workbook(
            folder / f"{year}年{month}月各地区彩票销售情况（{NOTE}）.xlsx",
            year,
            month,
            tables[year],
            tables.get(year - 1),
        )
        for year in YEARS
        for month in range(1, 13)
    ]


class MofDemoBuilder:
    """The Ministry of Finance's provincial table 2021–2023 (national figures public, 江西 welfare
    the demo's sales, the rest synthetic), imported into the import history."""

    label = gettext_lazy("Ministry of Finance table 2021–2023 (synthetic)")

    def __init__(self, store: SalesStore | None = None) -> None:
        self._store = store

    @property
    def store(self) -> SalesStore:
        return self._store or SalesStore()

    def _expected(self, ctx) -> dict:
        from fucai.sales.models import MofReport

        rows = MofReport.objects.filter(note=NOTE)
        return {
            "seed": ctx.seed,
            "version": MOF_DEMO_VERSION,
            "sales": hashlib.sha256(
                json.dumps(read_marker(self.store), sort_keys=True).encode()
            ).hexdigest(),
            "rows": rows.count(),
            "months": rows.values("year", "month").distinct().count(),
        }

    def is_current(self, ctx) -> bool:
        path = self.store.root / MARKER
        return path.exists() and json.loads(path.read_text()) == self._expected(ctx)

    def foreign_data(self, ctx) -> str | None:
        from fucai.sales.models import MofReport

        others = MofReport.objects.exclude(note=NOTE).count()
        if not others:
            return None
        return _(
            "the database holds %(rows)s Ministry of Finance figures that `fucai demo` did not "
            "import"
        ) % {"rows": f"{others:,}"}

    def wipe(self, ctx) -> None:
        from fucai.sales.models import MofReport, SalesImport

        (self.store.root / MARKER).unlink(missing_ok=True)
        imports = set(MofReport.objects.filter(note=NOTE).values_list("source", flat=True))
        rows = MofReport.objects.filter(note=NOTE)
        rows._raw_delete(rows.db)  # no per-row audit: the demo's own rows, rebuilt at once
        SalesImport.objects.filter(pk__in=imports - {None}).delete()

    def build(self, ctx) -> None:
        from fucai.sales.ingest.importer import import_files

        store = self.store
        folder = store.root / "demo-mof"
        paths = write_demo_workbooks(folder, store, ctx.seed)
        ctx.progress(_("Ministry of Finance tables"), len(paths))
        outcome = import_files(paths, kind="mof", store=store)
        if not outcome.ok:
            raise RuntimeError("; ".join(str(e) for e in outcome.errors))
        mark_demo_imports()
        store.root.joinpath(MARKER).write_text(json.dumps(self._expected(ctx)))


def mark_demo_imports() -> None:
    """The import records of the demo's Ministry tables say they are demo data (source demo)."""
    from fucai.sales.choices import ImportSource
    from fucai.sales.models import MofReport, SalesImport

    ids = MofReport.objects.filter(note=NOTE).values_list("source", flat=True).distinct()
    SalesImport.objects.filter(pk__in=list(ids)).update(source=ImportSource.DEMO)
