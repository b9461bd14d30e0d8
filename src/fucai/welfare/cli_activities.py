"""`fucai welfare activities --year 2023 [--user NAME] --format json|xlsx|table [--out FILE]`:
the year's 福彩公益行 activities and publicity placements (without --user: all of them)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from fucai.core.commandline import render_table
from fucai.network.management.commands.network import user_for


def add_parser(sub) -> None:
    p = sub.add_parser("activities", help="福彩公益行 activities and publicity placements")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--user", help="apply this user's scope (default: the province)")
    p.add_argument("--format", choices=("table", "json", "xlsx"), default="table")
    p.add_argument("--out", help="the Excel file (default: welfare-activities-YEAR.xlsx)")


def run(command, options) -> None:
    from fucai.welfare.activities import activity_summary
    from fucai.welfare.models import WelfareActivity

    year = options["year"]
    if not 2000 <= year <= 2100:
        raise CommandError("--year must be between 2000 and 2100.")
    user = user_for(options["user"])
    base = WelfareActivity.objects.all() if user is None else WelfareActivity.objects.restrict(user)
    activities = base.filter(held_on__year=year).select_related("city", "county")
    if options["format"] == "xlsx":
        from fucai.core.excel import workbook_bytes
        from fucai.welfare.exports import activity_workbook

        path = Path(options["out"] or f"welfare-activities-{year}.xlsx")
        path.write_bytes(workbook_bytes(activity_workbook(activities, year)))
        command.stdout.write(str(path))
        return
    summary = activity_summary(activities, year)
    if options["format"] == "json":
        command.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    rows = [
        [r["date"], r["kind_label"], r["title"], r["city_name"], r["people_reached"]]
        for r in summary["rows"]
    ]
    rows.append(["", "", "", "", summary["people_reached"]])
    command.stdout.write(render_table(["date", "kind", "title", "city", "people"], rows, {4}))
