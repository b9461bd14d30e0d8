"""`fucai party compliance --year 2023 [--as-of 2023-09-03] [--branch CODE] --format
json|table|xlsx [--out FILE] [--user NAME]`: each branch's organisational life against the rules
(fucai.party.compliance). Without --user: every branch; with it, that user's branches (none
without the Party-affairs capability)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from fucai.core.commandline import FucaiCommand, render_table
from fucai.network.management.commands.network import parse_date, user_for


class Command(FucaiCommand):
    help = "Party building: organisational life checked against the rules."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("compliance", help="per branch and type: required, held, missing")
        check.add_argument("--year", type=int, required=True, help="e.g. 2023")
        check.add_argument("--as-of", type=parse_date, help="YYYY-MM-DD (default: year end)")
        check.add_argument("--branch", help="one branch's code (e.g. DZ360000)")
        check.add_argument("--format", choices=("table", "json", "xlsx"), default="table")
        check.add_argument("--out", help="with xlsx: the file to write")
        check.add_argument("--user", help="apply this user's scope (default: every branch)")

    def handle(self, *args, **options) -> None:
        from fucai.party.compliance import compliance, report
        from fucai.party.models import Branch

        if not 2000 <= options["year"] <= 2100:
            raise CommandError("--year must be between 2000 and 2100.")
        user = user_for(options["user"])
        branches = Branch.objects.all() if user is None else Branch.objects.restrict(user)
        if options["branch"]:
            branches = branches.filter(code=options["branch"])
            if not branches:
                raise CommandError(f"--branch {options['branch']!r}: no such branch in the scope.")
        branches, year, as_of = list(branches), options["year"], options["as_of"]
        if options["format"] == "json":
            result = report(branches, year, as_of)
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        pairs = [(b, compliance(b, year, as_of)) for b in branches]
        if options["format"] == "table":
            self.stdout.write(_table(pairs))
            return
        self._xlsx(pairs, year, as_of, options["out"])

    def _xlsx(self, pairs, year, as_of, out) -> None:
        import datetime as dt

        from fucai.core.excel import workbook_bytes
        from fucai.party.exports import compliance_workbook

        day = as_of or dt.date(year, 12, 31)
        path = Path(out or f"party-compliance-{year}.xlsx")
        path.write_bytes(workbook_bytes(compliance_workbook(pairs, year, day)))
        self.stdout.write(str(path))


def _table(pairs) -> str:
    from fucai.party.exports import compliance_rows

    head = ["code", "branch", "type", "required", "held", "missing", "due", "rule"]
    return render_table(head, compliance_rows(pairs), right={3, 4})
