"""The Excel workbook of a scheme's run (`fucai evaluate run --format xlsx`): the results (a row
per alternative, each indicator's contribution), the weights, and the robustness if computed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fucai.core.excel import Column, add_notes_sheet, table_workbook, write_table


def result_workbook(scheme, result: dict):
    labels = {i.name: i.label for i in scheme.indicators}
    names = list(result["weights"])
    columns = [
        Column(_("id")),
        _("score"),
        _("rank"),
        _("grade"),
        _("grade by score"),
        _("eliminated"),
        _("pay factor"),
        _("pay"),
        *[f"{labels[n]} ({n})" for n in names],
    ]
    rows = [
        [
            row["id"],
            round(row["score"], 4),
            row["rank"],
            row["grade"],
            row.get("grade_by_score", row["grade"]),
            _("yes") if row["eliminated"] else "",
            row["pay_factor"],
            row["pay"],
            *[round(row["contributions"][n], 4) for n in names],
        ]
        for row in sorted(result["alternatives"], key=lambda r: (r["rank"], r["id"]))
    ]
    wb = table_workbook(columns, rows, title=_("Results"))
    ws = wb.create_sheet(_("Weights"))
    write_table(
        ws,
        [_("indicator"), _("label"), _("weight")],
        [[n, labels[n], round(w, 6)] for n, w in result["weights"].items()],
    )
    if "robustness" in result:
        ws = wb.create_sheet(_("Robustness"))
        low, high = result["robustness"]["percentiles"]
        write_table(
            ws,
            [
                _("id"),
                _("rank"),
                f"P{low:g}",
                f"P{high:g}",
                _("elimination probability"),
                _("borderline"),
            ],
            [
                [
                    r["id"],
                    r["rank"],
                    r["rank_low"],
                    r["rank_high"],
                    round(r["elimination_probability"], 4),
                    _("yes") if r["borderline"] else "",
                ]
                for r in result["robustness"]["alternatives"]
            ],
        )
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("scheme"), f"{scheme.title} ({scheme.name} v{scheme.version})"),
            (_("weights"), result["weighting"]),
            (_("aggregation"), result["aggregation"]),
            (_("contributions"), _("each indicator's share of the score; they add up to it")),
            (_("elimination"), result.get("elimination_effect")),
            (_("before the period's end"), result.get("partial_period")),
        ],
    )
    return wb
