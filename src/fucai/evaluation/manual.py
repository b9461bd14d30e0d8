"""Manual inputs (人工录入指标): the Excel template of a scheme and period — one row per
alternative, a column per indicator whose source is `manual`, the ids in a hidden, protected
column — and its import: validated (an unknown id, a cell that is not a number, a value out of
range → errors naming file, row and column in the user's language), all or nothing, kept as a
new version (fucai.evaluation.models.ManualInputSet); `build_inputs` reads the latest.

A value is in range when it is at least 0 (the manual indicators are counts, hours and scores)
and, if the indicator has a cap, within it (a satisfaction score capped to 0 … 100 is entered
as one). An empty cell is "not entered" (None: the evaluation treats it as missing)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fucai.evaluation.scheme import MANUAL

KEY_ROW = 2  # the hidden row of keys: id, name, city, then the indicators' names
FIRST_ROW = 3


class ManualImportError(ValueError):
    """A manual-input workbook that cannot be imported (`errors`: the user's sentences)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def manual_indicators(scheme) -> list:
    return [i for i in scheme.indicators if i.source == MANUAL]


def unentered(scheme, ids, values: dict[str, dict]) -> list[dict]:
    """The manual indicators some alternative has no value of: [{"name", "label", "missing":
    [ids], "of": how many alternatives}] (`values`: indicator → id → value, an InputTable's)."""
    out = []
    for indicator in manual_indicators(scheme):
        column = values.get(indicator.name, {})
        missing = [i for i in ids if column.get(i) is None]
        if missing:
            out.append(
                {
                    "name": indicator.name,
                    "label": indicator.shown_label(),
                    "missing": missing,
                    "of": len(ids),
                }
            )
    return out


def unentered_for_period(scheme, period: str) -> list[dict]:
    """`unentered` of the latest manual-input set of the scheme and period, over the period's
    population (what a run of the period would read): asked before a run is queued."""
    from fucai.evaluation.indicators import period_bounds, population

    start, end = period_bounds(period)
    ids = population(scheme.population, start, end).ids
    entered = current_values(scheme.name, period)
    values = {
        i.name: {ident: entered.get(ident, {}).get(i.name) for ident in ids}
        for i in manual_indicators(scheme)
    }
    return unentered(scheme, ids, values)


def current_values(scheme_name: str, period: str) -> dict[str, dict[str, float | None]]:
    """{alternative: {indicator: value}} of the latest set (empty without one)."""
    from fucai.evaluation.models import ManualInput, ManualInputSet

    latest = ManualInputSet.objects.current(scheme_name, str(period))
    if latest is None:
        return {}
    return {
        row.alternative: dict(row.values) for row in ManualInput.objects.filter(input_set=latest)
    }


def template_workbook(scheme, period: str, user=None):
    """The template: headings in row 1, the keys in hidden row 2, a row per alternative (the
    current values filled in); only the indicators' cells are editable."""
    from openpyxl.styles import Protection

    from fucai.core.excel import Column, add_notes_sheet, table_workbook
    from fucai.evaluation.indicators import period_bounds, population, visible_ids
    from fucai.geo.models import Division

    start, end = period_bounds(period)
    people = population(scheme.population, start, end)
    ids = people.ids
    if user is not None:
        visible = visible_ids(people, user)
        ids = [i for i in ids if i in visible]
    manual = manual_indicators(scheme)
    current = current_values(scheme.name, period)
    columns = [
        Column("id", number_format="@"),
        Column(_("Name")),
        Column(_("City")),
        *(Column(i.label) for i in manual),
    ]
    keys = ["id", "name", "city", *(i.name for i in manual)]
    city_names = dict(
        Division.objects.filter(code__in=set(people.cities.values())).values_list("code", "name")
    )
    rows = [keys] + [
        [
            i,
            people.labels[i],
            city_names.get(people.cities[i], people.cities[i]),  # 赣州市, not its adcode
            *(current.get(i, {}).get(m.name) for m in manual),
        ]
        for i in ids
    ]
    wb = table_workbook(columns, rows, title=_("Manual inputs"))
    ws = wb.active
    ws.row_dimensions[KEY_ROW].hidden = True
    ws.column_dimensions["A"].hidden = True
    for row in ws.iter_rows(min_row=FIRST_ROW, min_col=4, max_col=3 + len(manual)):
        for cell in row:
            cell.protection = Protection(locked=False)
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            ("scheme", scheme.name),
            ("period", str(period)),
            (_("Scheme"), scheme.title),
            (
                _("Values"),
                _("numbers, at least 0 and within the indicator's cap; empty: not entered"),
            ),
        ],
    )
    return wb


