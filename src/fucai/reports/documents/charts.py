"""The bulletin's charts, drawn on the server as PNG with matplotlib (Agg, no display): the
monthly trend, the ranking of cities (a city's bulletin: its counties), the game mix and the
map of sales by city (or by county). Every figure comes from the sales cockpit of the user and
scope (fucai.sales.cockpit.Cockpit: the analytics runners with the user's own Scope, drilled to
the city), so a chart shows nothing its reader may not see and states no figure of its own.

Labels are in the document's language (the bulletin is a Chinese text: `translation.override`
by the caller); the fonts are Noto Sans CJK SC (fucai.reports.documents.fonts)."""

from __future__ import annotations

import datetime as dt
import io
import math
import threading
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from fucai.reports.documents.fonts import FAMILIES, FILES, cjk_font

PROVINCE = "province"
DPI = 150
SIZE_IN = (6.3, 3.6)  # 16 cm wide: the A4 text block of a government document is 15.6 cm
MAP_SIZE_IN = (6.3, 5.4)
CURRENT, PRIOR = "#c0392b", "#a6adb4"  # this year in the bulletin's red, last year in grey
CATEGORY_COLOURS = ("#c0392b", "#2e6da4", "#8e7cc3", "#e69138")
_lock = threading.Lock()  # matplotlib's font manager and rc are process-wide
_fonts_loaded = False


@dataclass(frozen=True)
class Chart:
    """One chart of the bulletin: its caption and the PNG, laid out `width_cm` wide."""

    key: str  # monthly | ranking | games | map
    title: str
    png: bytes
    width_cm: float = 15.0


def bulletin_charts(user, as_of: dt.date, scope_code: str, context=None) -> tuple[Chart, ...]:
    """The four charts of `user`'s bulletin for `scope_code` ("province" or a city adcode the
    user sees whole: the caller checks) as of `as_of`."""
    from fucai.sales.cockpit import Cockpit

    city = None if scope_code == PROVINCE else scope_code
    cockpit = Cockpit(user, as_of, city=city, context=context)
    level = "county" if city else "city"
    return (
        monthly_chart(cockpit.months(), as_of),
        ranking_chart(cockpit.ranked.entries, level),
        games_chart(cockpit.by_game.groups, _categories()),
        map_chart(cockpit.map_json(city)["regions"], level, city),
    )


# -- the charts ---------------------------------------------------------------------------------
def monthly_chart(rows, as_of: dt.date) -> Chart:
    """This year's months to the as-of day beside the same days of last year (MonthRow)."""
    rows = [r for r in rows if r.amount_fen is not None]
    unit = Unit.of(max([r.amount_fen for r in rows] + [r.same_period_fen or 0 for r in rows]))
    title = _("Monthly sales, %(year)s against the same days of %(prior)s") % {
        "year": as_of.year,
        "prior": as_of.year - 1,
    }
    with _figure(SIZE_IN) as (fig, ax):
        xs = range(len(rows))
        width = 0.38
        ax.bar([x - width / 2 for x in xs], [unit.of_fen(r.amount_fen) for r in rows], width,
               color=CURRENT, label=str(as_of.year))  # fmt: skip
        ax.bar([x + width / 2 for x in xs], [unit.of_fen(r.same_period_fen or 0) for r in rows],
               width, color=PRIOR, label=str(as_of.year - 1))  # fmt: skip
        ax.set_xticks(list(xs), [_month_label(r) for r in rows])
        ax.set_ylabel(unit.label)
        if rows and rows[-1].partial:
            ax.set_xlabel(_("* to %(day)s") % {"day": as_of.isoformat()}, fontsize=7, loc="right")
        ax.legend(frameon=False, fontsize=8)
        _tidy(ax)
        return Chart("monthly", title, _png(fig))


