"""`fucai welfare posts [--city 抚州] [--user NAME] --format json|table`: the 福彩公益驿站 and the
services they offer (without --user: all of them)."""

from __future__ import annotations

import json

from fucai.core.commandline import render_table
from fucai.network.management.commands.network import city_for, user_for


def add_parser(sub) -> None:
    p = sub.add_parser("posts", help="福彩公益驿站 and their services")
    p.add_argument("--city", help="a city's name or adcode, e.g. 抚州")
    p.add_argument("--user", help="apply this user's scope (default: the province)")
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(command, options) -> None:
    from django.db.models import Q

    from fucai.network.choices import StationScene
    from fucai.network.models import Station
    from fucai.welfare.activities import post_rows
    from fucai.welfare.choices import PostService

    user = user_for(options["user"])
    stations = Station.objects.all() if user is None else Station.objects.restrict(user)
    stations = stations.filter(
        Q(scene=StationScene.WELFARE_POST) | Q(welfare_post__isnull=False)
    ).order_by("city__code", "code")
    if options["city"]:
        stations = stations.filter(city=city_for(options["city"]))
    rows = post_rows(stations)
    if options["format"] == "json":
        command.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    labels = dict(PostService.choices)
    lines = [
        [r["station"], r["name"], "、".join(str(labels.get(s, s)) for s in r["services"]),
         r["opening_note"]]
        for r in rows
    ]  # fmt: skip
    command.stdout.write(render_table(["station", "name", "services", "opening"], lines, set()))