def read_manual(path: str | Path, scheme, period: str) -> dict[str, dict[str, float | None]]:
    """{id: {indicator: value}} from a filled template; raises ManualImportError."""
    from fucai.evaluation.indicators import period_bounds, population
    from fucai.evaluation.scheme import parse_number
    from fucai.sales.targets import open_workbook

    name = Path(path).name
    wb = open_workbook(path, ManualImportError)
    lines = list(wb.worksheets[0].iter_rows(values_only=True))
    if len(lines) < KEY_ROW or not lines[KEY_ROW - 1] or lines[KEY_ROW - 1][0] != "id":
        raise ManualImportError(
            [
                _("%(file)s: not a manual-input template (its row of keys is missing)")
                % {"file": name}
            ]
        )
    notes = {}
    if len(wb.worksheets) > 1:
        notes = {
            str(r[0]): str(r[1]) for r in wb.worksheets[1].iter_rows(values_only=True) if r and r[0]
        }
    if notes.get("scheme") not in (None, scheme.name) or notes.get("period") not in (
        None,
        str(period),
    ):
        raise ManualImportError(
            [
                _("%(file)s: the template of %(scheme)s %(period)s, not of %(want)s %(wanted)s")
                % {
                    "file": name,
                    "scheme": notes.get("scheme"),
                    "period": notes.get("period"),
                    "want": scheme.name,
                    "wanted": period,
                }
            ]
        )
    keys = [str(k or "") for k in lines[KEY_ROW - 1]]
    headings = [str(h or "") for h in lines[0]]
    manual = {i.name: i for i in manual_indicators(scheme)}
    missing = [m for m in manual if m not in keys]
    if missing:
        raise ManualImportError(
            [
                _("%(file)s: missing columns: %(names)s")
                % {"file": name, "names": ", ".join(manual[m].label for m in missing)}
            ]
        )
    start, end = period_bounds(period)
    known = set(population(scheme.population, start, end).ids)
    errors: list[str] = []

    def error(line: int, column: int, text: str) -> None:
        errors.append(
            _("%(file)s, row %(row)s, column %(column)s: %(error)s")
            % {"file": name, "row": line, "column": headings[column] or keys[column], "error": text}
        )

    out: dict[str, dict[str, float | None]] = {}
    for line, values in enumerate(lines[FIRST_ROW - 1 :], start=FIRST_ROW):
        if not values or all(v in (None, "") for v in values):
            continue
        ident = str(values[0] or "").strip().removesuffix(".0")
        if ident not in known:
            error(line, 0, _("unknown id %(id)s") % {"id": ident or "—"})
            continue
        if ident in out:
            error(line, 0, _("id %(id)s repeats") % {"id": ident})
            continue
        row: dict[str, float | None] = {}
        for key, indicator in manual.items():
            at = keys.index(key)
            cell = values[at] if at < len(values) else None
            if cell in (None, ""):
                row[key] = None
                continue
            number = parse_number(cell) if not isinstance(cell, bool) else None
            if number is None or number != number or number in (float("inf"), float("-inf")):
                error(line, at, _("%(cell)r is not a number") % {"cell": cell})
                continue
            low = 0.0
            high = None
            if indicator.cap is not None:
                low = max(low, indicator.cap.min) if indicator.cap.min is not None else low
                high = indicator.cap.max
            if number < low or (high is not None and number > high):
                error(
                    line,
                    at,
                    _("%(value)s is out of range (%(low)s … %(high)s)")
                    % {
                        "value": cell,
                        "low": f"{low:g}",
                        "high": "∞" if high is None else f"{high:g}",
                    },
                )
                continue
            row[key] = number
        out[ident] = row
        if len(errors) >= 50:
            break
    if errors:
        raise ManualImportError(errors)
    if not out:
        raise ManualImportError([_("%(file)s: no rows") % {"file": name}])
    return out


def save_manual(scheme, period: str, values: dict, user=None, source: str = ""):
    """A new version of the scheme's manual inputs for the period, all or nothing."""
    from fucai.evaluation.indicators import period_bounds, population
    from fucai.evaluation.models import ManualInput, ManualInputSet
    from fucai.geo.models import Division

    start, end = period_bounds(period)
    people = population(scheme.population, start, end)
    city_ids = dict(Division.objects.filter(level="prefecture").values_list("code", "pk"))
    with transaction.atomic():
        latest = (
            ManualInputSet.objects.select_for_update()
            .filter(scheme=scheme.name, period=str(period))
            .order_by("-version")
            .first()
        )
        input_set = ManualInputSet.objects.create(
            scheme=scheme.name,
            period=str(period),
            version=latest.version + 1 if latest else 1,
            source=source[:200],
            created_by=user,
        )
        ManualInput.objects.bulk_create(
            ManualInput(
                input_set=input_set,
                alternative=ident,
                city_id=city_ids[people.cities[ident]],
                values=row,
            )
            for ident, row in values.items()
        )
    return input_set


def import_manual(path: str | Path, scheme, period: str, user=None):
    values = read_manual(path, scheme, period)
    return save_manual(scheme, period, values, user, source=Path(path).name)
