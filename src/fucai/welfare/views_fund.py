"""The fund raised's pages: the fund raised year to date (totals, a bar chart by city, a table
by game, `?format=xlsx`: Excel) in the user's sales scope — whoever sees the sales sees the fund
they raised — and the fund rates: listed for everyone, recorded and changed by the holders of
`edit_fund_rates` (the provincial centre; 403 for the others)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fucai.core.grant import EDIT_FUND_RATES, grant_for
from fucai.welfare.models import FundRate


@login_required
@require_GET
def raised(request: HttpRequest) -> HttpResponse:
    from fucai.sales.money import fen_to_wan
    from fucai.sales.tables.cockpit import money
    from fucai.welfare.fund import raised_as_asked

    form, result = raised_as_asked(request.user, request.GET)
    if request.GET.get("format") == "xlsx":
        from fucai.core.excel import xlsx_response
        from fucai.welfare.fund import fund_workbook

        day = form.as_of_date.isoformat()
        return xlsx_response(fund_workbook(result), f"{_('welfare-fund-raised')}-{day}.xlsx")
    chart = {
        "labels": {"fund": _("Fund raised (10,000 yuan)"), "prior": _("Same period last year")},
        "cities": [r.name for r in result.by_city],
        "fund": [str(fen_to_wan(r.fund_fen)) for r in result.by_city],
        "prior": [str(fen_to_wan(r.prior_fund_fen)) for r in result.by_city],
    }
    page = {
        "form": form,
        "result": result,
        # the cockpit's headline amounts (亿元 from one 亿 up, else 万元; thousands separators)
        "fund": money(result.total.fund_fen),
        "prior": money(result.total.prior_fund_fen, unit_of=result.total.fund_fen),
        "sales": money(result.total.sales_fen),
        # a year earlier without any sales (before the data begin): no figure, not 0.00
        "has_prior": bool(result.total.prior_sales_fen),
        "chart": chart,
    }
    return render(request, "welfare/raised.html", page)


@login_required
@require_GET
def rate_list(request: HttpRequest) -> HttpResponse:
    rates = FundRate.objects.select_related("game")
    can_edit = grant_for(request.user).can(EDIT_FUND_RATES)
    return render(request, "welfare/rate_list.html", {"rates": rates, "can_edit": can_edit})


def _require_edit(request: HttpRequest) -> None:
    if not grant_for(request.user).can(EDIT_FUND_RATES):
        raise PermissionDenied(_("Only the provincial centre changes the fund rates."))


@login_required
@require_http_methods(["GET", "POST"])
def rate_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from fucai.welfare.forms import FundRateForm

    _require_edit(request)
    rate = get_object_or_404(FundRate, pk=pk) if pk is not None else None
    form = FundRateForm(request.POST or None, instance=rate)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The fund rate is saved."))
        return redirect("welfare:rate_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "welfare/rate_form.html", {"form": form, "rate": rate}, status=status)
