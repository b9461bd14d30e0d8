"""Party building on the command line (without --user: everything; with it, that user's
branches, none without the Party-affairs capability):

- `fucai party compliance --year 2023 [--as-of 2023-09-03] [--branch CODE] --format
  json|table|xlsx [--out FILE]`: each branch's organisational life against the rules
  (fucai.party.compliance);
- `fucai party pairing [--as-of DAY] [--since DAY] [--stale-days 90] --format json|table|xlsx`:
  pairing coverage per city (fucai.party.pairing);
- `fucai party assessments --year 2023 [--branch CODE] --format json|table|xlsx [--out FILE]`:
  the 四强 self-assessments (fucai.party.assessment; JSON as the API's `/party/assessments`;
  xlsx needs one assessment: give --branch);
- `fucai party effect --treatment pairing|new_channel --city 吉安 [--first DAY] [--as-of DAY]
  [--radius 1000] [--controls matched_never_treated|all_untreated] --format json|table`: the
  measured effect on station sales (fucai.party.effect)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from fucai.core.commandline import FucaiCommand, render_table
from fucai.network.management.commands.network import city_for, parse_date, user_for
from fucai.party.effect import CONTROL_GROUPS
from fucai.party.effect_build import NEAR_M, TREATMENTS
from fucai.party.pairing import STALE_DAYS


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
        pairing = sub.add_parser("pairing", help="pairing coverage per city as of a day")
        pairing.add_argument("--as-of", type=parse_date, help="YYYY-MM-DD (default: today)")
        pairing.add_argument("--since", type=parse_date, help="visits counted from (1 January)")
        pairing.add_argument("--stale-days", type=int, default=STALE_DAYS, help="default 90")
        pairing.add_argument("--format", choices=("table", "json", "xlsx"), default="table")
        pairing.add_argument("--out", help="with xlsx: the file to write")
        pairing.add_argument("--user", help="apply this user's scope (default: every branch)")
        assess = sub.add_parser("assessments", help="四强 self-assessments: score, items, missing")
        assess.add_argument("--year", type=int, required=True, help="e.g. 2023")
        assess.add_argument("--branch", help="one branch's code (e.g. DZ360700)")
        assess.add_argument("--format", choices=("table", "json", "xlsx"), default="table")
        assess.add_argument("--out", help="with xlsx: the file to write")
        assess.add_argument("--user", help="apply this user's scope (default: every branch)")
        effect = sub.add_parser("effect", help="the effect of pairing or new channels on sales")
        effect.add_argument("--treatment", choices=TREATMENTS, required=True)
        effect.add_argument("--city", required=True, help="name or adcode, e.g. 吉安 or 360800")
        effect.add_argument("--first", type=parse_date, help="first month (default 2021-01)")
        effect.add_argument("--as-of", type=parse_date, help="last day (default: today)")
        effect.add_argument("--radius", type=int, default=NEAR_M, help="new_channel: metres")
        effect.add_argument("--controls", choices=CONTROL_GROUPS, default=CONTROL_GROUPS[0])
        effect.add_argument("--format", choices=("table", "json"), default="table")
        effect.add_argument("--user", help="apply this user's scope (default: everything)")

    def handle(self, *args, **options) -> None:
        if options["action"] == "pairing":
            return self.pairing(options)
        if options["action"] == "effect":
            return self.effect(options)
        if options["action"] == "assessments":
            return self.assessments(options)
        return self.compliance(options)

    def compliance(self, options) -> None:
        from fucai.party.compliance import compliance, report

        if not 2000 <= options["year"] <= 2100:
            raise CommandError("--year must be between 2000 and 2100.")
        branches, year, as_of = list(_branches(options)), options["year"], options["as_of"]
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

    def assessments(self, options) -> None:
        from fucai.core.excel import workbook_bytes
        from fucai.party.assessment import evaluate, prefetched
        from fucai.party.assessment_exports import assessment_workbook
        from fucai.party.models import Assessment
        from fucai.party.models.assessment import FIRST_YEAR, LAST_YEAR

        year = options["year"]
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"--year must be between {FIRST_YEAR} and {LAST_YEAR}.")
        found = Assessment.objects.filter(branch__in=_branches(options), year=year)
        results = [evaluate(a) for a in prefetched(found.order_by("branch__code"))]
        if options["format"] == "json":
            data = [r.as_dict() for r in results]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if options["format"] == "table":
            self.stdout.write(_assessment_table(results))
            return
        if len(results) != 1:
            raise CommandError(f"xlsx writes one assessment; {len(results)} match: give --branch.")
        result = results[0]
        path = Path(options["out"] or f"party-assessment-{result.branch.code}-{year}.xlsx")
        path.write_bytes(workbook_bytes(assessment_workbook(result)))
        self.stdout.write(str(path))

    def pairing(self, options) -> None:
        from django.utils import timezone

        from fucai.core.bounds import clamp_date
        from fucai.party.models import Pairing
        from fucai.party.pairing import coverage

        user = user_for(options["user"])
        as_of, notice = clamp_date(options["as_of"] or timezone.localdate())
        if notice:
            self.stderr.write(notice)
        if options["stale_days"] < 1:
            raise CommandError("--stale-days must be 1 or more.")
        pairings = Pairing.objects.all() if user is None else Pairing.objects.restrict(user)
        result = coverage(pairings, as_of, options["since"], options["stale_days"], user)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
            return
        if options["format"] == "table":
            from fucai.party.exports import pairing_city_rows

            head = [
                "city",
                "cadres",
                "stations",
                "open",
                "paired %",
                "visits",
                "per month",
                "stale",
            ]
            self.stdout.write(render_table(head, pairing_city_rows(result), right=set(range(1, 8))))
            return
        from fucai.core.excel import workbook_bytes
        from fucai.party.exports import pairing_workbook

        path = Path(options["out"] or f"party-pairing-{as_of}.xlsx")
        path.write_bytes(workbook_bytes(pairing_workbook(result)))
        self.stdout.write(str(path))

    def effect(self, options) -> None:
        from django.utils import timezone

        from fucai.core.bounds import clamp_date
        from fucai.core.grant import PARTY_AFFAIRS, grant_for
        from fucai.party.effect import EffectError, EffectSettings
        from fucai.party.effect_build import PANEL_FIRST, EffectRequest, run_effect

        user = user_for(options["user"])
        if user is not None and not grant_for(user).can(PARTY_AFFAIRS):
            raise CommandError(f"--user {options['user']!r} does not see Party work.")
        last, notice = clamp_date(options["as_of"] or timezone.localdate())
        if notice:
            self.stderr.write(notice)
        request = EffectRequest(
            treatment=options["treatment"],
            city=city_for(options["city"]).code,
            first=options["first"] or PANEL_FIRST,
            last=last,
            radius_m=options["radius"],
            settings=EffectSettings(control_group=options["controls"]),
        )
        try:
            result = run_effect(request, user)
        except EffectError as exc:
            raise CommandError(f"{exc}") from None
        if options["format"] == "json":
            data = {"treatment": request.treatment, "city": request.city, **result.to_dict()}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_effect_table(result))


def _effect_table(result) -> str:
    rows = [
        ["estimate", f"{result.estimate_pct}% [{result.ci_low_pct}%, {result.ci_high_pct}%]"],
        [
            "placebo",
            "—"
            if result.placebo_estimate_pct is None
            else f"{result.placebo_estimate_pct}% "
            f"[{result.placebo_ci_low_pct}%, {result.placebo_ci_high_pct}%]",
        ],
        [
            "TWFE (comparison)",
            f"{result.twfe_pct}% [{result.twfe_ci_low_pct}%, {result.twfe_ci_high_pct}%]",
        ],
        ["treated / controls", f"{result.n_treated} / {result.n_control}"],
        ["estimator", result.estimator],
        ["verdict", result.verdict],
        *[["warning", w] for w in result.warnings],
    ]
    return render_table(["", ""], rows, right=set())


def _branches(options):
    """The branches of --user's scope (every branch without it), or the one of --branch."""
    from fucai.party.models import Branch

    user = user_for(options["user"])
    branches = Branch.objects.all() if user is None else Branch.objects.restrict(user)
    if not options["branch"]:
        return branches
    branches = branches.filter(code=options["branch"])
    if not branches:
        raise CommandError(f"--branch {options['branch']!r}: no such branch in the scope.")
    return branches


def _assessment_table(results) -> str:
    head = ["code", "branch", "assessed on", "score", "max", "missing items"]
    rows = [
        [
            r.branch.code,
            r.branch.name,
            r.as_of.isoformat(),
            r.score,
            r.max_points,
            ", ".join(str(i.item.order) for i in r.missing) or "—",
        ]
        for r in results
    ]
    return render_table(head, rows, right={3, 4})


def _table(pairs) -> str:
    from fucai.party.exports import compliance_rows

    head = ["code", "branch", "type", "required", "held", "missing", "due", "rule"]
    return render_table(head, compliance_rows(pairs), right={3, 4})
