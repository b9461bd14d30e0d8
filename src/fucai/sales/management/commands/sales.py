"""`fucai sales …`: import sales files, and sales figures as of a date.

fucai sales import PATH... [--user U] [--kind daily|tickets|mof] [--period YYYY-MM] [--dry-run]
fucai sales import-archive FILE.xlsx [--user U] [--dry-run]
fucai sales summary --as-of 2023-09-03 [--by city,game_category] [--top N] [--user U]
                    [--compare calendar|selling_days] [--format json|table|xlsx] [--out F]
fucai sales market-share --as-of 2023-09-03 [--user U] [--format json|table]
fucai sales targets import FILE | template --year Y | completion --as-of DATE [--level L]
                    [--user U] [--format json|table|xlsx] (fucai.sales.cli_targets)
fucai sales status | gc [--grace-hours H] [--upload-days N] | refresh-dimensions | rebuild-rollups
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from fucai.core.commandline import FucaiCommand

SUMMARY_FORMATS = ("json", "table", "xlsx")
DAYS_SHOWN = 31  # days of an import's effect printed (the record keeps them all)


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value!r} is not a date; use YYYY-MM-DD.") from None


def parse_period(value: str) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in value.split("-"))
    except ValueError:
        raise CommandError(f"--period {value!r}: use YYYY-MM.") from None
    if not 1 <= month <= 12:
        raise CommandError(f"--period {value!r}: the month is 1 to 12.")
    return year, month


# The analytics (Ibis, DuckDB, Arrow) load only for the actions that compute: `sales status`, a
# refused option or `--help` start without them.
def _groupings_help() -> str:
    from fucai.analytics.runners import GROUPINGS

    return f"comma-separated: {', '.join(GROUPINGS)}"


def parse_compare(value: str) -> str:
    from fucai.analytics.runners import COMPARES

    if value not in COMPARES:
        raise argparse.ArgumentTypeError(f"use one of {', '.join(COMPARES)}")
    return value


def user_for(username: str | None):
    from django.contrib.auth import get_user_model

    if username is None:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--user {username!r}: no such user.")
    return user


def refusal(outcome) -> str:
    """The last line of a refused import, in the user's language."""
    from django.utils.translation import gettext as _

    shown = len(outcome.errors)
    if shown < outcome.error_count:
        text = _("%(n)s error(s) (the first %(shown)s shown); nothing was imported.")
    else:
        text = _("%(n)s error(s); nothing was imported.")
    return text % {"n": outcome.error_count, "shown": shown}


def record_line(record) -> str:
    from django.utils.translation import gettext as _

    days = f"{record.first_day} … {record.last_day}" if record.first_day else "-"
    text = _(
        "%(file)s: %(kind)s, %(rows)s rows, %(facts)s daily facts, %(amount)s yuan, days %(days)s"
    )
    return text % {
        "file": record.file_name,
        "kind": record.get_kind_display(),
        "rows": f"{record.rows:,}",
        "facts": f"{record.fact_rows:,}",
        "amount": record.amount_yuan,
        "days": days,
    }


def effect_lines(record) -> list[str]:
    """What the import did (or, dry, would do) to the stored rows: the mode, the totals, and per
    day the rows replaced and removed, the amount removed and added."""
    from django.utils.translation import gettext as _

    from fucai.sales.money import fen_to_yuan

    if not record.day_changes:
        return []
    lines = [
        _(
            "Mode: %(mode)s. Stored rows replaced: %(replaced)s, removed: %(removed)s "
            "(%(amount)s yuan)."
        )
        % {
            "mode": record.get_mode_display(),
            "replaced": f"{record.replaced_rows:,}",
            "removed": f"{record.removed_rows:,}",
            "amount": record.removed_amount_yuan,
        }
    ]
    shown = record.day_changes[:DAYS_SHOWN]
    for change in shown:
        lines.append(
            _(
                "  %(day)s: replaced %(replaced)s, removed %(removed)s, amount removed "
                "%(removed_yuan)s yuan, added %(added)s rows, %(added_yuan)s yuan"
            )
            % {
                "day": change["day"],
                "replaced": f"{change['replaced_rows']:,}",
                "removed": f"{change['removed_rows']:,}",
                "removed_yuan": fen_to_yuan(change["removed_fen"]),
                "added": f"{change['added_rows']:,}",
                "added_yuan": fen_to_yuan(change["added_fen"]),
            }
        )
    if len(record.day_changes) > len(shown):
        lines.append(_("  … %(n)s more days") % {"n": len(record.day_changes) - len(shown)})
    return lines