def ranking_chart(entries, level: str) -> Chart:
    """The ranked cities (or counties) by year-to-date amount, the first at the top, each with
    its amount and YoY (RankingRunner's entries)."""
    if level == "city":
        title = _("Sales by city, year to date")
    else:
        title = _("Sales by county, year to date")
    groups = [e.group for e in entries]
    unit = Unit.of(max([g.amount_fen for g in groups], default=0))
    height = max(SIZE_IN[1], 0.3 * len(groups) + 0.8)
    with _figure((SIZE_IN[0], height)) as (fig, ax):
        ys = list(range(len(groups)))[::-1]
        values = [unit.of_fen(g.amount_fen) for g in groups]
        ax.barh(ys, values, color=CURRENT, height=0.6)
        ax.set_yticks(ys, [g.name for g in groups])
        for y, value, g in zip(ys, values, groups, strict=True):
            ax.annotate(f" {value:,.2f}  {_pct(g.figures.yoy_pct)}", (value, y), va="center",
                        fontsize=7)  # fmt: skip
        ax.set_xlabel(unit.label)
        ax.margins(x=0.22)
        _tidy(ax, empty=not groups)
        return Chart("ranking", title, _png(fig))


def games_chart(groups, categories: dict[str, tuple[str, str]]) -> Chart:
    """Year-to-date amount of each game, coloured by its category, with its share."""
    from fucai.sales.money import share_pct

    groups = sorted(groups, key=lambda g: -g.amount_fen)
    total = sum(g.amount_fen for g in groups)
    unit = Unit.of(max([g.amount_fen for g in groups], default=0))
    kinds = sorted({categories.get(g.key, ("", ""))[0] for g in groups})
    colour = {k: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, k in enumerate(kinds)}
    height = max(SIZE_IN[1], 0.3 * len(groups) + 0.8)
    with _figure((SIZE_IN[0], height)) as (fig, ax):
        ys = list(range(len(groups)))[::-1]
        values = [unit.of_fen(g.amount_fen) for g in groups]
        kind_of = [categories.get(g.key, ("", ""))[0] for g in groups]
        ax.barh(ys, values, height=0.6, color=[colour[k] for k in kind_of])
        ax.set_yticks(ys, [g.name for g in groups])
        for y, value, g in zip(ys, values, groups, strict=True):
            ax.annotate(f" {value:,.2f}  {_pct(share_pct(g.amount_fen, total), sign=False)}",
                        (value, y), va="center", fontsize=7)  # fmt: skip
        names = {code: name for code, name in categories.values()}
        handles = [_patch(colour[k]) for k in kinds]
        ax.legend(handles, [names.get(k, k) for k in kinds], frameon=False, fontsize=8,
                  loc="lower right")  # fmt: skip
        ax.set_xlabel(unit.label)
        ax.margins(x=0.22)
        _tidy(ax, empty=not groups)
        return Chart("games", _("Sales by game, year to date"), _png(fig))


