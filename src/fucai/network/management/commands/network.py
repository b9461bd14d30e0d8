"""`fucai network summary|import|export|onboarding`: network figures as of a date, as JSON or a
table; import of a station file (all rows or none); export of stations to Excel in the same
layout; the 四帮 onboarding plans (overdue tasks, plans for stations already being planned)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import CommandError

from fucai.core.commandline import FucaiCommand
from fucai.network.summary import FIGURE_LABELS, GROUP_BYS, GROUPING_LABELS, network_summary


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value!r} is not a date; use YYYY-MM-DD.") from None


def user_for(username: str | None):
    """The user whose scope applies; without --user the command runs with the province's view."""
    from django.contrib.auth import get_user_model

    if username is None:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--user {username!r}: no such user.")
    return user


def city_for(value: str):
    """A city of the province by name (赣州市, 赣州) or adcode (360700)."""
    from fucai.geo.choices import DivisionLevel
    from fucai.geo.models import Division

    cities = Division.objects.filter(level=DivisionLevel.PREFECTURE)
    names = [value, f"{value}市"]
    city = cities.filter(code=value).first() or cities.filter(name__in=names).first()
    if city is None:
        raise CommandError(f"--city {value!r}: no such city in the province.")
    return city


class Command(FucaiCommand):
    help = "Station network: figures as of a date (summary), import and export of the station file."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        summary = sub.add_parser("summary", help="figures as of a date")
        summary.add_argument("--as-of", required=True, type=parse_date, help="YYYY-MM-DD")
        summary.add_argument("--by", choices=GROUP_BYS, help="also give the figures per group")
        summary.add_argument("--format", choices=("json", "table"), default="table")
        summary.add_argument("--user", help="apply this user's scope (default: the whole province)")
        imp = sub.add_parser("import", help="import a station file: all rows or none")
        imp.add_argument("path", help="the station file; layout in docs/station-import.md")
        imp.add_argument("--user", help="import as this user (default: system, whole province)")
        imp.add_argument("--dry-run", action="store_true", help="validate and count, save nothing")
        exp = sub.add_parser("export", help="export stations to an Excel file in the import layout")
        exp.add_argument("out", help="the .xlsx file to write")
        exp.add_argument("--user", help="apply this user's scope (default: the whole province)")
        exp.add_argument("--city", help="only this city (name or adcode, e.g. 赣州市 or 360700)")
        exp.add_argument("--as-of", type=parse_date, help="status as of this day (YYYY-MM-DD)")
        add_visits_parser(sub)
        add_onboarding_arguments(sub)
        add_partners_arguments(sub)
        add_leads_arguments(sub)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "import":
            return self.handle_import(options)
        if action == "export":
            return self.handle_export(options)
        if action == "visits":
            return handle_visits(self, options)
        if action == "onboarding":
            return handle_onboarding(self, options)
        if action == "partners":
            return handle_partners(self, options)
        if action in LEAD_ACTIONS:
            return LEAD_ACTIONS[action](self, options)
        return self.handle_summary(options)

    def handle_import(self, options) -> None:
        from django.core.exceptions import PermissionDenied

        from fucai.network.imports import import_stations

        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        user = user_for(options["user"])
        try:
            with path.open("rb") as fh:
                result = import_stations(fh, path.name, user, dry_run=options["dry_run"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())

    def handle_export(self, options) -> None:
        from fucai.network.exports import stations_export
        from fucai.network.models import Station

        user = user_for(options["user"])
        stations = Station.objects.all() if user is None else Station.objects.restrict(user)
        if options["city"]:
            stations = stations.filter(city=city_for(options["city"]))
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError(f"{out}: the export is an Excel workbook; name it *.xlsx.")
        export = stations_export(stations, as_of=options["as_of"], user=user)
        out.write_bytes(export.content)
        self.stdout.write(f"Wrote {export.count:,} stations to {out}.")

    def handle_summary(self, options) -> None:
        from fucai.network.models import Station

        user = user_for(options["user"])
        stations = Station.objects.all() if user is None else Station.objects.restrict(user)
        summary = network_summary(stations, options["as_of"], by=options["by"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(render_table(summary.to_dict()))


def render_table(data: dict) -> str:
    """The figures, then the groups' figures, in the active language; columns aligned by display
    width (Chinese names take two columns a character)."""
    from django.utils.translation import gettext as _

    from fucai.core.commandline import render_table as table

    title = _("Network as of %(day)s (year start %(start)s)") % {
        "day": data["as_of"],
        "start": data["year_start"],
    }
    figures = [[str(label), f"{data[key]:,}"] for key, label in FIGURE_LABELS]
    lines = [title, table(None, figures, right={1})]
    if not data["groups"]:
        return "\n".join(lines)
    head = [
        _("Code"),
        str(GROUPING_LABELS[data["by"]]),
        *(str(label) for _k, label in FIGURE_LABELS),
    ]
    rows = [
        [g["code"], g["name"], *(f"{g[k]:,}" for k, _l in FIGURE_LABELS)] for g in data["groups"]
    ]
    right = set(range(2, len(head)))
    return "\n".join([*lines, "", table(head, rows, right=right)])


# -- fucai network visits: the field-visit indicators (fucai.network.visits) ---------------------
def add_visits_parser(sub) -> None:
    visits = sub.add_parser(
        "visits",
        help="field-visit indicators per person: visits and stations visited in the month, "
        "stations in care not visited in N days",
    )
    visits.add_argument("--as-of", required=True, type=parse_date, help="YYYY-MM-DD")
    visits.add_argument("--by", choices=("person",), default="person", help="one row per person")
    visits.add_argument("--days", type=int, default=30, help="N: not visited in N days (1-366)")
    visits.add_argument("--format", choices=("json", "xlsx", "table"), default="table")
    visits.add_argument("--out", help="with xlsx: the file to write (default visits-DATE.xlsx)")
    visits.add_argument("--user", help="apply this user's scope (default: the whole province)")


def handle_visits(command, options) -> None:
    from django.utils.translation import gettext as _

    from fucai.core.commandline import render_table as table
    from fucai.network.visits import (
        INDICATOR_COLUMNS,
        indicator_labels,
        indicators_workbook,
        visit_indicators,
    )

    if not 1 <= options["days"] <= 366:
        raise CommandError(f"--days {options['days']}: give 1 to 366.")
    user = user_for(options["user"])
    indicators = visit_indicators(user, options["as_of"], options["days"])
    if options["format"] == "json":
        command.stdout.write(json.dumps(indicators.to_dict(), ensure_ascii=False, indent=2))
        return
    if options["format"] == "xlsx":
        out = Path(options["out"] or f"visits-{options['as_of'].isoformat()}.xlsx")
        if out.suffix.lower() != ".xlsx":
            raise CommandError(f"{out}: the export is an Excel workbook; name it *.xlsx.")
        scope = user.username if user is not None else _("Whole province")
        workbook = indicators_workbook(indicators, [(_("Scope"), scope)])
        workbook.save(out)
        command.stdout.write(f"Wrote {len(indicators.rows):,} people to {out}.")
        return
    labels = indicator_labels(indicators.n_days)
    head = [labels[key] for key, _label in INDICATOR_COLUMNS]
    rows = [
        ["" if (v := getattr(r, key)) is None else v for key, _label in INDICATOR_COLUMNS]
        for r in indicators.rows
    ]
    command.stdout.write(
        table(head, [[str(v) for v in row] for row in rows], right={4, 5, 6, 7, 8})
    )


# --- 四帮 onboarding (fucai.network.onboarding) ---------------------------------------------


def add_onboarding_arguments(sub) -> None:
    onb = sub.add_parser("onboarding", help="四帮 onboarding: overdue tasks, missing plans")
    what = onb.add_mutually_exclusive_group(required=True)
    what.add_argument("--overdue", action="store_true", help="the tasks overdue on --as-of")
    what.add_argument(
        "--create-plans",
        action="store_true",
        help="make the plans of stations now in 规划/勘察 that have none",
    )
    onb.add_argument("--as-of", type=parse_date, help="YYYY-MM-DD (default: today)")
    onb.add_argument("--format", choices=("json", "xlsx", "table"), default="table")
    onb.add_argument("--out", help="with --format xlsx: the .xlsx file to write")
    onb.add_argument("--city", help="only this city (name or adcode)")
    onb.add_argument("--user", help="apply this user's scope (default: the whole province)")


def handle_onboarding(command, options) -> None:
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from fucai.core.commandline import render_table as table
    from fucai.network import onboarding

    if options["create_plans"]:
        made = onboarding.create_missing_plans()
        command.stdout.write(_("Made %(n)s 四帮 plans.") % {"n": made})
        return
    user = user_for(options["user"])
    as_of = options["as_of"] or timezone.localdate()
    city = city_for(options["city"]).code if options["city"] else None
    if options["format"] == "xlsx":
        out = Path(options["out"] or f"onboarding-overdue-{as_of.isoformat()}.xlsx")
        if out.suffix.lower() != ".xlsx":
            raise CommandError(f"{out}: the export is an Excel workbook; name it *.xlsx.")
        from fucai.core.excel import workbook_bytes

        tasks = onboarding.overdue_tasks(user, as_of)
        if city:
            tasks = tasks.filter(plan__station__city__code=city)
        tasks = list(tasks)
        out.write_bytes(workbook_bytes(onboarding.overdue_workbook(tasks, as_of)))
        command.stdout.write(f"Wrote {len(tasks):,} overdue tasks to {out}.")
        return
    report = onboarding.overdue_report(user, as_of, city)
    if options["format"] == "json":
        command.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        return
    head = [_("City"), _("Assignee"), _("Overdue tasks"), _("Oldest due on")]
    rows = [
        [g["city"], g["assignee"], f"{g['count']:,}", g["oldest_due"]] for g in report["groups"]
    ]
    title = _("%(n)s 四帮 tasks overdue on %(day)s") % {"n": report["count"], "day": as_of}
    command.stdout.write("\n".join([title, table(head, rows, right={2})]))


# -- `fucai network partners`: partners' outlets and their sales since opening -----------------
PARTNER_FORMATS = ("json", "xlsx", "table")


def add_partners_arguments(sub) -> None:
    partners = sub.add_parser(
        "partners", help="partners' outlets and their sales since opening, with year on year"
    )
    partners.add_argument("--as-of", type=parse_date, help="YYYY-MM-DD (default: today)")
    partners.add_argument("--format", choices=PARTNER_FORMATS, default="table")
    partners.add_argument("--out", help="the .xlsx file to write (required for xlsx)")
    partners.add_argument("--user", help="apply this user's scope (default: the whole province)")
    partners.add_argument("--city", help="only this city (name or adcode)")


def handle_partners(command, options) -> None:
    """Per partner: outlets, sales_fen since opening, yoy_pct (fucai.network.partners)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from fucai.analytics.backends import AnalyticsContext
    from fucai.core.bounds import clamp_date
    from fucai.network.partners import partner_figures, partners_of

    fmt, out = options["format"], options["out"]
    if fmt == "xlsx" and not (out and out.lower().endswith(".xlsx")):
        raise CommandError(_("--format xlsx writes an Excel file: name it with --out FILE.xlsx."))
    user = user_for(options["user"])
    partners = partners_of(user)
    if options["city"]:
        partners = partners.filter(city=city_for(options["city"]))
    as_of, _notice = clamp_date(options["as_of"] or timezone.localdate())
    figures = partner_figures(user, partners, as_of, AnalyticsContext())
    data = {"as_of": as_of.isoformat(), "partners": [f.to_dict() for f in figures]}
    if fmt == "json":
        command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "xlsx":
        Path(out).write_bytes(partners_workbook(data))
        command.stdout.write(f"Wrote {len(figures):,} partners to {out}.")
    else:
        command.stdout.write(render_partners(data))


def _partner_rows(data: dict) -> tuple[list[str], list[list]]:
    from django.utils.translation import gettext as _

    from fucai.sales.money import fen_to_wan

    head = [
        _("Partner organisation"),
        _("City"),
        _("Outlets"),
        _("Sales since opening (10,000 yuan)"),
        _("This year (10,000 yuan)"),
        _("YoY %"),
    ]
    rows = [
        [
            p["name"],
            p["city"]["name"],
            p["outlets"],
            fen_to_wan(p["sales_fen"]),
            fen_to_wan(p["year_fen"]),
            p["yoy_pct"] if p["yoy_pct"] is not None else "—",
        ]
        for p in data["partners"]
    ]
    return head, rows


def render_partners(data: dict) -> str:
    from django.utils.translation import gettext as _

    from fucai.core.commandline import render_table as table

    head, rows = _partner_rows(data)
    text_rows = [[str(v) if not hasattr(v, "quantize") else f"{v:,.2f}" for v in r] for r in rows]
    title = _("Partners' outlets: sales from opening to %(day)s") % {"day": data["as_of"]}
    return "\n".join([title, table(head, text_rows, right={2, 3, 4, 5})])


def partners_workbook(data: dict) -> bytes:
    from django.utils.translation import gettext as _

    from fucai.core.excel import add_notes_sheet, table_workbook, workbook_bytes

    head, rows = _partner_rows(data)
    wb = table_workbook(head, rows, title=_("Partners"))
    add_notes_sheet(wb, _("Notes"), [(_("Sales to"), data["as_of"])])
    return workbook_bytes(wb)


# -- leads (布点机会): the spacing check, the leads, the point layers (fucai.network.leads) -------
def choice_for(choices, value: str, option: str) -> str:
    """A choice by its value (supermarket) or its label (商超)."""
    for key, label in choices.choices:
        if value in (key, str(label)):
            return key
    names = ", ".join(f"{k} ({label})" for k, label in choices.choices)
    raise CommandError(f"{option} {value!r}: give one of {names}.")


def add_leads_arguments(sub) -> None:
    check = sub.add_parser("check-site", help="the spacing rules a new site would break")
    check.add_argument("--lon", required=True, type=float, help="GCJ-02 longitude")
    check.add_argument("--lat", required=True, type=float, help="GCJ-02 latitude")
    check.add_argument("--scene", default="", help="intended scene (商超 or supermarket, …)")
    check.add_argument("--operation", required=True, help="专营/dedicated or 兼营/shared")
    check.add_argument("--city", help="the city whose rule overrides apply (name or adcode)")
    check.add_argument("--format", choices=("json", "table"), default="table")
    leads = sub.add_parser("leads", help="the leads (布点机会), contacts masked")
    leads.add_argument("--user", help="apply this user's scope (default: the whole province)")
    leads.add_argument("--city", help="only this city (name or adcode)")
    leads.add_argument("--format", choices=("json", "xlsx", "table"), default="table")
    leads.add_argument("--out", help="with xlsx: the file to write (default leads.xlsx)")
    layer = sub.add_parser("import-layer", help="replace a point layer (schools…) from a file")
    layer.add_argument("name", help="the layer's name, e.g. 学校")
    layer.add_argument("path", help="CSV with columns lon,lat,name or GeoJSON points (GCJ-02)")
    layer.add_argument("--synthetic", action="store_true", help="label the layer as made up")
    layer.add_argument("--description", default="", help="what the layer holds, its source")


def handle_check_site(command, options) -> None:
    from django.utils.translation import gettext as _

    from fucai.core.commandline import render_table as table
    from fucai.network.choices import StationOperation, StationScene
    from fucai.network.spacing import check_site

    operation = choice_for(StationOperation, options["operation"], "--operation")
    scene = choice_for(StationScene, options["scene"], "--scene") if options["scene"] else ""
    city = city_for(options["city"]) if options["city"] else None
    violations = check_site(options["lon"], options["lat"], operation, scene, city)
    if options["format"] == "json":
        data = {"ok": not violations, "violations": [v.to_dict() for v in violations]}
        command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not violations:
        command.stdout.write(_("The site breaks no spacing rule."))
        return
    head = [_("Rule"), _("Nearest offender"), _("Distance (m)"), _("Minimum (m)")]
    rows = [[v.rule, v.offender, str(v.distance_m), str(v.min_m)] for v in violations]
    command.stdout.write(
        "\n".join([*(v.message for v in violations), "", table(head, rows, right={2, 3})])
    )


def handle_leads(command, options) -> None:
    from django.utils.translation import gettext as _

    from fucai.core.commandline import render_table as table
    from fucai.core.excel import workbook_bytes
    from fucai.network.leads import lead_rows, leads_workbook
    from fucai.network.models import Lead

    user = user_for(options["user"])
    leads = Lead.objects.all() if user is None else Lead.objects.restrict(user)
    if options["city"]:
        leads = leads.filter(city=city_for(options["city"]))
    if options["format"] == "xlsx":
        out = Path(options["out"] or "leads.xlsx")
        if out.suffix.lower() != ".xlsx":
            raise CommandError(f"{out}: the export is an Excel workbook; name it *.xlsx.")
        out.write_bytes(workbook_bytes(leads_workbook(leads, user)))
        command.stdout.write(f"Wrote {leads.count():,} leads to {out}.")
        return
    rows = lead_rows(leads)
    if options["format"] == "json":
        command.stdout.write(json.dumps({"leads": rows}, ensure_ascii=False, indent=2))
        return
    head = [_("No."), _("Received on"), _("City"), _("Address"), _("Status"), _("Station")]
    keys = ("id", "received_on", "city", "address", "status", "station")
    command.stdout.write(table(head, [[str(r[k]) for k in keys] for r in rows], right={0}))


def handle_import_layer(command, options) -> None:
    from django.core.exceptions import ValidationError

    from fucai.network.leads import import_layer

    path = Path(options["path"])
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        layer = import_layer(
            path.read_bytes(),
            path.name,
            options["name"],
            synthetic=options["synthetic"],
            description=options["description"],
        )
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from None
    label = " (synthetic)" if layer.synthetic else ""
    command.stdout.write(f"Layer {layer.name}{label}: {layer.points.count():,} points.")


LEAD_ACTIONS = {
    "check-site": handle_check_site,
    "leads": handle_leads,
    "import-layer": handle_import_layer,
}