class Command(FucaiCommand):
    help = "Sales data: import files, figures as of a date, store maintenance."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="validate and import sales files (all or nothing)")
        imp.add_argument("paths", nargs="+", help="CSV, Excel or Parquet files (docs/formats.md)")
        imp.add_argument(
            "--user", help="import as this user (a city agency imports its own stations only)"
        )
        imp.add_argument(
            "--kind", choices=("daily", "tickets", "mof"), help="default: detected from the file"
        )
        imp.add_argument(
            "--period", type=parse_period, help="YYYY-MM of a Ministry of Finance table"
        )
        imp.add_argument(
            "--dry-run", action="store_true", help="check as an import does, import nothing"
        )
        imp.add_argument(
            "--replace-days",
            action="store_true",
            help="replace whole days: stored rows of the file's days that it does not hold are "
            "removed (default: set the file's station × day × game cells, keep the rest)",
        )
        imp.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

        archive = sub.add_parser(
            "import-archive",
            help="import the monthly archive (city × category × month) of the years before "
            "daily data, used by record highs (all or nothing)",
        )
        archive.add_argument("path", help="Excel workbook with sheet 月度销量 (docs/formats.md)")
        archive.add_argument("--user", help="import as this user (a city agency: its own city)")
        archive.add_argument(
            "--dry-run", action="store_true", help="check as an import does, import nothing"
        )

        summary = sub.add_parser("summary", help="year to date as of a date, year on year")
        summary.add_argument("--as-of", required=True, type=parse_date, help="YYYY-MM-DD")
        summary.add_argument("--by", default="", help=lazy(_groupings_help, str)())
        summary.add_argument("--top", type=int, help="only the N largest groups")
        summary.add_argument("--user", help="apply this user's scope (default: the whole province)")
        summary.add_argument(
            "--compare",
            type=parse_compare,
            default=None,  # calendar; a string default would be parsed (and load the analytics)
            help="calendar (default) or selling_days",
        )
        summary.add_argument("--format", choices=SUMMARY_FORMATS, default="table")
        summary.add_argument("--out", help="write to this file (required for xlsx)")
        summary.add_argument(
            "--backend", choices=("duckdb", "pyspark"), help="default: FUCAI_ANALYTICS_BACKEND"
        )

        share = sub.add_parser(
            "market-share",
            help="welfare share and national rank from the Ministry of Finance table, year on year",
        )
        share.add_argument("--as-of", required=True, type=parse_date, help="YYYY-MM-DD")
        share.add_argument("--user", help="apply this user's scope (default: the whole province)")
        share.add_argument("--format", choices=("json", "table"), default="table")

        sub.add_parser("status", help="the store's partitions and the last imports")
        gc = sub.add_parser(
            "gc", help="delete superseded store files and the uploads of old finished imports"
        )
        gc.add_argument("--grace-hours", type=float, default=1.0)
        gc.add_argument(
            "--upload-days",
            type=int,
            help="keep uploads this many days (default FUCAI_UPLOAD_RETENTION_DAYS, 90)",
        )
        sub.add_parser(
            "refresh-dimensions", help="rewrite the dimension snapshot if the network changed"
        )
        sub.add_parser("rebuild-rollups", help="rewrite the monthly rollups from the daily facts")
        from fucai.sales import cli_targets

        cli_targets.add_parser(sub)

    def run_from_argv(self, argv) -> None:
        self._plain_errors = True  # from a shell: errors in the user's language, no class name
        super().run_from_argv(argv)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_plain_errors", False) or options.get("traceback"):
                raise
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)

    def handle(self, *args, **options) -> None:
        action = options["action"].replace("-", "_")
        if action == "targets":
            from fucai.sales import cli_targets

            return cli_targets.run(self, options)
        getattr(self, f"do_{action}")(options)

    # -- import ----------------------------------------------------------------------------------
    def do_import(self, options) -> None:
        from django.utils.translation import gettext as _

        from fucai.core.context import acting_as
        from fucai.sales.choices import ImportMode
        from fucai.sales.ingest.importer import ImportRefused, import_files

        user = user_for(options["user"])
        mode = ImportMode.DAYS if options["replace_days"] else ImportMode.CELLS
        try:
            with acting_as(user, "command"):
                outcome = import_files(
                    options["paths"],
                    user=user,
                    kind=options["kind"],
                    period=options["period"],
                    progress=not options["no_progress"] and sys.stderr.isatty(),
                    dry_run=options["dry_run"],
                    mode=mode,
                )
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(str(error))
            raise CommandError(refusal(outcome))
        if options["dry_run"]:
            self.stdout.write(_("Dry run: no errors found; nothing was imported."))
        for record in outcome.imports:
            self.stdout.write(record_line(record))
        for record in outcome.imports:
            for line in effect_lines(record):
                self.stdout.write(line)
        commit = outcome.commit
        if commit is not None:
            if commit.changed:
                years = ", ".join(map(str, commit.changed_years))
                line = _("Store version %(version)s; years rewritten: %(years)s.")
            else:
                years, line = "", _("Store version %(version)s unchanged: same content.")
            self.stdout.write(line % {"version": commit.manifest.version, "years": years})

    def do_import_archive(self, options) -> None:
        from django.utils.translation import gettext as _

        from fucai.core.context import acting_as
        from fucai.sales.ingest.archive import ArchiveRefused, import_archive
        from fucai.sales.money import yuan_text

        user = user_for(options["user"])
        try:
            with acting_as(user, "command"):
                outcome = import_archive(options["path"], user=user, dry_run=options["dry_run"])
        except ArchiveRefused as exc:
            raise CommandError(str(exc)) from None
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(count)s error(s); nothing was imported.") % {"count": len(outcome.errors)}
            )
        facts = {
            "rows": f"{outcome.rows:,}",
            "cells": f"{outcome.cells:,}",
            "first": f"{outcome.first_month:%Y-%m}",
            "last": f"{outcome.last_month:%Y-%m}",
            "yuan": yuan_text(outcome.amount_fen),
            "replaced": f"{outcome.replaced_cells:,}",
        }
        self.stdout.write(
            _(
                "%(rows)s rows, %(cells)s cells (city × category × month) %(first)s … %(last)s, "
                "%(yuan)s yuan; %(replaced)s of them were already in the archive and are set again"
            )
            % facts
        )
        if options["dry_run"]:
            self.stdout.write(_("dry run: no errors found; nothing was imported."))

    # -- summary ---------------------------------------------------------------------------------
    def do_summary(self, options) -> None:
        if options["format"] == "xlsx" and not options["out"]:
            raise CommandError(
                _("--format xlsx writes an Excel file: name it with --out FILE.xlsx.")
            )
        from fucai.analytics.backends import AnalyticsContext
        from fucai.analytics.runners import AnalyticsError
        from fucai.analytics.scope import Scope
        from fucai.sales.summary import sales_summary

        user = user_for(options["user"])
        scope = Scope.province() if user is None else Scope.for_user(user)
        context = AnalyticsContext(backend=options["backend"])
        try:
            data = sales_summary(
                context,
                scope,
                options["as_of"],
                by=options["by"],
                compare=options["compare"] or "calendar",
                top=options["top"],
            )
        except AnalyticsError as exc:
            raise CommandError(str(exc)) from None
        self._emit(data, options)

    def do_market_share(self, options) -> None:
        from fucai.analytics.backends import AnalyticsContext
        from fucai.analytics.runners import MarketShareRunner
        from fucai.analytics.scope import Scope

        user = user_for(options["user"])
        scope = Scope.province() if user is None else Scope.for_user(user)
        share = MarketShareRunner(AnalyticsContext(), scope).run(options["as_of"])
        data = {"as_of": options["as_of"].isoformat(), **(share.to_dict() if share else {})}
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(render_market_share(data))

    def _emit(self, data: dict, options) -> None:
        fmt, out = options["format"], options["out"]
        if fmt == "xlsx":
            write_summary_xlsx(data, Path(out))
            self.stdout.write(f"wrote {out}")
            return
        text = (
            json.dumps(data, ensure_ascii=False, indent=2)
            if fmt == "json"
            else render_summary(data)
        )
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"wrote {out}")
            return
        self.stdout.write(text)

    # -- maintenance -------------------------------------------------------------------------------
    def do_status(self, options) -> None:
        from fucai.sales.models import SalesImport
        from fucai.sales.store import DAILY, SalesStore

        store = SalesStore()
        manifest = store.manifest()
        self.stdout.write(
            f"store {store.root}: version {manifest.version}, written {manifest.written_at or '-'}"
        )
        for year in manifest.years():
            rows, files = manifest.rows[DAILY][year], manifest.daily_files(year)
            where = next(iter(files.values())) if len(files) == 1 else f"{len(files)} month files"
            self.stdout.write(f"  {year}: {rows:>12,} daily rows  {where}")
        for record in SalesImport.objects.order_by("-started_at", "-pk")[:10]:
            self.stdout.write(
                f"  #{record.pk} {record.started_at:%Y-%m-%d %H:%M} {record.file_name} "
                f"{record.get_status_display()} {record.rows:,} rows {record.error_count} errors"
            )

    def do_gc(self, options) -> None:
        from django.conf import settings

        from fucai.sales.jobs import prune_uploads
        from fucai.sales.store import SalesStore

        deleted = SalesStore().gc(grace=dt.timedelta(hours=options["grace_hours"]))
        days = options["upload_days"]
        days = settings.UPLOAD_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--upload-days must be at least 1")
        uploads = prune_uploads(dt.timedelta(days=days))
        self.stdout.write(
            f"deleted {len(deleted)} store file(s); removed {len(uploads)} upload(s) of imports "
            f"finished and queued more than {days} day(s) ago"
        )

    def do_refresh_dimensions(self, options) -> None:
        from fucai.sales.dimensions import current_dimensions

        snapshot = current_dimensions(full=True)
        self.stdout.write(f"dimension snapshot {snapshot.fingerprint[:16]} ({snapshot.written_at})")

    def do_rebuild_rollups(self, options) -> None:
        from fucai.sales.store import SalesStore

        manifest = SalesStore().rebuild_rollups()
        self.stdout.write(f"store version {manifest.version}: monthly and ytd rollups rewritten")


