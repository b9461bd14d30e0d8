"""Evaluation on the command line (docs/evaluation.md; JSON keys fixed for integration):

- `fucai evaluate ahp --matrix FILE.csv [--ri saaty|donegan_dodd] [--precision 6]
  [--iterations 100] --format json|table`: AHP weights, lambda_max, CI, CR, consistent;
- `fucai evaluate weights --method entropy|critic --data FILE.csv [--directions b,c,...]
  [--variant sum|min_max] --format json|table`: objective weights of the data's indicators;
- `fucai evaluate run --scheme FILE --data FILE.csv [--previous FILE.json] [--robustness N]
  --format json|xlsx|table [--out FILE]`: a scheme on a decision matrix (weights, and per
  alternative id, score, rank, grade, eliminated, pay_factor, contributions);
- `fucai evaluate period --scheme NAME --period 2023 [--as-of DATE] [--previous 2022|run:ID]
  [--robustness N] [--user U] --format json|xlsx|table [--out FILE]`: a shipped scheme on
  fucai's own data (fucai.evaluation.indicators.build_inputs): the keys of `run` plus period,
  as_of, data_version, filled (missing values replaced), missing_inputs (the rule and, per
  indicator, who had none; manual inputs not entered are refused without --allow-missing),
  inputs (each alternative's raw values and their sources), previous and previous_streaks (the
  published run of the period before whose bottom-k streaks the elimination and the robustness
  draws read);
- `fucai evaluate manual template|import --scheme NAME --period P [FILE] [--out FILE]`: the
  manual-input sheet of a scheme and period (fucai.evaluation.manual)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from fucai.core.commandline import FucaiCommand, render_table

RANDOM_INDEX_TABLES = ("saaty", "donegan_dodd")  # fucai.evaluation.methods.RANDOM_INDEX


class Command(FucaiCommand):
    help = "Evaluation: AHP, entropy and CRITIC weights, and schemes run on a decision matrix."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ahp = sub.add_parser("ahp", help="AHP weights and consistency of a pairwise matrix")
        ahp.add_argument("--matrix", required=True, help="CSV: header of criteria, a row each")
        ahp.add_argument("--ri", choices=RANDOM_INDEX_TABLES, default="saaty", help="RI table")
        ahp.add_argument("--precision", type=int, default=6, help="AHPy decimals (default 6)")
        ahp.add_argument("--iterations", type=int, default=100, help="AHPy squarings (100)")
        ahp.add_argument("--format", choices=("json", "table"), default="table")
        weights = sub.add_parser("weights", help="entropy or CRITIC weights of a data file")
        weights.add_argument("--method", choices=("entropy", "critic"), required=True)
        weights.add_argument("--data", required=True, help="CSV: id and a column per indicator")
        weights.add_argument("--directions", help="b or c per indicator (default: all b)")
        weights.add_argument(
            "--variant", choices=("sum", "min_max"), default="min_max", help="entropy's variant"
        )
        weights.add_argument("--format", choices=("json", "table"), default="table")
        run = sub.add_parser("run", help="a scheme on a decision matrix: scores, grades, pay")
        run.add_argument("--scheme", required=True, help="the scheme (YAML or JSON)")
        run.add_argument("--data", required=True, help="CSV: id and a column per indicator")
        run.add_argument("--previous", help="JSON: id → periods running in the bottom-k zone")
        run.add_argument("--robustness", action="store_true", help="add the scheme's robustness")
        run.add_argument("--format", choices=("json", "xlsx", "table"), default="table")
        run.add_argument("--out", help="the file to write (xlsx; json: instead of the output)")
        # schemes as versioned documents (fucai.evaluation.schemes_store)
        scheme = sub.add_parser("scheme", help="store a scheme document as its next version")
        scheme.add_argument("verb", choices=("load",), help="load: validate and store FILE")
        scheme.add_argument("file", nargs="?", help="the scheme (YAML or JSON); none: the seeds")
        scheme.add_argument("--from", dest="valid_from", help="effective from (YYYY-MM-DD)")
        scheme.add_argument("--to", dest="valid_to", help="effective to (YYYY-MM-DD)")
        scheme.add_argument("--note", default="", help="what changed")
        period = sub.add_parser("period", help="a shipped scheme on fucai's own data")
        period.add_argument("--scheme", required=True, help="e.g. market-managers-2023")
        period.add_argument("--period", required=True, help="2023, 2023-Q3 or 2023-07")
        period.add_argument("--as-of", help="YYYY-MM-DD within the period (default: its end)")
        period.add_argument(
            "--previous",
            help="the period before (e.g. 2022: its latest published run) or run:ID, whose "
            "bottom-k streaks a bottom_k rule over several periods reads (default: none)",
        )
        period.add_argument("--robustness", type=int, help="add N robustness draws")
        period.add_argument(
            "--allow-missing",
            action="store_true",
            help="run although manual inputs of the period are not entered (worst value)",
        )
        period.add_argument("--user", help="show only what this user sees")
        period.add_argument("--format", choices=("json", "xlsx", "table"), default="table")
        period.add_argument("--out", help="the file to write (xlsx; json: instead of the output)")
        manual = sub.add_parser("manual", help="the manual-input sheet of a scheme and period")
        manual.add_argument("manual_action", choices=("template", "import"))
        manual.add_argument("path", nargs="?", help="import: the filled template")
        manual.add_argument("--scheme", required=True, help="e.g. market-managers-2023")
        manual.add_argument("--period", required=True, help="2023, 2023-Q3 or 2023-07")
        manual.add_argument("--user", help="import as / the template of this user")
        manual.add_argument("--out", help="template: the file to write")

    def handle(self, *args, **options) -> None:
        from fucai.evaluation.indicators import PeriodError
        from fucai.evaluation.manual import ManualImportError
        from fucai.evaluation.methods import MethodError
        from fucai.evaluation.scheme import SchemeError
        from fucai.evaluation.tables import TableError

        try:
            getattr(self, options["action"])(options)
        except (TableError, SchemeError, PeriodError) as exc:
            raise CommandError(str(exc)) from None
        except ManualImportError as exc:
            raise CommandError("\n".join([*exc.errors, _("Nothing was imported.")])) from None
        except MethodError as exc:
            raise CommandError(method_sentence(str(exc))) from None

    def ahp(self, options) -> None:
        from fucai.evaluation.methods import ahp, random_index
        from fucai.evaluation.tables import read_pairwise

        names, matrix = read_pairwise(options["matrix"])
        if len(names) > 3 and not random_index(options["ri"], len(names)):
            raise CommandError(_("no random index for this order"))
        result = ahp(names, matrix, options["ri"], options["precision"], options["iterations"])
        data = {
            "weights": result.weights,
            "lambda_max": result.lambda_max,
            "ci": result.ci,
            "cr": result.cr,
            "consistent": result.consistent,
            "random_index": result.random_index,
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rows = [(name, f"{w:.4f}") for name, w in result.weights.items()]
        self.stdout.write(render_table((_("criterion"), _("weight")), rows, right={1}))
        verdict = _("consistent") if result.consistent else _("inconsistent (CR > 0.1)")
        self.stdout.write(
            f"lambda_max {result.lambda_max:.4f}  CI {result.ci:.4f}  "
            f"CR {result.cr:.4f} ({result.random_index})  {verdict}"
        )

    def scheme(self, options) -> None:
        for row in load_scheme_file(options):
            self.stdout.write(f"{row.name} v{row.version}: {row.title}")

    def weights(self, options) -> None:
        import numpy as np

        from fucai.evaluation.methods import critic_weights, entropy_weights
        from fucai.evaluation.tables import read_decision

        _ids, names, matrix = read_decision(options["data"])
        benefit = directions(options["directions"], names)
        if options["method"] == "entropy":
            weights = entropy_weights(matrix, benefit, options["variant"])
        else:
            weights = critic_weights(matrix, benefit)
        data = {"weights": dict(zip(names, map(float, np.asarray(weights)), strict=True))}
        if options["method"] == "entropy":
            data["variant"] = options["variant"]
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rows = [(name, f"{w:.4f}") for name, w in data["weights"].items()]
        self.stdout.write(render_table((_("indicator"), _("weight")), rows, right={1}))

    def run(self, options) -> None:
        from fucai.evaluation.engine import evaluate, robustness
        from fucai.evaluation.scheme import load_scheme
        from fucai.evaluation.tables import read_decision

        scheme = load_scheme(options["scheme"])
        names = [i.name for i in scheme.indicators]
        ids, _names, matrix = read_decision(options["data"], names)
        previous = read_previous(options["previous"]) if options["previous"] else None
        result = evaluate(scheme, ids, matrix, previous)
        if options["robustness"]:
            if scheme.robustness is None:
                raise CommandError(_("the scheme has no robustness section"))
            result["robustness"] = robustness(scheme, ids, matrix, previous=previous)
        self.emit(scheme, result, options)

    def emit(self, scheme, result: dict, options) -> None:
        if options["format"] == "json":
            text = json.dumps(result, ensure_ascii=False, indent=2)
            if options["out"]:
                Path(options["out"]).write_text(text, encoding="utf-8")
                self.stdout.write(options["out"])
            else:
                self.stdout.write(text)
            return
        if options["format"] == "xlsx":
            from fucai.core.excel import workbook_bytes
            from fucai.evaluation.exports import result_workbook

            path = Path(options["out"] or f"evaluation-{scheme.name}.xlsx")
            path.write_bytes(workbook_bytes(result_workbook(scheme, result)))
            self.stdout.write(str(path))
            return
        head = (_("id"), _("name"), _("score"), _("rank"), _("grade"), _("eliminated"))
        head = (*head, _("pay factor"))
        rows = [
            (
                row["id"],
                row.get("label", ""),  # a period's alternatives carry their names
                f"{row['score']:.2f}",
                row["rank"],
                row["grade"],
                _("yes") if row["eliminated"] else "",
                "" if row["pay_factor"] is None else f"{row['pay_factor']:.4f}",
            )
            for row in sorted(result["alternatives"], key=lambda r: (r["rank"], r["id"]))
        ]
        self.stdout.write(render_table(head, rows, right={2, 3, 6}))

    def _check_manual(self, scheme, table, allow: bool) -> None:
        """Manual inputs not entered for the period: refused (runs.missing_message), or with
        --allow-missing said on stderr and counted as the worst value."""
        from fucai.evaluation.manual import unentered
        from fucai.evaluation.runs import missing_message

        lacking = unentered(scheme, table.ids, table.values)
        if not lacking:
            return
        message = missing_message(lacking, table.period)
        if not allow:
            raise CommandError(f"{message} (--allow-missing)")
        self.stderr.write(message)

    def period(self, options) -> None:
        import datetime as dt

        from fucai.evaluation.engine import evaluate, robustness
        from fucai.evaluation.indicators import build_inputs, completed_matrix, visible_ids
        from fucai.evaluation.runs import missing_record
        from fucai.evaluation.shipped import scheme_named

        scheme = scheme_named(options["scheme"])
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    _("--as-of %(value)r is not a date; use YYYY-MM-DD.")
                    % {"value": options["as_of"]}
                ) from None
        user = user_named(options["user"])
        table = build_inputs(scheme, options["period"], as_of=as_of)
        if len(table.ids) < 2:
            raise CommandError(_("fewer than two alternatives in the period"))
        self._check_manual(scheme, table, options["allow_missing"])
        matrix, filled = completed_matrix(table, scheme)
        before, previous = previous_of(scheme, table.period, options["previous"])
        result = evaluate(scheme, list(table.ids), matrix, previous, elapsed=table.elapsed)
        if options["robustness"]:
            if scheme.robustness is None:
                raise CommandError(_("the scheme has no robustness section"))
            settings = scheme.robustness.model_copy(update={"draws": options["robustness"]})
            result["robustness"] = robustness(
                scheme, list(table.ids), matrix, settings, table.elapsed, previous
            )
        shown = set(table.ids)
        if user is not None:  # evaluated on everyone (quotas), shown as the user's grant allows
            from fucai.evaluation.indicators import population

            shown = visible_ids(population(scheme.population, table.start, table.end), user)
        names = [i.name for i in scheme.indicators]
        result = {
            **result,
            "period": table.period,
            "as_of": table.end.isoformat(),
            "data_version": table.data_version,
            "previous": before and {"run": before.pk, "period": before.period},
            "previous_streaks": {i: n for i, n in previous.items() if i in shown},
            "filled": [{"id": i, "indicator": n} for i, n in filled if i in shown],
            "missing_inputs": shown_missing(missing_record(scheme, table), shown),
            "alternatives": [
                {**row, "label": table.labels[row["id"]], "city": table.cities[row["id"]]}
                for row in result["alternatives"]
                if row["id"] in shown
            ],
            "inputs": {
                i: {
                    n: {"value": table.values[n][i], "source": table.sources.get(n, {}).get(i, "")}
                    for n in names
                }
                for i in table.ids
                if i in shown
            },
        }
        if "robustness" in result:
            result["robustness"]["alternatives"] = [
                r for r in result["robustness"]["alternatives"] if r["id"] in shown
            ]
        self.emit(scheme, result, options)

    def manual(self, options) -> None:
        from fucai.core.context import acting_as
        from fucai.evaluation.manual import import_manual, template_workbook
        from fucai.evaluation.shipped import scheme_named

        scheme = scheme_named(options["scheme"])
        user = user_named(options["user"])
        if options["manual_action"] == "template":
            from fucai.core.excel import workbook_bytes

            path = Path(options["out"] or f"manual-{scheme.name}-{options['period']}.xlsx")
            path.write_bytes(workbook_bytes(template_workbook(scheme, options["period"], user)))
            self.stdout.write(str(path))
            return
        if not options["path"]:
            raise CommandError(_("name the filled template to import"))
        with acting_as(user, "command"):
            input_set = import_manual(options["path"], scheme, options["period"], user)
        self.stdout.write(
            _("Imported %(n)s rows as version %(version)s of %(scheme)s %(period)s.")
            % {
                "n": input_set.rows.count(),
                "version": input_set.version,
                "scheme": scheme.name,
                "period": input_set.period,
            }
        )


def user_named(username: str | None):
    from django.contrib.auth import get_user_model

    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("--user %(name)r: no such user.") % {"name": username})
    return user


def previous_of(scheme, period: str, ref: str | None) -> tuple:
    """(the run --previous names, its bottom-k streaks) — (None, {}) without it."""
    from django.core.exceptions import ValidationError

    from fucai.evaluation.runs import previous_named, run_streaks

    if not ref:
        return None, {}
    try:
        before = previous_named(scheme.name, period, ref)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from None
    return before, run_streaks(before)


def load_scheme_file(options) -> list:
    """`fucai evaluate scheme load [FILE]`: FILE as the next version of its scheme, or the
    shipped seed schemes as version 1 (those not stored yet)."""
    import datetime as dt

    from fucai.evaluation.schemes_store import load_shipped, save_scheme

    if not options["file"]:
        return load_shipped()
    try:
        text = Path(options["file"]).read_text(encoding="utf-8")
        start = dt.date.fromisoformat(options["valid_from"]) if options["valid_from"] else None
        end = dt.date.fromisoformat(options["valid_to"]) if options["valid_to"] else None
    except (OSError, ValueError) as exc:
        raise CommandError(f"{options['file']}: {exc}") from None
    return [save_scheme(text, valid_from=start, valid_to=end, note=options["note"])]


def directions(text: str | None, names: list[str]):
    """--directions b,c,… → a bool array (True: benefit); without it every indicator is one."""
    import numpy as np

    if not text:
        return np.ones(len(names), dtype=bool)
    parts = [p.strip().lower() for p in text.split(",")]
    if len(parts) != len(names) or any(p not in ("b", "c") for p in parts):
        raise CommandError(
            _("--directions: one of b (benefit) or c (cost) per indicator, %(n)s in all: %(names)s")
            % {"n": len(names), "names": ", ".join(names)}
        )
    return np.array([p == "b" for p in parts])


def read_previous(path: str) -> dict[str, int]:
    """--previous FILE.json: an object id → periods running, before this one, in the bottom-k
    zone."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(
            _("%(file)s: cannot be read (%(error)s)") % {"file": path, "error": exc}
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in data.values()
    ):
        raise CommandError(
            _("%(file)s: must map each id to a whole number of periods") % {"file": path}
        )
    return {str(k): v for k, v in data.items()}


def method_sentence(code: str) -> str:
    return {
        "sum": _("entropy variant sum needs every value above 0 (use min_max)"),
        "constant": _("every indicator is constant: no weights can be derived"),
        "constant_column": _("an indicator is constant: CRITIC cannot weigh it"),
    }.get(code, _("no random index for this order"))


def shown_missing(record: dict, shown: set) -> dict:
    """runs.missing_record narrowed to the alternatives the user is shown."""
    indicators = {}
    for name, entry in record["indicators"].items():
        ids = [i for i in entry["ids"] if i in shown]
        if ids:
            indicators[name] = {**entry, "ids": ids}
    return {**record, "indicators": indicators}
