"""`fucai planning demand build|import FILE|status`, `fucai planning blank-areas` and `fucai
planning siting`: the demand layer (docs/planning.md), the population no open station covers as
of a day, and the next N stations that newly cover the most of it."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from fucai.core.commandline import FucaiCommand
from fucai.network.management.commands.network import city_for, parse_date, user_for

FORMATS = ("table", "json", "xlsx", "geojson")


class Command(FucaiCommand):
    help = "Network planning: the demand layer and the blank areas no station covers."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        demand = sub.add_parser("demand", help="build, import or show the demand layer")
        steps = demand.add_subparsers(dest="step", required=True)
        build = steps.add_parser("build", help="a new layer from the 2020 census model")
        build.add_argument("--name", default="", help="the layer's name")
        imp = steps.add_parser("import", help="a new layer from points (CSV) or a raster (GeoTIFF)")
        imp.add_argument("path", help="CSV with a header row lon,lat,weight, or a .tif raster")
        imp.add_argument(
            "--crs",
            choices=("wgs84", "gcj02"),
            default="wgs84",
            help="the CSV's (a GeoTIFF carries its own; this only for one without)",
        )
        imp.add_argument("--name", default="", help="the layer's name (default: the file's)")
        steps.add_parser("status", help="the layers, newest (the one used) first")
        blank = sub.add_parser("blank-areas", help="uncovered population by city and county")
        blank.add_argument("--city", help="one city (name or adcode, e.g. 抚州 or 361000)")
        blank.add_argument("--as-of", type=parse_date, help="YYYY-MM-DD (default: today)")
        blank.add_argument("--format", choices=FORMATS, default="table")
        blank.add_argument("--out", help="with xlsx or geojson: the file to write")
        blank.add_argument("--user", help="apply this user's scope (default: the whole province)")
        siting = sub.add_parser("siting", help="the next N sites that newly cover the most people")
        siting.add_argument("--city", help="plan in one city (name or adcode, e.g. 抚州)")
        siting.add_argument("--new", type=int, required=True, help="how many new sites")
        siting.add_argument("--as-of", type=parse_date, help="YYYY-MM-DD (default: today)")
        siting.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
        siting.add_argument(
            "--operation",
            choices=("dedicated", "shared"),
            default="dedicated",
            help="the new sites' operation (专营 dedicated, 兼营 shared): which rules apply",
        )
        siting.add_argument(
            "--quota",
            action="append",
            default=[],
            metavar="COUNTY=N",
            help="at most N new sites in a county (name or adcode); repeat for more",
        )
        siting.add_argument(
            "--exclude-county",
            action="append",
            default=[],
            metavar="COUNTY",
            help="no new site in this county (name or adcode); repeat for more",
        )
        siting.add_argument("--no-leads", action="store_true", help="grid cells only")
        siting.add_argument(
            "--ignore-rule",
            action="append",
            default=[],
            metavar="NAME",
            help="plan without this spacing rule (its name, e.g. 专营站距学校); repeat for more",
        )
        siting.add_argument("--method", choices=("auto", "exact", "greedy"), default="auto")
        siting.add_argument("--format", choices=("json", "geojson", "table"), default="table")
        siting.add_argument("--user", help="plan as this user (their cities only)")

    def handle(self, *args, **options) -> None:
        if options["action"] == "blank-areas":
            return self.handle_blank_areas(options)
        if options["action"] == "siting":
            return self.handle_siting(options)
        return getattr(self, f"handle_{options['step']}")(options)

    def handle_build(self, options) -> None:
        from fucai.planning.demand import build_census_layer

        layer = build_census_layer(options["name"])
        self.stdout.write(_layer_line(layer))

    def handle_import(self, options) -> None:
        from fucai.planning.demand import DemandImportError, import_demand_file

        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            layer = import_demand_file(
                path.read_bytes(), path.name, options["crs"], options["name"]
            )
        except DemandImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_layer_line(layer))

    def handle_status(self, options) -> None:
        from fucai.planning.models import DemandLayer

        layers = list(DemandLayer.objects.all())
        if not layers:
            self.stdout.write("No demand layer yet: fucai planning demand build.")
        for layer in layers:
            self.stdout.write(_layer_line(layer))

    def handle_blank_areas(self, options) -> None:
        from django.http import Http404
        from django.utils import timezone

        from fucai.planning.coverage import blank_areas
        from fucai.planning.demand import NoDemandLayer
        from fucai.planning.report import scope_cities

        user = user_for(options["user"])
        city = city_for(options["city"]).code if options["city"] else None
        try:
            cities = scope_cities(user, city)
        except Http404:
            raise CommandError(f"--city {options['city']!r}: no such city in the scope.") from None
        try:
            result = blank_areas(options["as_of"] or timezone.localdate(), cities, user=user)
        except NoDemandLayer as exc:
            raise CommandError(str(exc)) from None
        self.write_blank_areas(result, options, user)

    def write_blank_areas(self, result, options, user) -> None:
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        elif fmt == "table":
            self.stdout.write(render_blank_areas(result))
        elif fmt == "xlsx":
            from fucai.core.excel import workbook_bytes
            from fucai.planning.report import blank_area_workbook

            out = Path(options["out"] or f"blank-areas-{result.as_of}.xlsx")
            scope = user.username if user is not None else "province"
            out.write_bytes(workbook_bytes(blank_area_workbook(result, scope)))
            self.stdout.write(f"Wrote {len(result.counties)} counties to {out}.")
        else:
            from fucai.planning.coverage import uncovered_geojson

            out = Path(options["out"] or f"blank-areas-{result.as_of}.geojson")
            geojson = uncovered_geojson(result)
            out.write_text(json.dumps(geojson, ensure_ascii=False), encoding="utf-8")
            self.stdout.write(f"Wrote {len(geojson['features']):,} uncovered cells to {out}.")

    def handle_siting(self, options) -> None:
        from django.http import Http404
        from django.utils import timezone

        from fucai.planning.demand import NoDemandLayer
        from fucai.planning.report import scope_cities
        from fucai.planning.siting_build import SitingRefused, SitingRequest, run_siting

        user = user_for(options["user"])
        city = city_for(options["city"]).code if options["city"] else None
        try:
            cities = scope_cities(user, city)
        except Http404:
            raise CommandError(f"--city {options['city']!r}: no such city in the scope.") from None
        from fucai.core.bounds import clamp_date

        as_of, notice = clamp_date(options["as_of"] or timezone.localdate())
        if notice:
            self.stderr.write(notice)
        request = SitingRequest(
            new=options["new"],
            as_of=as_of,
            cities=cities,
            operation=options["operation"],
            quotas=_county_codes(options["quota"], with_number=True),
            excluded_counties=list(_county_codes(options["exclude_county"])),
            use_leads=not options["no_leads"],
            ignored_rules=options["ignore_rule"],
            time_limit=options["time_limit"],
            method=options["method"],
        )
        try:
            answer = run_siting(request)
        except (SitingRefused, NoDemandLayer) as exc:
            raise CommandError(str(exc)) from None
        self.write_siting(answer, options["format"])

    def write_siting(self, answer: dict, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
        elif fmt == "geojson":
            self.stdout.write(json.dumps(siting_geojson(answer), ensure_ascii=False))
        else:
            self.stdout.write(render_siting(answer))


def _county_codes(values: list[str], with_number: bool = False):
    """County adcodes of names or codes (`临川区`, `361002`), with `=N` when `with_number`."""
    from fucai.geo.models import Division

    counties = Division.objects.filter(level="county")
    found: dict[str, int] = {}
    for value in values:
        name, _sep, number = value.partition("=")
        if with_number and not number.strip().isdigit():
            raise CommandError(f"--quota {value!r}: write COUNTY=N, e.g. 临川区=10.")
        name = name.strip()
        county = counties.filter(code=name).first() or counties.filter(name=name).first()
        if county is None:
            raise CommandError(f"{value!r}: no such county.")
        found[county.code] = int(number) if with_number else 0
    return found


def siting_geojson(answer: dict) -> dict:
    """The chosen sites as GeoJSON points (GCJ-02), the answer's figures as the collection's
    own members."""
    figures = {k: v for k, v in answer.items() if k != "sites"}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [site["lon"], site["lat"]]},
            "properties": {k: v for k, v in site.items() if k not in ("lon", "lat")},
        }
        for site in answer["sites"]
    ]
    return {"type": "FeatureCollection", **figures, "features": features}


def render_siting(answer: dict) -> str:
    from django.utils.translation import gettext as _

    from fucai.core.commandline import render_table

    title = _(
        "%(n)s new sites as of %(day)s: covered %(before)s → %(after)s of %(population)s people "
        "(upper bound %(bound)s, gap %(gap)s%%; %(solver)s: %(status)s, %(seconds)s s)"
    ) % {
        "n": len(answer["sites"]),
        "day": answer["as_of"],
        "before": f"{answer['covered_before']:,}",
        "after": f"{answer['covered_after']:,}",
        "population": f"{answer['population']:,}",
        "bound": f"{answer['upper_bound']:,}",
        "gap": answer["gap_pct"],
        "solver": answer["solver"],
        "status": answer["status"],
        "seconds": answer["seconds"],
    }
    head = [_("Rank"), _("County"), _("Longitude"), _("Latitude"), _("H3 cell"), _("Newly covered")]
    rows = [
        [s["rank"], s["county_name"], s["lon"], s["lat"], s["cell"], f"{s['new_population']:,}"]
        for s in answer["sites"]
    ]
    return "\n".join([title, render_table(head, rows, right={0, 2, 3, 5})])


def _layer_line(layer) -> str:
    return (
        f"#{layer.pk} {layer.name} ({layer.source}, H3 res {layer.resolution}): "
        f"{layer.cell_count:,} cells, population {layer.total_population:,.0f}, "
        f"built {layer.built_at:%Y-%m-%d %H:%M}. {layer.note}"
    )


def render_blank_areas(result) -> str:
    """The figures, then the counties by uncovered population, in the active language."""
    from django.utils.translation import gettext as _

    from fucai.core.commandline import render_table
    from fucai.planning.report import COLUMNS, PATCH_COLUMNS, patch_rows, table_rows

    data = result.to_dict()
    title = _(
        "Blank areas as of %(day)s: %(uncovered)s of %(population)s people uncovered "
        "(%(pct)s%% covered), %(stations)s open stations"
    ) % {
        "day": data["as_of"],
        "uncovered": f"{data['uncovered']:,}",
        "population": f"{data['population']:,}",
        "pct": data["covered_pct"],
        "stations": f"{data['stations']:,}",
    }
    rows = [
        [*r[:2], f"{r[2]:,}", f"{r[3]:,}", r[4], f"{r[5]:,}"] for r in table_rows(result.counties)
    ]
    head = [str(label) for _k, label in COLUMNS]
    patches = [
        [*r[:3], f"{r[3]:,}", r[4], r[5], f"{r[6]}, {r[7]}"] for r in patch_rows(result)[:10]
    ]
    patch_head = [str(label) for _k, label in PATCH_COLUMNS[:6]] + [_("Centre (GCJ-02)")]
    return "\n".join(
        [
            title,
            render_table(head, rows, right={2, 3, 4, 5}),
            "",
            _("Largest blank patches (town and urban density)"),
            render_table(patch_head, patches, right={0, 3, 4, 5}),
        ]
    )
