"""`fucai welfare raised --as-of DATE [--by city|game] [--user NAME] --format json|xlsx|table
[--out FILE]`: the fund raised year to date as of a day (fucai.welfare.fund), in the user's
scope (without --user: the province). JSON: the as-of, the totals in yuan (strings, two
decimals) and fen, the rows."""

from __future__ import annotations

import json
from pathlib import Path

from fucai.core.commandline import render_table
from fucai.network.management.commands.network import parse_date, user_for


def add_parser(sub) -> None:
    raised = sub.add_parser("raised", help="the public-welfare fund raised by sales, year to date")
    raised.add_argument("--as-of", required=True, type=parse_date, help="YYYY-MM-DD")
    raised.add_argument("--by", choices=("city", "game"), default="city")
    raised.add_argument("--user", help="apply this user's scope (default: the province)")
    raised.add_argument("--format", choices=("table", "json", "xlsx"), default="table")
    raised.add_argument("--out", help="the Excel file (default: welfare-raised-DAY.xlsx)")


def run(command, options) -> None:
    from fucai.analytics.scope import Scope
    from fucai.welfare.fund import raised_as_asked

    user = user_for(options["user"])
    data = {"as_of": str(options["as_of"])} if options["as_of"] else None
    _form, result = raised_as_asked(user if user is not None else Scope.province(), data)
    as_of = result.as_of
    if result.notice:
        command.stderr.write(result.notice)
    by = options["by"]
    if options["format"] == "json":
        command.stdout.write(json.dumps(result.to_dict(by), ensure_ascii=False, indent=2))
        return
    if options["format"] == "xlsx":
        from fucai.core.excel import workbook_bytes
        from fucai.welfare.fund import fund_workbook

        path = Path(options["out"] or f"welfare-raised-{as_of.isoformat()}.xlsx")
        path.write_bytes(workbook_bytes(fund_workbook(result, by)))
        command.stdout.write(str(path))
        return
    head = ["", "", "sales_yuan", "fund_yuan", "share_pct", "prior_fund_yuan", "yoy_pct"]
    rows = [
        [
            d["key"],
            d["name"],
            d["sales_yuan"],
            d["fund_yuan"],
            d["share_pct"] or "—",
            d["prior_fund_yuan"],
            d["yoy_pct"] or "—",
        ]
        for d in (r.to_dict() for r in [*result.rows(by), result.total])
    ]
    rows[-1][:2] = ["", result.total.name]
    command.stdout.write(f"{result.scope} {result.start.isoformat()} – {as_of.isoformat()}")
    command.stdout.write(render_table(head, rows, right={2, 3, 4, 5, 6}))
