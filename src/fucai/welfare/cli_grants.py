"""`fucai welfare grants --as-of DATE [--city 赣州] [--user NAME] --format json|table`: households
with a grant paid by the day, paid and committed yuan, and per project its budget and paid yuan
(fucai.welfare.workflow.summary). Without --user: every city; with it, that user's welfare
reach (nothing without welfare affairs)."""

from __future__ import annotations

import json

from django.core.management.base import CommandError


def add_parser(sub) -> None:
    grants = sub.add_parser(
        "grants", help="公益金 (welfare fund) grants: households helped, yuan paid and committed"
    )
    grants.add_argument("--as-of", required=True, help="the day (YYYY-MM-DD)")
    grants.add_argument("--city", help="one city (赣州, 赣州市 or 360700)")
    grants.add_argument("--user", help="apply this user's scope (default: every city)")
    grants.add_argument("--format", choices=("json", "table"), default="table")


def run(command, options) -> None:
    from fucai.core.commandline import render_table
    from fucai.core.grant import WELFARE_AFFAIRS, grant_for
    from fucai.network.management.commands.network import city_for, parse_date, user_for
    from fucai.welfare.models import Grant, Project
    from fucai.welfare.workflow import summary

    as_of = parse_date(options["as_of"])
    user = user_for(options["user"])
    if user is not None and not grant_for(user).can(WELFARE_AFFAIRS):
        raise CommandError(f"--user {options['user']!r} does not keep welfare grants.")
    projects = Project.objects.all() if user is None else Project.objects.restrict(user)
    grants = Grant.objects.all() if user is None else Grant.objects.restrict(user)
    if options["city"]:
        city = city_for(options["city"])
        projects, grants = projects.filter(city=city), grants.filter(project__city=city)
    result = summary(projects, grants, as_of)
    if options["format"] == "json":
        command.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    command.stdout.write(
        f"{result['as_of']}: {result['households']} households, paid {result['paid_yuan']:,} "
        f"yuan, committed {result['committed_yuan']:,} yuan"
    )
    rows = [
        (
            p["city"],
            p["name"],
            f"{p['budget_yuan']:,}",
            f"{p['committed_yuan']:,}",
            f"{p['paid_yuan']:,}",
        )
        for p in result["projects"]
    ]
    command.stdout.write(
        render_table(("city", "project", "budget", "committed", "paid"), rows, right={2, 3, 4})
    )