def _figure_cells(figures: dict, year: int) -> list[str]:
    from fucai.sales.money import fen_to_wan, yuan_to_fen
    from fucai.sales.records import record_texts

    yoy = figures["yoy_pct"]
    return [
        f"{fen_to_wan(yuan_to_fen(figures['amount_yuan'])):,}",
        f"{fen_to_wan(yuan_to_fen(figures['prior_amount_yuan'])):,}",
        "-" if yoy is None else f"{yoy}%",
        record_texts(figures.get("since"), year)["record_text"] if figures["record_high"] else "",
    ]


def compare_label(compare: str) -> str:
    """The comparison rule as the cockpit's form names it, in the active language."""
    from fucai.sales.forms.cockpit import COMPARE_CHOICES

    return str(dict(COMPARE_CHOICES).get(compare, compare))


def render_summary(data: dict) -> str:
    """The summary as a text table in the active language, amounts in 万元, columns aligned by
    display width."""
    from fucai.core.commandline import render_table
    from fucai.sales.choices import GameCategory

    window, prior = data["window"], data["prior_window"]
    title = _(
        "Sales as of %(day)s (%(scope)s): %(start)s … %(end)s against %(prior_start)s … "
        "%(prior_end)s (%(compare)s)"
    ) % {
        "day": data["as_of"],
        "scope": data["scope"],
        "start": window["start"],
        "end": window["end"],
        "prior_start": prior["start"],
        "prior_end": prior["end"],
        "compare": compare_label(data["compare"]),
    }
    in_wan = _("%(figure)s (%(unit)s)")
    head = [
        _("Code"),
        _("Name"),
        in_wan % {"figure": _("Year to date"), "unit": _("10k yuan")},
        in_wan % {"figure": _("Same period last year"), "unit": _("10k yuan")},
        _("YoY"),
        _("Record high"),
    ]
    year = int(data["as_of"][:4])
    rows = [["", _("Total"), *_figure_cells(data["total"], year)]]
    rows += [
        ["", GameCategory(k).label, *_figure_cells(v, year)] for k, v in data["by_category"].items()
    ]
    rows += [[g["key"], g["name"], *_figure_cells(g, year)] for g in data["groups"]]
    lines = [title, render_table(head, rows, right={2, 3, 4})]
    share = data.get("market_share")
    if share:
        lines.append(
            _(
                "Market share %(period)s: welfare lottery %(share)s%% of %(region)s's lottery "
                "sales; national rank %(rank)s of %(ranked)s"
            )
            % {
                "period": share["period"],
                "share": share["welfare_share_pct"],
                "region": share["region"],
                "rank": share["national_rank"],
                "ranked": share["regions_ranked"],
            }
        )
    return "\n".join(lines)


