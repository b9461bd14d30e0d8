"""The province sales cockpit (issue 3, item 8); its charts call /api/sales/cockpit/….

Every figure comes from fucai.sales.cockpit, which asks the analytics runners with the request
user's own scope: a city agency sees its city, a market manager their territory.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.results import Figures, MarketShare
from fucai.core.excel import Column, table_workbook, xlsx_response
from fucai.core.grant import IMPORT_SALES, grant_for
from fucai.sales.cockpit import Cards, Cockpit, PlaceNotInScope, sales_span
from fucai.sales.forms import CockpitForm
from fucai.sales.forms.imports import SalesImportForm
from fucai.sales.ingest.importer import ImportRefused, import_scope
from fucai.sales.jobs import ImportBatch, enqueue_import, store_uploads
from fucai.sales.models import SalesImport
from fucai.sales.records import record_texts
from fucai.sales.tables.cockpit import delta_class, money, pct_text

EXPORTS = ("ranking", "games", "monthly")
MONTHS = (
    pgettext_lazy("short month in charts", "Jan"),
    pgettext_lazy("short month in charts", "Feb"),
    pgettext_lazy("short month in charts", "Mar"),
    pgettext_lazy("short month in charts", "Apr"),
    pgettext_lazy("short month in charts", "May"),
    pgettext_lazy("short month in charts", "Jun"),
    pgettext_lazy("short month in charts", "Jul"),
    pgettext_lazy("short month in charts", "Aug"),
    pgettext_lazy("short month in charts", "Sep"),
    pgettext_lazy("short month in charts", "Oct"),
    pgettext_lazy("short month in charts", "Nov"),
    pgettext_lazy("short month in charts", "Dec"),
)


def _cockpit(request: HttpRequest) -> tuple[Cockpit, CockpitForm]:
    context = AnalyticsContext.current()
    span = sales_span(context)
    form = CockpitForm.for_request(request, span)
    try:
        cockpit = Cockpit(
            request.user,
            form.as_of_date,
            form.compare_rule,
            context=context,
            city=request.GET.get("city"),
            county=request.GET.get("county"),
        )
    except PlaceNotInScope:  # another city's code reads as a code that does not exist
        raise Http404(_("No such place in your scope.")) from None
    return cockpit, form


@login_required
@require_GET
def cockpit(request: HttpRequest) -> HttpResponse:
    """The cockpit page; `?export=ranking|games|monthly` downloads that table as Excel."""
    board, form = _cockpit(request)
    export = request.GET.get("export")
    if export:
        return _export(board, export)
    cards = board.cards()
    context = {
        "form": form,
        "board": board,
        "as_of": board.as_of,
        "cards": cards,
        "card": _card_texts(cards),
        "ranking": board.ranking(),
        "games": board.games(),
        "monthly": board.monthly(),
        "no_data": form.span is None,
        "chart_config": _chart_config(board),
        "target": target_texts(board.target),
    }
    return render(request, "sales/cockpit.html", context)


def target_texts(target: dict | None, unit_of: int | None = None) -> dict | None:
    """The target card's texts (the cockpit's, the station page's, the targets page's rows):
    completion rate, 序时进度 with what it is measured by, the gap in percentage points, in
    percent with two decimals; the amounts in 亿元 or 万元 as the cockpit's (the unit fitting
    `unit_of` fen, default the target's own: a table gives its largest, so that every row
    shares one unit). A missing target: the card says so."""
    from fucai.sales.targets import basis_label, time_share_label

    if target is None or target["missing"]:
        return target

    def pct(value):
        return "—" if value is None else f"{value * 100:.2f}%"

    unit_of = unit_of or target["target_fen"]
    return {
        "missing": False,
        "rate": pct(target["rate"]),
        "time_share": pct(target["time_share"]),
        "time_share_label": time_share_label(target["basis"]),
        "basis": target["basis"],
        "basis_label": basis_label(target["basis"]),
        "gap": gap_text(target["gap"]),
        "rate_to_date": pct(target["rate_to_date"]),
        "target": "{value} {unit}".format(**money(target["target_fen"], unit_of=unit_of)),
        "to_date": "—"
        if target["to_date_fen"] is None
        else "{value} {unit}".format(**money(target["to_date_fen"], unit_of=unit_of)),
        "sales": "{value} {unit}".format(**money(target["sales_fen"], unit_of=unit_of)),
        "version": target["version"],
        "css": "delta-up" if target["ahead"] else "delta-down",
        "ahead": target["ahead"],
    }


def gap_text(gap) -> str:
    """完成率 − 序时进度 as a centre says it: 超序时进度 / 落后序时进度 N 个百分点."""
    if gap is None:
        return ""
    points = f"{abs(gap) * 100:.2f}"
    if gap >= 0:
        return _("Ahead of time by %(points)s points") % {"points": points}
    return _("Behind time by %(points)s points") % {"points": points}


def figure_texts(figures: Figures, unit_of: int, year: int) -> dict:
    return {
        "money": money(figures.amount_fen, unit_of=unit_of),
        "prior": money(figures.prior_amount_fen, unit_of=unit_of),
        "yoy": pct_text(figures.yoy_pct),
        "yoy_css": delta_class(figures.yoy_pct),
        "record_high": figures.record_high,
        **record_texts(figures.since, year),
    }


def _card_texts(cards: Cards) -> dict:
    """What the cards show, formatted (the amounts stay fen in `cards`); every amount of the row
    of cards in the unit the total gets (亿元 or 万元, never both)."""
    unit_of = cards.total.amount_fen
    texts = {
        "total": figure_texts(cards.total, unit_of, cards.ytd.as_of.year),
        "draw": figure_texts(cards.draw, unit_of, cards.ytd.as_of.year),
        "instant": figure_texts(cards.instant, unit_of, cards.ytd.as_of.year),
        "instant_share": pct_text(cards.instant_share_pct, signed=False),
        "prior_instant_share": pct_text(cards.prior_instant_share_pct, signed=False),
    }
    if cards.market is not None:
        texts["market"] = _market_texts(cards.market)
    return texts


def _market_texts(market: MarketShare) -> dict:
    """The market-share and national-rank cards: the share, its change in points, the rank and
    the places gained (MarketShare defines each)."""
    change = market.share_change_points
    return {
        "share": pct_text(market.welfare_share_pct, signed=False),
        "prior_share": pct_text(market.prior_welfare_share_pct, signed=False),
        "share_change": "—" if change is None else f"{change:+.1f}",
        "share_change_css": delta_class(change),
        "rank_change": market.rank_change,
        "rank_move": _rank_move(market.rank_change),
    }


def _rank_move(change: int | None) -> str:
    """Places gained or lost: "up 2 places", "down 1 place", "unchanged"; "" without a prior."""
    if change is None:
        return ""
    if change == 0:
        return _("unchanged")
    if change > 0:
        return ngettext("up %(n)d place", "up %(n)d places", change) % {"n": change}
    return ngettext("down %(n)d place", "down %(n)d places", -change) % {"n": -change}


def _export(board: Cockpit, name: str) -> HttpResponse:
    if name not in EXPORTS:
        raise Http404(_("No such table to export."))
    table = board.table(name)
    filename = f"{table.title} {board.as_of.isoformat()}.xlsx"
    return xlsx_response(table.workbook(), filename)


def _chart_config(board: Cockpit) -> dict:
    query = f"?as_of={board.as_of.isoformat()}&compare={board.compare}{board.drill_query}"
    crumbs = board.breadcrumb()
    return {
        "asOf": board.as_of.isoformat(),
        "level": board.map_level,
        "city": board.map_city,
        "county": board.county["code"] if board.county else None,
        "cities": board.cities,
        "urls": {
            # a click on a region drills the whole cockpit down (?city=…, ?city=…&county=…)
            "drillCity": board.drill_url("__city__"),
            "drillCounty": board.drill_url(board.map_city or "__city__", "__county__"),
            "up": crumbs[-2].url if len(crumbs) > 1 else None,
            "monthly": reverse("api:sales_cockpit_monthly") + query,
            "games": reverse("api:sales_cockpit_games") + query,
            "map": reverse("api:sales_cockpit_map") + query,
            "cityBoundaries": reverse("geo:boundaries", args=["city"]),
            "countyBoundaries": reverse("geo:boundaries", args=["county"]),
            "station": reverse("network:station_detail", args=["__code__"]),
        },
        "labels": chart_labels(board),
    }


def chart_labels(board: Cockpit) -> dict:
    year, prior = board.as_of.year, board.as_of.year - 1
    return {
        "thisYear": str(year),
        "lastYear": str(prior),
        "sameDays": _("%(year)s same days") % {"year": prior},
        "months": [str(m) for m in MONTHS],
        "tenThousandYuan": _("10k yuan"),
        "yoy": _("YoY"),
        "noBase": _("no sales last year"),
        "toDay": _("to %(day)s") % {"day": board.as_of.strftime("%m-%d")},
        "loading": _("Loading…"),
        "failed": _("The chart could not be loaded"),
        "noData": _("No sales"),
        "yearToDate": _("Year to date"),
        "stations": _("Stations"),
        "clickCity": _("Click a city to see its counties and stations."),
        "clickStation": _("Click a station to open it."),
        "clickCounty": _("Click a county for its stations, a station to open it."),
        "rings": _("Outer ring %(year)s, inner ring %(prior)s same period")
        % {"year": year, "prior": prior},
    }


# -- web import of sales files ---------------------------------------------------------------------
# Who: the provincial centre and the city agencies (editors); a city agency imports its own
# stations only (the importer's import_scope). Which imports they see: SalesImport's row scope —
# the province sees every import, a city agency the imports made by its city's users (the
# province's own imports, which carry no city, are not listed for a city).
IMPORTS_PER_PAGE = 50


def _importer_only(request: HttpRequest) -> None:
    if not grant_for(request.user).can(IMPORT_SALES):
        raise PermissionDenied(_("Only the provincial centre and city agencies import sales."))


def _import_batch(request: HttpRequest, batch) -> ImportBatch:
    _importer_only(request)
    found = ImportBatch.for_user(batch, request.user)
    if found is None:
        raise Http404(_("No such import."))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    """Upload sales files; the worker imports them and the import's page follows its progress."""
    _importer_only(request)
    form = SalesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            import_scope(request.user)
        except ImportRefused as exc:
            raise PermissionDenied(str(exc)) from None
        data = form.cleaned_data
        ticket = store_uploads(
            data["files"],
            request.user,
            dry_run=data["dry_run"],
            kind=data["kind"],
            period=data["period"],
            mode=data["mode"],
        )
        enqueue_import(ticket)
        return redirect("sales:import_detail", batch=ticket.batch)
    status = 400 if form.is_bound else 200
    return render(request, "sales/import_new.html", {"form": form}, status=status)


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    """The sales imports in the user's scope, newest first."""
    _importer_only(request)
    records = SalesImport.objects.restrict(request.user, IMPORT_SALES).select_related("city")
    page = Paginator(records, IMPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sales/import_list.html", {"page": page})


@login_required
@require_GET
def import_detail(request: HttpRequest, batch) -> HttpResponse:
    """One upload: its status and progress bar (polled), then what it imported or its errors."""
    return render(request, "sales/import_detail.html", {"batch": _import_batch(request, batch)})


@login_required
@require_GET
def import_progress(request: HttpRequest, batch) -> HttpResponse:
    """The status block for htmx polling; JSON (state, progress in %) for anything else."""
    found = _import_batch(request, batch)
    if request.htmx:
        return render(request, "sales/import_status.html", {"batch": found})
    response = JsonResponse(
        {
            "batch": found.batch,
            "state": found.state,
            "progress": found.progress,
            "finished": found.finished,
            "dry_run": found.dry_run,
            "rows": found.rows,
            "error_count": found.error_count,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def import_errors(request: HttpRequest, batch) -> HttpResponse:
    """The errors of a refused upload as an Excel table (file, row, column, reason)."""
    found = _import_batch(request, batch)
    columns = [Column(_("File")), Column(_("Row")), Column(_("Column")), Column(_("Reason"))]
    rows = [(e.file, e.row, e.column, e.message) for e in found.errors]
    title = _("Import errors")
    started = found.started_at and timezone.localtime(found.started_at)
    filename = f"{title} {started:%Y-%m-%d %H%M}" if started else title
    return xlsx_response(table_workbook(columns, rows, title=title), filename)
