"""The `fucai demo` step that writes the demo's monthly archive (2015–2020, city × category ×
month; fucai.sales.archive), so that record highs compare 2023 with years before the daily facts.

Calibrated against the demo's own daily sales: each city's and month's share of a category is
its share in 2021 (the first year of daily facts), and the province's yearly totals follow the
outline of Jiangxi's welfare sales: 41–49亿元 a year in 2015–2018, rising, with instant tickets
a shrinking 14 → 11 % of it, then a fall in 2019 and the 2020 closure (February almost nothing,
March 40 % of a normal month). The windows to 3 September of 2015–2018 (≈ 26.7, 28.8, 30.6 and
31.7亿元) are above 2023's (26.06亿元), so the province's total is not a record high as of
2023-09-03, while instant tickets (under 3.9亿元 in the window of any archive year, 5.75亿元 in
2023's) are — as in the seed report.
Deterministic: no randomness, the same daily sales give the same archive.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from fractions import Fraction

import numpy as np
import pyarrow as pa
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fucai.sales.archive import (
    ARCHIVE_MANIFEST,
    ARCHIVE_SCHEMA,
    archive_stamp,
    clear_archive,
    write_archive,
)
from fucai.sales.demo.calibrate import integerize
from fucai.sales.demo.targets import DRAW, INSTANT
from fucai.sales.store import SalesStore, write_json_atomic

ARCHIVE_DEMO_VERSION = "1"
MARKER = "archive-demo.json"
SHAPE_YEAR = 2021  # the first year of the demo's daily facts
YUAN = 100
# (year): (province total in yuan, instant tickets' share of it)
YEARS: dict[int, tuple[int, Fraction]] = {
    2015: (4_120_000_000, Fraction("0.14")),
    2016: (4_460_000_000, Fraction("0.13")),
    2017: (4_730_000_000, Fraction("0.12")),
    2018: (4_910_000_000, Fraction("0.11")),
    2019: (3_840_000_000, Fraction("0.10")),
    2020: (2_670_000_000, Fraction("0.09")),
}
CLOSURE = {(2020, 2): 0.05, (2020, 3): 0.4}  # share of a normal month sold in the 2020 closure


def shape(store: SalesStore) -> dict[str, dict[tuple[str, int], float]]:
    """{category: {(city, month): share of the category's year}} of the demo's SHAPE_YEAR."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.runners import SeriesRunner
    from fucai.analytics.scope import Scope

    context = AnalyticsContext(backend="duckdb", store=store)
    series = SeriesRunner(context, Scope.province()).monthly(
        dt.date(SHAPE_YEAR, 12, 31), by="city,game_category"
    )
    amounts: dict[str, dict[tuple[str, int], int]] = defaultdict(dict)
    for point in series.points:
        if point.period.year == SHAPE_YEAR and point.amount_fen:
            city, category = point.key.split("/")
            amounts[category][(city, point.period.month)] = point.amount_fen
    return {
        category: {cell: fen / sum(cells.values()) for cell, fen in cells.items()}
        for category, cells in amounts.items()
    }


def archive_rows(shares: dict[str, dict[tuple[str, int], float]]) -> pa.Table:
    """The archive's rows (whole yuan, each year's categories summing to its total exactly)."""
    columns: dict[str, list] = {f.name: [] for f in ARCHIVE_SCHEMA}
    for year, (total_yuan, instant_share) in YEARS.items():
        instant = int(total_yuan * instant_share)
        for category, yuan in ((DRAW, total_yuan - instant), (INSTANT, instant)):
            cells = sorted(shares.get(category, {}))
            weights = np.array(
                [shares[category][c] * CLOSURE.get((year, c[1]), 1.0) for c in cells]
            )
            amounts = integerize(weights / weights.sum() * yuan, yuan) if cells else []
            for (city, month), amount in zip(cells, amounts, strict=True):
                columns["city_code"].append(city)
                columns["category"].append(category)
                columns["month"].append(dt.date(year, month, 1))
                columns["amount_fen"].append(int(amount) * YUAN)
    return pa.table(columns, schema=ARCHIVE_SCHEMA)


class ArchiveDemoBuilder:
    """The monthly archive 2015–2020, calibrated to the demo's daily sales of 2021."""

    label = gettext_lazy("monthly archive 2015–2020")

    def __init__(self, store: SalesStore | None = None) -> None:
        self._store = store

    @property
    def store(self) -> SalesStore:
        return self._store or SalesStore()

    def _marker(self) -> dict:
        path = self.store.root / MARKER
        return json.loads(path.read_text()) if path.exists() else {}

    def _expected(self, ctx) -> dict:
        return {
            "seed": ctx.seed,
            "version": ARCHIVE_DEMO_VERSION,
            "sha256": archive_stamp(self.store),
        }

    def is_current(self, ctx) -> bool:
        marker = self._marker()
        return bool(marker) and bool(marker["sha256"]) and marker == self._expected(ctx)

    def foreign_data(self, ctx) -> str | None:
        store = self.store
        if not (store.root / ARCHIVE_MANIFEST).exists() or (store.root / MARKER).exists():
            return None
        return _(
            "the sales store %(path)s holds a monthly archive that `fucai demo` did not build; "
            "build the demo with an empty data directory (set FUCAI_DATA_DIR)"
        ) % {"path": store.root}

    def wipe(self, ctx) -> None:
        (self.store.root / MARKER).unlink(missing_ok=True)
        clear_archive(self.store)

    def build(self, ctx) -> None:
        store = self.store
        rows = archive_rows(shape(store))
        write_archive(store, rows)
        ctx.progress(_("monthly archive"), rows.num_rows)
        write_json_atomic(store.root / MARKER, self._expected(ctx))
