"""Partner pages (组织联姻): the list of partners in scope and a partner's page — its sites, its
agreements (contact masked; shown in full once, audited, to those who may change the partner's
city and see personal data) and the outlets opened with it with their sales since opening
(fucai.network.partners). Every table exports to Excel. A partner outside the user's scope is a
404, like a missing one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fucai.core.excel import (
    DATE_FORMAT,
    TEXT_FORMAT,
    Column,
    add_notes_sheet,
    table_workbook,
    xlsx_response,
)
from fucai.core.grant import SEE_PERSONAL_DATA, grant_for
from fucai.core.signals import personal_data_viewed
from fucai.network.filtersets import scoped_cities
from fucai.network.models import PartnerAgreement, PartnerOrganisation
from fucai.network.partners import (
    agreements_of,
    partner_figures,
    partners_of,
    sites_of,
)
from fucai.sales.money import fen_to_wan, fen_to_yuan

CHANGE = "change"


def wan(fen: int | None) -> str:
    return "—" if fen is None else f"{fen_to_wan(fen):,.2f}"


def pct(value) -> str:
    return "—" if value is None else f"{value:+}%"


def _as_of_form(request: HttpRequest):
    """The as-of day (clamped into the sales data, as on the cockpit) and its form."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.sales.cockpit import sales_span
    from fucai.sales.forms import CockpitForm

    context = AnalyticsContext.current()
    return CockpitForm.for_request(request, sales_span(context)), context


def _city(request: HttpRequest):
    """The city filter (?city=adcode) among the user's cities; another one: none listed."""
    code = request.GET.get("city")
    if not code:
        return None
    return scoped_cities(request.user).filter(code=code).first() or False


