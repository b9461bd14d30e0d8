"""The Excel workbook of a scheme's run (`fucai evaluate run --format xlsx`, a run's page): the
results (a row per alternative with its name and city, each indicator's contribution), the
weights, the robustness if computed, and the notes — every method setting as a readable row
(setting → value) in the user's language."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from fucai.core.excel import Column, add_notes_sheet, table_workbook, write_table


def result_workbook(scheme, result: dict, people: dict[str, tuple[str, str]] | None = None):
    """`people`: id → (name, city name); without it a row's own `label` and `city` (the JSON of
    `evaluate period`), else empty."""
    labels = {i.name: i.shown_label() for i in scheme.indicators}
    names = list(result["weights"])
    people = people or {}
    ordered = sorted(result["alternatives"], key=lambda r: (r["rank"], r["id"]))
    columns = [
        Column(_("id")),
        _("name"),
        _("city"),
        _("score"),
        _("rank"),
        _("grade"),
        _("grade if not eliminated"),
        _("eliminated"),
        _("pay factor"),
        _("pay"),
        *[_("contribution: %(label)s") % {"label": labels[n]} for n in names],
    ]
    rows = [
        [
            row["id"],
            *people.get(row["id"], (row.get("label", ""), row.get("city", ""))),
            round(row["score"], 4),
            row["rank"],
            row["grade"],
            _kept_grade(scheme, result["alternatives"], row),
            _("yes") if row["eliminated"] else "",
            row["pay_factor"],
            None if row["pay"] is None else Decimal(row["pay"]),  # a number, to be summed
            *[round(row["contributions"][n], 4) for n in names],
        ]
        for row in ordered
    ]
    wb = table_workbook(columns, rows, title=_("Results"))
    _values_sheet(wb, _("Raw values"), "values", ordered, names, labels, people)
    _values_sheet(wb, _("Normalised values"), "normalised", ordered, names, labels, people)
    ws = wb.create_sheet(_("Weights"))
    write_table(
        ws,
        [_("indicator"), _("label"), _("weight")],
        [[n, labels[n], round(w, 6)] for n, w in result["weights"].items()],
    )
    if "robustness" in result:
        robustness_sheet(wb, result["robustness"])
    add_notes_sheet(wb, _("Notes"), notes(scheme, result))
    return wb


def _values_sheet(wb, title: str, key: str, rows: list[dict], names, labels, people) -> None:
    """A sheet of each alternative's raw (or normalised) value per indicator, when the result
    carries them."""
    if not rows or key not in rows[0]:
        return
    heading = [_("id"), _("name"), *[f"{labels[n]} ({n})" for n in names]]
    table = [
        [
            row["id"],
            people.get(row["id"], (row.get("label", ""),))[0],
            *[row[key].get(n) for n in names],
        ]
        for row in rows
    ]
    write_table(wb.create_sheet(title[:31]), heading, table)


def _kept_grade(scheme, rows: list[dict], row: dict) -> str:
    """The grade the row's score gives were it not eliminated, as its explanation says it
    (engine.grade_if_kept); the grade itself when it was not."""
    from fucai.evaluation.engine import grade_if_kept

    return grade_if_kept(scheme, rows, row["id"]) if row["eliminated"] else row["grade"]


def robustness_sheet(wb, robustness: dict) -> None:
    ws = wb.create_sheet(_("Robustness"))
    low, high = robustness["percentiles"]
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
            for r in robustness["alternatives"]
        ],
    )


def words() -> dict:
    """The scheme's setting values as people read them (the user's language)."""
    return {
        "direct": _("given directly"),
        "ahp": _("AHP (pairwise comparisons)"),
        "entropy": _("entropy"),
        "critic": "CRITIC",
        "weighted_sum": _("weighted sum"),
        "topsis": "TOPSIS",
        "vector": _("vector normalisation"),
        "min_max": _("min-max normalisation"),
        "sum": _("sum (pymcdm)"),
        "diakoulaki": "Diakoulaki (1995)",
        "saaty": "Saaty (2005)",
        "donegan_dodd": "Donegan & Dodd (1991)",
        "min": _("min (1, 2, 2, 4)"),
        "dense": _("dense (1, 2, 2, 3)"),
        "ordinal": _("ordinal (1, 2, 3, 4)"),
        "floor": _("the pay rule's floor"),
        "none": _("no pay"),
        "among_non_eliminated": _("the quotas counted among the others"),
        "among_all": _("the quotas counted among all"),
        "scale_goalposts": _("goalposts and caps scaled by the elapsed share"),
        "annualise": _("counts annualised (divided by the elapsed share)"),
        "worst": _("counted as the worst value"),
        "goalpost": _("goalposts"),
        "z_score": _("z-score"),
        "rank": _("rank"),
        "manual": _("entered by hand"),
    }


def readable(value, indicator_labels: dict | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        labels = indicator_labels or {}
        return "、".join(labels.get(v, str(v)) for v in value) or "—"
    return words().get(value, str(value)) if isinstance(value, str) else str(value)


def notes(scheme, result: dict) -> list[tuple[str, str]]:
    """The 说明 sheet: a row per setting, `section: setting` → value, in the user's language."""
    labels = {i.name: i.shown_label() for i in scheme.indicators}
    settings = {
        "method": _("method"),
        "random_index": _("random index"),
        "lambda_max": "λmax",
        "ci": "CI",
        "cr": "CR",
        "consistent": _("consistent (CR ≤ 0.1)"),
        "override_reason": _("override reason"),
        "variant": _("variant"),
        "normalisation": _("normalisation"),
        "scale": _("scale"),
        "ties": _("ties"),
        "grade": _("grade of the eliminated"),
        "pay": _("pay of the eliminated"),
        "quotas": _("quotas"),
        "elapsed_share": _("elapsed share of the period"),
        "counts": _("counts"),
        "indicators": _("indicators"),
        "rule": _("rule"),
    }
    rows = [(_("scheme"), f"{scheme.title} ({scheme.name} v{scheme.version})")]
    sections = [
        (_("weights"), result.get("weighting")),
        (_("aggregation"), result.get("aggregation")),
        (_("elimination"), result.get("elimination_effect")),
        (_("before the period's end"), result.get("partial_period")),
    ]
    for section, values in sections:
        if not values:
            rows.append((section, "—"))
            continue
        for key, value in values.items():
            name = _("%(section)s: %(setting)s") % {
                "section": section,
                "setting": settings.get(key, key),
            }
            rows.append((name, readable(value, labels)))
    rows.append((_("contributions"), _("each indicator's share of the score; they add up to it")))
    rows.extend(missing_notes(result.get("missing_inputs"), labels))
    return rows


def missing_notes(missing: dict | None, labels: dict) -> list[tuple[str, str]]:
    if not missing or not missing.get("indicators"):
        return [(_("missing inputs"), _("none"))]
    return [
        (
            _("missing inputs: %(indicator)s") % {"indicator": labels.get(name, name)},
            _("%(n)s alternatives, %(rule)s") % {"n": len(cell["ids"]), "rule": readable("worst")},
        )
        for name, cell in missing["indicators"].items()
    ]
