"""The blank-area figures as a table, an Excel workbook and a scope: shared by the page, the API
and `fucai planning blank-areas`."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fucai.planning.coverage import AreaFigures, BlankAreas

COLUMNS = (  # (key of AreaFigures.to_dict, label)
    ("city_name", gettext_lazy("City")),
    ("name", gettext_lazy("County")),
    ("population", gettext_lazy("Population")),
    ("uncovered", gettext_lazy("Uncovered population")),
    ("covered_pct", gettext_lazy("Covered %")),
    ("uncovered_cells", gettext_lazy("Uncovered cells")),
)


def scope_cities(user, wanted: str | None = None) -> list[str] | None:
    """Adcodes of the cities whose demand `user` sees (None: the whole province), narrowed to
    `wanted` (an adcode): Http404 when it is not one of them (out of scope looks like absent)."""
    from fucai.network.filtersets import scoped_cities

    if user is None:  # a command without --user: the province
        from fucai.geo.models import Division

        codes = list(Division.objects.cities().values_list("code", flat=True))
        everything = True
    else:
        from fucai.geo.api.scope import visible_city_codes

        everything = visible_city_codes(user) is None
        codes = list(scoped_cities(user).values_list("code", flat=True))
    if wanted:
        if wanted not in codes:
            raise Http404
        return [wanted]
    return None if everything else sorted(codes)


PATCH_COLUMNS = (  # (key of BlankPatch.to_dict, label)
    ("rank", gettext_lazy("Rank")),
    ("city_name", gettext_lazy("City")),
    ("county_name", gettext_lazy("County")),
    ("population", gettext_lazy("Uncovered population")),
    ("cells", gettext_lazy("Cells")),
    ("area_km2", gettext_lazy("Area (km²)")),
    ("lon", gettext_lazy("Centre longitude (GCJ-02)")),
    ("lat", gettext_lazy("Centre latitude (GCJ-02)")),
)


def patch_rows(result: BlankAreas) -> list[list]:
    return [[p.to_dict()[key] for key, _label in PATCH_COLUMNS] for p in result.patches]


def table_rows(areas: list[AreaFigures]) -> list[list]:
    return [[a.to_dict()[key] for key, _label in COLUMNS] for a in areas]


def city_rows(areas: list[AreaFigures]) -> list[list]:
    return [[a.name, "", *(a.to_dict()[key] for key, _l in COLUMNS[2:])] for a in areas]


def blank_area_workbook(result: BlankAreas, scope_label: str):
    """Counties and cities by uncovered population, with a notes sheet (day, scope, radii)."""
    from django.conf import settings

    from fucai.core.excel import Column, add_notes_sheet, table_workbook, write_table

    columns = [str(label) for _k, label in COLUMNS]
    columns[2:4] = [
        Column(columns[2], number_format="#,##0"),
        Column(columns[3], number_format="#,##0"),
    ]
    wb = table_workbook(columns, table_rows(result.counties), title=_("Blank areas by county"))
    write_table(wb.create_sheet(_("By city")[:31]), columns, city_rows(result.cities))
    patch_columns = [str(label) for _k, label in PATCH_COLUMNS]
    patch_columns[3] = Column(patch_columns[3], number_format="#,##0")
    write_table(wb.create_sheet(_("Blank patches")[:31]), patch_columns, patch_rows(result))
    radii = (
        f"{settings.PLANNING_RADIUS_URBAN_M} / {settings.PLANNING_RADIUS_TOWN_M} / "
        f"{settings.PLANNING_RADIUS_RURAL_M} m"
    )
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("As of"), result.as_of.isoformat()),
            (_("Scope"), scope_label),
            (_("Open stations"), result.stations),
            (_("Population"), round(result.population)),
            (_("Uncovered population"), round(result.uncovered)),
            (_("Radii (urban / town / rural)"), radii),
            (_("Method"), _("docs/planning.md: census demand on H3 cells, covered within radius")),
            (
                _("Blank patches"),
                _("Neighbouring uncovered cells of town or urban density, largest first"),
            ),
        ],
    )
    return wb
