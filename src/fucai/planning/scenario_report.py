"""A siting scenario's sites as an Excel workbook and GeoJSON, and the side-by-side comparison
of scenarios (the page and the API read the same)."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SITE_COLUMNS = (
    gettext_lazy("Rank"),
    gettext_lazy("County"),
    gettext_lazy("Longitude (GCJ-02)"),
    gettext_lazy("Latitude (GCJ-02)"),
    gettext_lazy("H3 cell"),
    gettext_lazy("Newly covered population"),
    gettext_lazy("Open lead"),
    gettext_lazy("Lead made"),
)


def site_rows(sites) -> list[list]:
    return [
        [
            s.rank,
            s.county.name,
            float(s.lon),
            float(s.lat),
            s.cell,
            s.new_population,
            s.source_lead_id or "",
            s.lead_id or "",
        ]
        for s in sites
    ]


def summary_lines(scenario) -> list[tuple[str, object]]:
    """The scenario's settings and answer, as (label, value) lines."""
    return [
        (_("Scenario"), scenario.name),
        (_("Area"), scenario.city.name if scenario.city_id else _("The whole province")),
        (_("As of"), scenario.as_of.isoformat()),
        (_("New sites"), scenario.new),
        (_("Operation"), scenario.get_operation_display()),
        (
            _("Radii (urban / town / rural)"),
            f"{scenario.radius_urban_m} / {scenario.radius_town_m} / {scenario.radius_rural_m} m",
        ),
        (_("Population"), scenario.population),
        (_("Covered before"), scenario.covered_before),
        (_("Covered after"), scenario.covered_after),
        (_("Upper bound"), scenario.upper_bound),
        (_("Gap (%)"), scenario.gap_pct),
        (_("Solver"), scenario.solver),
        (_("Solver status"), scenario.solver_status),
        (_("Seconds"), scenario.seconds),
    ]


def scenario_workbook(scenario, sites):
    from fucai.core.excel import Column, add_notes_sheet, table_workbook

    columns = [str(c) for c in SITE_COLUMNS]
    columns[5] = Column(columns[5], number_format="#,##0")
    wb = table_workbook(columns, site_rows(sites), title=_("Chosen sites"))
    add_notes_sheet(wb, _("Scenario"), summary_lines(scenario))
    return wb


def scenario_geojson(scenario, sites) -> dict:
    """The chosen sites as GeoJSON points (GCJ-02, like the boundaries)."""
    return {
        "type": "FeatureCollection",
        "scenario": scenario.name,
        "as_of": scenario.as_of.isoformat(),
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(s.lon), float(s.lat)]},
                "properties": {
                    "rank": s.rank,
                    "cell": s.cell,
                    "county": s.county.code,
                    "county_name": s.county.name,
                    "new_population": s.new_population,
                    "lead": s.lead_id,
                },
            }
            for s in sites
        ],
    }


def comparison(scenarios) -> dict:
    """Rows of settings and answers, one column per scenario, and the sites per county."""
    lines = [summary_lines(s) for s in scenarios]
    rows = [(label, [dict(line)[label] for line in lines]) for label, _v in lines[0]]
    counts: list[Counter] = []
    gains: list[Counter] = []
    for scenario in scenarios:  # one query a scenario: its sites' counties and gains
        sites = list(scenario.sites.values_list("county__name", "new_population"))
        counts.append(Counter(county for county, _people in sites))
        gains.append(Counter())
        for county, people in sites:
            gains[-1][county] += people
    counties = sorted(set().union(*counts), key=lambda c: -sum(g[c] for g in gains))
    by_county = [
        (county, [(counts[i][county], gains[i][county]) for i in range(len(scenarios))])
        for county in counties
    ]
    return {"rows": rows, "by_county": by_county}