def render_market_share(data: dict) -> str:
    if "period" not in data:
        return (
            f"no market share as of {data['as_of']}: no Ministry of Finance table of a month "
            "fully elapsed this year (or not the whole province in scope)"
        )
    window = data["window"]
    return "\n".join(
        [
            f"market share as of {data['as_of']}: {data['region']}, Ministry of Finance table "
            f"{data['period']} ({window['start']} … {window['end']}), source: "
            f"{data['source'] or '-'}",
            f"welfare share of lottery sales  {data['welfare_share_pct']}%  "
            f"(a year earlier {data['prior_welfare_share_pct'] or '-'}%)",
            f"national rank                   {data['national_rank']} of {data['provinces']}  "
            f"(a year earlier {data['prior_national_rank'] or '-'})",
        ]
    )


def write_summary_xlsx(data: dict, path: Path) -> None:
    from decimal import Decimal

    from openpyxl import Workbook

    from fucai.core.excel import Column, write_table

    def figure_row(label: str, name: str, f: dict) -> list:
        yoy = f["yoy_pct"]
        return [
            label,
            name,
            Decimal(f["amount_yuan"]),
            Decimal(f["prior_amount_yuan"]),
            None if yoy is None else Decimal(yoy),
            "是" if f["record_high"] else "",
        ]

    columns = [
        Column("键"),
        Column("名称"),
        Column("本期销量（元）", number_format="#,##0.00"),
        Column("同期销量（元）", number_format="#,##0.00"),
        Column("同比（%）", number_format="0.0"),
        Column("创历史新高"),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "概要"
    rows = [figure_row("total", "合计", data["total"])]
    rows += [
        figure_row(k, {"draw": "电脑票", "instant": "即开票"}.get(k, k), v)
        for k, v in data["by_category"].items()
    ]
    write_table(ws, columns, rows)
    groups = wb.create_sheet("分组")
    write_table(groups, columns, [figure_row(g["key"], g["name"], g) for g in data["groups"]])
    info = wb.create_sheet("口径")
    write_table(
        info,
        ["项目", "值"],
        [
            ["截至", data["as_of"]],
            ["范围", data["scope"]],
            ["本期", f"{data['window']['start']} 至 {data['window']['end']}"],
            ["同期", f"{data['prior_window']['start']} 至 {data['prior_window']['end']}"],
            ["比较方式", data["compare"]],
        ],
    )
    wb.save(path)
