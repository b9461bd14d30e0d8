"""The province sales cockpit (issue 3, item 8) and its chart endpoints.

Every figure comes from fucai.sales.cockpit, which asks the analytics runners with the request
user's own scope: a city agency sees its city, a market manager their territory.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.results import Figures
from fucai.core.excel import xlsx_response
from fucai.sales.cockpit import Cards, Cockpit, sales_span
from fucai.sales.forms import CockpitForm
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
    cockpit = Cockpit(request.user, form.as_of_date, form.compare_rule, context=context)
    return cockpit, form


def _json(data: dict) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-cache"
    return response


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
    }
    return render(request, "sales/cockpit.html", context)


def _figure_texts(figures: Figures) -> dict:
    return {
        "money": money(figures.amount_fen),
        "prior": money(figures.prior_amount_fen, unit_of=figures.amount_fen),
        "yoy": pct_text(figures.yoy_pct),
        "yoy_css": delta_class(figures.yoy_pct),
        "record_high": figures.record_high,
    }


def _card_texts(cards: Cards) -> dict:
    """What the cards show, formatted (the amounts stay fen in `cards`)."""
    texts = {
        "total": _figure_texts(cards.total),
        "draw": _figure_texts(cards.draw),
        "instant": _figure_texts(cards.instant),
        "instant_share": pct_text(cards.instant_share_pct, signed=False),
        "prior_instant_share": pct_text(cards.prior_instant_share_pct, signed=False),
    }
    if cards.market is not None:
        texts["welfare_share"] = pct_text(cards.market.welfare_share_pct, signed=False)
    return texts


def _export(board: Cockpit, name: str) -> HttpResponse:
    if name not in EXPORTS:
        raise Http404(_("No such table to export."))
    table = board.table(name)
    filename = f"{table.title} {board.as_of.isoformat()}.xlsx"
    return xlsx_response(table.workbook(), filename)


def _chart_config(board: Cockpit) -> dict:
    query = f"?as_of={board.as_of.isoformat()}&compare={board.compare}"
    return {
        "asOf": board.as_of.isoformat(),
        "level": board.map_level,
        "cities": board.cities,
        "urls": {
            "monthly": reverse("sales:monthly_json") + query,
            "games": reverse("sales:games_json") + query,
            "map": reverse("sales:map_json") + query,
            "cityBoundaries": reverse("geo:boundaries", args=["city"]),
            "countyBoundaries": reverse("geo:boundaries", args=["county"]),
            "station": reverse("network:station_detail", args=["__code__"]),
        },
        "labels": _chart_labels(board),
    }


def _chart_labels(board: Cockpit) -> dict:
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
        "rings": _("Outer ring %(year)s, inner ring %(prior)s same period")
        % {"year": year, "prior": prior},
    }


@login_required
@require_GET
def monthly_json(request: HttpRequest) -> JsonResponse:
    """This year's months (to the as-of day) against last year's, amounts in yuan."""
    board, _form = _cockpit(request)
    return _json(board.monthly_json())


@login_required
@require_GET
def games_json(request: HttpRequest) -> JsonResponse:
    """Year to date by game against last year's same window, with shares."""
    board, _form = _cockpit(request)
    return _json(board.games_json())


@login_required
@require_GET
def map_json(request: HttpRequest) -> JsonResponse:
    """Regions (cities, or a city's counties with `?city=<adcode>`) with their YoY, and at county
    level the stations that sold, sized on the map by year-to-date amount."""
    board, _form = _cockpit(request)
    return _json(board.map_json(request.GET.get("city") or None))