def _notes(request: HttpRequest, what: str, as_of=None) -> list[tuple[str, object]]:
    notes = [(_("Partners"), what)]
    if as_of is not None:
        notes.append((_("Sales to"), as_of))
    return [
        *notes,
        (_("Exported by"), request.user.username),
        (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


@login_required
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    """Partners in scope with their outlets' sales since opening; `?format=xlsx` exports it."""
    form, context = _as_of_form(request)
    partners = partners_of(request.user)
    city = _city(request)
    if city is False:
        partners = partners.none()
    elif city is not None:
        partners = partners.filter(city=city)
    figures = partner_figures(request.user, partners, form.as_of_date, context)
    if request.GET.get("format") == "xlsx":
        return _list_workbook(request, figures, form.as_of_date)
    rows = [
        {
            "figures": f,
            "sales": wan(f.sales_fen),
            "year": wan(f.year_fen),
            "prior": wan(f.prior_fen),
            "yoy": pct(f.yoy_pct),
        }
        for f in figures
    ]
    return render(
        request,
        "network/partner_list.html",
        {
            "rows": rows,
            "as_of_form": form,
            "as_of": form.as_of_date,
            "cities": scoped_cities(request.user).order_by("code"),
            "city": city or None,
        },
    )


def _list_workbook(request: HttpRequest, figures, as_of) -> HttpResponse:
    title = _("Partners")
    columns = [
        _("Partner organisation"),
        _("City"),
        _("Kind"),
        Column(_("Partnered on"), number_format=DATE_FORMAT),
        _("Sites"),
        _("Outlets"),
        _("Sales since opening (yuan)"),
        _("This year (yuan)"),
        _("Same period last year (yuan)"),
        _("YoY %"),
    ]
    rows = [
        [
            f.partner.name,
            f.partner.city.name,
            f.partner.get_kind_display(),
            f.partner.partnered_on,
            f.partner.site_count,
            f.outlet_count,
            fen_to_yuan(f.sales_fen),
            fen_to_yuan(f.year_fen),
            None if f.prior_fen is None else fen_to_yuan(f.prior_fen),
            f.yoy_pct,
        ]
        for f in figures
    ]
    wb = table_workbook(columns, rows, title=title)
    add_notes_sheet(wb, _("Notes"), _notes(request, request.user.scope_label, as_of))
    return xlsx_response(wb, f"{title} {as_of.isoformat()}.xlsx")


def _partner(request: HttpRequest, pk: int, action: str = "view") -> PartnerOrganisation:
    queryset = partners_of(request.user)
    if action == CHANGE:
        queryset = PartnerOrganisation.objects.restrict(request.user, CHANGE)
    return get_object_or_404(queryset.select_related("city"), pk=pk)


def _can_reveal(request: HttpRequest, partner: PartnerOrganisation) -> bool:
    user = request.user
    return (
        grant_for(user).can(SEE_PERSONAL_DATA)
        and PartnerOrganisation.objects.restrict(user, CHANGE).filter(pk=partner.pk).exists()
    )


def _outlet_rows(figures) -> list[dict]:
    rows = []
    for r in figures.outlets:
        s = r.sales
        rows.append(
            {
                "station": r.station,
                "sales": wan(s.amount_fen if s else None),
                "year": wan(s.year_fen if s else None),
                "prior": wan(s.prior_fen if s else None),
                "yoy": pct(s.yoy_pct if s else None),
            }
        )
    return rows


@login_required
@require_GET
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's page; `?export=sites|agreements|outlets` downloads that table as Excel."""
    partner = _partner(request, pk)
    form, context = _as_of_form(request)
    [figures] = partner_figures(request.user, [partner], form.as_of_date, context)
    sites = sites_of(request.user, partner)
    agreements = agreements_of(request.user, partner)
    export = request.GET.get("export")
    if export:
        return _detail_export(request, export, figures, sites, agreements)
    return render(
        request,
        "network/partner_detail.html",
        {
            "partner": partner,
            "figures": figures,
            "totals": {
                "sales": wan(figures.sales_fen),
                "year": wan(figures.year_fen),
                "prior": wan(figures.prior_fen),
                "yoy": pct(figures.yoy_pct),
            },
            "outlets": _outlet_rows(figures),
            "sites": sites,
            "agreements": agreements,
            "can_reveal": _can_reveal(request, partner),
            "as_of_form": form,
            "as_of": form.as_of_date,
        },
    )


def _detail_export(request, name: str, figures, sites, agreements) -> HttpResponse:
    partner = figures.partner
    if name == "sites":
        title = _("Sites")
        columns = [_("Site"), _("Kind"), _("Address"), _("Longitude"), _("Latitude"), _("Outlets")]
        rows = [
            [s.name, s.get_kind_display(), s.address, s.lon, s.lat, s.outlet_count] for s in sites
        ]
    elif name == "agreements":
        title = _("Agreements")
        columns = [
            Column(_("Signed on"), number_format=DATE_FORMAT),
            Column(_("Starts on"), number_format=DATE_FORMAT),
            Column(_("Ends on"), number_format=DATE_FORMAT),
            _("Terms"),
            _("Contact"),
            Column(_("Contact phone"), number_format=TEXT_FORMAT),
        ]
        rows = [
            [
                a.signed_on,
                a.starts_on,
                a.ends_on,
                a.terms,
                a.contact_name_masked,
                a.contact_phone_masked,
            ]
            for a in agreements
        ]
    elif name == "outlets":
        title = _("Outlets")
        columns = [
            Column(_("Station code"), number_format=TEXT_FORMAT),
            _("Name"),
            _("County"),
            _("Site"),
            Column(_("Opened on"), number_format=DATE_FORMAT),
            _("Status"),
            _("Sales since opening (yuan)"),
            _("This year (yuan)"),
            _("Same period last year (yuan)"),
            _("YoY %"),
        ]
        rows = []
        for r in figures.outlets:
            st, s = r.station, r.sales
            rows.append(
                [
                    st.code,
                    st.name,
                    st.county.name,
                    st.partner_site.name if st.partner_site else "",
                    st.opened_on,
                    st.get_status_display(),
                    fen_to_yuan(s.amount_fen) if s else None,
                    fen_to_yuan(s.year_fen) if s else None,
                    fen_to_yuan(s.prior_fen) if s and s.prior_fen is not None else None,
                    s.yoy_pct if s else None,
                ]
            )
        rows.append(
            [
                _("Total"),
                "",
                "",
                "",
                None,
                "",
                fen_to_yuan(figures.sales_fen),
                fen_to_yuan(figures.year_fen),
                None if figures.prior_fen is None else fen_to_yuan(figures.prior_fen),
                figures.yoy_pct,
            ]
        )
    else:
        raise Http404(_("No such table to export."))
    wb = table_workbook(columns, rows, title=title)
    add_notes_sheet(wb, _("Notes"), _notes(request, partner.name, figures.as_of))
    return xlsx_response(wb, f"{partner.name} {title} {figures.as_of.isoformat()}.xlsx")


@login_required
@require_POST
def partner_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """An agreement's contact in full, for this one response, to a user who may change the
    partner and see personal data; the view is recorded in the audit trail."""
    if not grant_for(request.user).can(SEE_PERSONAL_DATA):
        raise PermissionDenied
    row = get_object_or_404(PartnerAgreement.objects.restrict(request.user, CHANGE), pk=pk)
    if not (row.contact_name or row.contact_phone):
        raise Http404
    personal_data_viewed.send(
        sender=type(row),
        instance=row,
        fields=["contact_name", "contact_phone"],
        reason="partner page",
    )
    return render(request, "network/includes/partner_contact.html", {"agreement": row})
