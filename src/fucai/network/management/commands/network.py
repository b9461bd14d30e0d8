"""`fucai network summary`: network figures as of a date, as JSON or a table."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from fucai.network.summary import GROUP_BYS, network_summary

FIGURE_KEYS = (
    "open_stations", "open_at_year_start", "net_new_this_year", "opened_this_year",
    "closed_this_year", "core_urban_new_this_year", "jobs_created_this_year",
)


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


class Command(BaseCommand):
    help = "Station-network figures (open stations, net new this year, …) as of a date."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        summary = sub.add_parser("summary", help="figures as of a date")
        summary.add_argument("--as-of", required=True, type=parse_date, help="YYYY-MM-DD")
        summary.add_argument("--by", choices=GROUP_BYS, help="also give the figures per group")
        summary.add_argument("--format", choices=("json", "table"), default="table")
        summary.add_argument("--user", help="apply this user's scope (default: the whole province)")

    def handle(self, *args, **options) -> None:
        from fucai.network.models import Station

        user = user_for(options["user"])
        stations = Station.objects.all() if user is None else Station.objects.restrict(user)
        summary = network_summary(stations, options["as_of"], by=options["by"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(render_table(summary.to_dict()))


def render_table(data: dict) -> str:
    lines = [f"Network as of {data['as_of']} (year start {data['year_start']})"]
    width = max(len(k) for k in FIGURE_KEYS)
    lines += [f"  {key:<{width}}  {data[key]:>8,}" for key in FIGURE_KEYS]
    if not data["groups"]:
        return "\n".join(lines)
    head = ["code", "name", *FIGURE_KEYS]
    rows = [[g["code"], g["name"], *(f"{g[k]:,}" for k in FIGURE_KEYS)] for g in data["groups"]]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    lines.append("")
    lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=False)))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows]
    return "\n".join(lines)