def map_chart(regions: list[dict], level: str, city: str | None) -> Chart:
    """The cities (or a city's counties) shaded by year-to-date amount, each labelled with its
    name and amount; boundaries from fucai.geo (GCJ-02 longitude and latitude)."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.patches import Polygon

    features = _features(level, city)
    amounts = {r["code"]: Decimal(r["amount_yuan"]) * 100 for r in regions}
    unit = Unit.of(int(max(amounts.values(), default=0)))
    shades = LinearSegmentedColormap.from_list("fucai", ["#fbeaea", CURRENT])
    norm = Normalize(0, float(unit.of_fen(int(max(amounts.values(), default=1)))) or 1)
    title = (
        _("Sales by city on the map, year to date")
        if level == "city"
        else _("Sales by county on the map, year to date")
    )
    with _figure(MAP_SIZE_IN) as (fig, ax):
        patches, values = [], []
        for code, name, rings, (lon, lat) in features:
            value = float(unit.of_fen(int(amounts.get(code, 0))))
            for ring in rings:
                patches.append(Polygon(ring, closed=True))
                values.append(value)
            ax.annotate(f"{name}\n{value:,.2f}", (lon, lat), ha="center", va="center",
                        fontsize=6.5)  # fmt: skip
        collection = PatchCollection(patches, cmap=shades, norm=norm, edgecolor="white",
                                     linewidth=0.6)  # fmt: skip
        collection.set_array(values)
        ax.add_collection(collection)
        ax.autoscale_view()
        latitude = sum(f[3][1] for f in features) / max(len(features), 1)
        ax.set_aspect(1 / math.cos(math.radians(latitude)))
        ax.set_axis_off()
        bar = fig.colorbar(ScalarMappable(norm, shades), ax=ax, shrink=0.6)
        bar.set_label(unit.label)
        return Chart("map", title, _png(fig), width_cm=13.0)


# -- helpers ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """The unit a chart's amounts are drawn in: 亿元 when the largest is at least one, else 万元."""

    label: str
    fen: int

    @classmethod
    def of(cls, largest_fen: int) -> Unit:
        if largest_fen >= 10**10:
            return cls(_("100 million yuan"), 10**10)
        return cls(_("10,000 yuan"), 10**6)

    def of_fen(self, fen: int) -> Decimal:
        return (Decimal(int(fen)) / self.fen).quantize(Decimal("0.01"))


def _categories() -> dict[str, tuple[str, str]]:
    """Each game's category: code → (category code, category name)."""
    from fucai.sales.models import Game

    return {g.code: (g.category, str(g.get_category_display())) for g in Game.objects.all()}


def _features(level: str, city: str | None) -> list[tuple[str, str, list, tuple[float, float]]]:
    """(adcode, name, outer rings, label point) of the cities, or of one city's counties."""
    from fucai.geo.loader import boundaries

    found = []
    for feature in boundaries(level)["features"]:
        props = feature["properties"]
        if city and str(props.get("parent", {}).get("adcode")) != city:
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [polygon[0] for polygon in polygons]
        point = props.get("centroid") or props.get("center")
        found.append((str(props["adcode"]), props["name"], rings, tuple(point)))
    return found


def _month_label(row) -> str:
    label = _("Month %(month)s") % {"month": row.month.month}
    return label + ("*" if row.partial else "")


def _pct(value: Decimal | None, sign: bool = True) -> str:
    if value is None:
        return ""
    return f"{value:+.1f}%" if sign else f"{value:.1f}%"


def _patch(colour: str):
    from matplotlib.patches import Patch

    return Patch(color=colour)


def _tidy(ax, empty: bool = False) -> None:
    if empty:  # a scope or year without sales: say so rather than show bare axes
        ax.text(0.5, 0.5, _("No sales to date"), transform=ax.transAxes, ha="center")
        ax.set_xticks([])
        ax.set_yticks([])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


class _figure:
    """A figure drawn in the CJK font under the module's lock (matplotlib's rc is global)."""

    def __init__(self, size: tuple[float, float]) -> None:
        self.size = size

    def __enter__(self):
        import matplotlib
        from matplotlib.figure import Figure

        _lock.acquire()
        try:
            _load_fonts()
            self._rc = matplotlib.rc_context(
                {"font.family": FAMILIES["sans"], "axes.unicode_minus": False}
            )
            self._rc.__enter__()
        except BaseException:
            _lock.release()
            raise
        fig = Figure(figsize=self.size, layout="constrained")
        return fig, fig.subplots()

    def __exit__(self, *exc) -> None:
        try:
            self._rc.__exit__(*exc)
        finally:
            _lock.release()


def _load_fonts() -> None:
    global _fonts_loaded
    if _fonts_loaded:
        return
    from matplotlib import font_manager

    for family, style in FILES:
        if family == "sans":
            font_manager.fontManager.addfont(str(cjk_font(family, style).path))
    _fonts_loaded = True


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
