"""`fucai sales targets import FILE | template --year Y | completion --as-of DATE`: the sales
targets on the command line (fucai.sales.targets; docs/evaluation.md, "Targets").

- `import FILE.xlsx [--year Y] [--user U]`: a new version of the file's year (all or nothing);
- `template --year Y [--user U] [--out FILE.xlsx]`: the template (the current targets filled in);
- `completion --as-of DATE [--level city|manager|station] [--user U] --format json|table|xlsx
  [--out FILE]`: completion rate and 序时进度 of each target, by the one definition
  (fucai.sales.targets.pace: monthly targets when set, else calendar days). JSON keys: as_of,
  year, level, version, total {the rows added up: target_yuan, target_to_date_yuan, sales_yuan,
  completion_rate, time_share, time_share_basis, completion_to_date} or null, time_share (the
  total's), time_share_basis, rows [{level, code, name, city, target_yuan, sales_yuan,
  completion_rate, time_share, time_share_basis (monthly|calendar), target_to_date_yuan,
  completion_to_date, monthly_share (time_share when by monthly targets, else null),
  version}]."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

LEVELS = ("city", "manager", "station")


def add_parser(sub) -> None:
    targets = sub.add_parser("targets", help="sales targets: import, template, completion")
    actions = targets.add_subparsers(dest="targets_action", required=True)
    imp = actions.add_parser("import", help="import a targets workbook as a new version")
    imp.add_argument("path", help="the targets workbook (fucai sales targets template)")
    imp.add_argument("--year", type=int, help="refuse rows of another year")
    imp.add_argument("--user", help="import as this user (recorded as who made the version)")
    template = actions.add_parser("template", help="the targets workbook to fill in")
    template.add_argument("--year", type=int, required=True)
    template.add_argument("--user", help="only what this user sees")
    template.add_argument("--out", help="the file to write (default targets-YEAR.xlsx)")
    comp = actions.add_parser("completion", help="completion rate and 序时进度 as of a day")
    comp.add_argument("--as-of", required=True, help="YYYY-MM-DD")
    comp.add_argument("--level", choices=LEVELS, default="city")
    comp.add_argument("--user", help="apply this user's scope (default: the whole province)")
    comp.add_argument("--format", choices=("json", "table", "xlsx"), default="table")
    comp.add_argument("--out", help="the file to write (xlsx: default completion-DATE.xlsx)")


def run(command, options) -> None:
    from fucai.sales.management.commands.sales import user_for

    user = user_for(options.get("user"))
    action = options["targets_action"]
    if action == "import":
        return do_import(command, options, user)
    if action == "template":
        return do_template(command, options, user)
    return do_completion(command, options, user)


def do_import(command, options, user) -> None:
    from fucai.core.context import acting_as
    from fucai.sales.targets import TargetImportError, import_targets

    try:
        with acting_as(user, "command"):
            target_set = import_targets(options["path"], user, options["year"])
    except TargetImportError as exc:
        raise CommandError("\n".join([*exc.errors, _("Nothing was imported.")])) from None
    command.stdout.write(
        _("Imported %(n)s targets of %(year)s as version %(version)s.")
        % {"n": target_set.targets.count(), "year": target_set.year, "version": target_set.version}
    )


def do_template(command, options, user) -> None:
    from fucai.core.excel import workbook_bytes
    from fucai.sales.targets import template_workbook

    path = Path(options["out"] or f"targets-{options['year']}.xlsx")
    path.write_bytes(workbook_bytes(template_workbook(options["year"], user)))
    command.stdout.write(str(path))


def completion_data(as_of: dt.date, level: str, user=None) -> dict:
    """The command's JSON (and the API's): each target's completion and their total."""
    from fucai.sales.targets import completion, total_completion

    rows = completion(as_of, level, user=user)
    total = total_completion(rows)
    summed = None
    if total is not None:
        summed = {
            k: v for k, v in total.to_dict().items() if k not in ("level", "code", "name", "city")
        }
        summed.pop("version")
    return {
        "as_of": as_of.isoformat(),
        "year": as_of.year,
        "level": level,
        "time_share": None if summed is None else summed["time_share"],
        "time_share_basis": None if summed is None else summed["time_share_basis"],
        "version": rows[0].version if rows else None,
        "total": summed,
        "rows": [row.to_dict() for row in rows],
    }


def completion_headings() -> list[tuple[str, str]]:
    return [
        ("code", _("Code")),
        ("name", _("Name")),
        ("target_yuan", _("Annual target (yuan)")),
        ("target_to_date_yuan", _("Target to date (序时任务, yuan)")),
        ("sales_yuan", _("Sales to date (yuan)")),
        ("completion_rate", _("Completion rate")),
        ("time_share", _("Time elapsed (序时进度)")),
        ("time_share_basis", _("Measured by")),
        ("completion_to_date", _("Of the target to date")),
    ]


def basis_label(basis: str | None) -> str:
    from fucai.sales.targets import basis_label

    return basis_label(basis)


def completion_workbook(data: dict):
    """completion_data's rows as a workbook (amounts and rates as numbers), with a notes sheet:
    the command's and the targets page's Excel file."""
    from decimal import Decimal

    from fucai.core.excel import add_notes_sheet, table_workbook

    headings = completion_headings()

    def cell(key, value):
        if key == "time_share_basis":
            return basis_label(value)
        return Decimal(value) if value is not None and key not in ("code", "name") else value

    rows = [[cell(k, row[k]) for k, _label in headings] for row in data["rows"]]
    if data["total"] is not None and len(rows) > 1:
        named = {**data["total"], "code": _("Total"), "name": ""}
        rows.append([cell(k, named.get(k)) for k, _label in headings])
    wb = table_workbook([str(label) for _k, label in headings], rows, title=_("Completion"))
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("As of"), data["as_of"]),
            (_("Target version"), data["version"]),
            (_("Time elapsed (序时进度)"), time_share_rule()),
        ],
    )
    return wb


def do_completion(command, options, user) -> None:
    from fucai.core.commandline import render_table

    try:
        as_of = dt.date.fromisoformat(options["as_of"])
    except ValueError:
        raise CommandError(
            _("--as-of %(value)r is not a date; use YYYY-MM-DD.") % {"value": options["as_of"]}
        ) from None
    data = completion_data(as_of, options["level"], user)
    if not data["rows"]:
        raise CommandError(_("No targets for %(year)s.") % {"year": as_of.year})
    headings = completion_headings()
    if options["format"] == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
            command.stdout.write(options["out"])
        else:
            command.stdout.write(text)
        return
    if options["format"] == "xlsx":
        from fucai.core.excel import workbook_bytes

        wb = completion_workbook(data)
        path = Path(options["out"] or f"completion-{data['as_of']}.xlsx")
        path.write_bytes(workbook_bytes(wb))
        command.stdout.write(str(path))
        return

    def pct(value):
        return "" if value is None else f"{float(value) * 100:.2f}%"

    percent = {"completion_rate", "time_share", "completion_to_date"}
    rows = [
        tuple(
            pct(row[k])
            if k in percent
            else basis_label(row[k])
            if k == "time_share_basis"
            else row[k] or ""
            for k, _label in headings
        )
        for row in data["rows"]
    ]
    command.stdout.write(
        render_table([str(label) for _k, label in headings], rows, right={2, 3, 4, 5, 6, 8})
    )


def time_share_rule() -> str:
    """The rule in words (the workbook's notes)."""
    return _(
        "the target to date / the annual target: by the monthly targets when the target has "
        "them (the months before the day's, the day's month pro rata by days), else by calendar "
        "days (days elapsed / days in the year)"
    )
