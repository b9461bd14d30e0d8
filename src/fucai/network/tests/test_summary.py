from __future__ import annotations

import datetime as dt
import json

from django.core.management import call_command

from fucai.network.models import Station
from fucai.network.summary import network_summary


def test_it_counts_open_stations_and_this_years_openings(network):
    summary = network_summary(Station.objects.all(), dt.date(2023, 9, 3), by="city")
    assert summary.open_stations == 5
    assert summary.open_at_year_start == 2
    assert summary.net_new_this_year == 3
    assert summary.opened_this_year == 3
    assert summary.core_urban_new_this_year == 2
    assert summary.jobs_created_this_year == 6
    assert [(g.code, g.open_stations, g.net_new_this_year) for g in summary.groups] == [
        ("360400", 2, 1),
        ("360700", 3, 2),
    ]


def test_it_reconstructs_the_network_as_of_an_earlier_day(network):
    summary = network_summary(Station.objects.all(), dt.date(2023, 3, 15))
    assert summary.open_stations == 3
    assert summary.opened_this_year == 1


def test_a_closed_station_is_no_longer_open(network):
    station = network["stations"]["xunyang"]
    station.transition("closed", dt.date(2023, 8, 1))
    summary = network_summary(Station.objects.all(), dt.date(2023, 9, 3))
    assert summary.open_stations == 4
    assert summary.closed_this_year == 1
    assert network_summary(Station.objects.all(), dt.date(2023, 7, 31)).open_stations == 5


def test_the_cli_prints_the_figures_as_json(network, capsys):
    call_command("network", "summary", "--as-of", "2023-09-03", "--by", "scene", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2023-09-03"
    assert data["open_stations"] == 5
    assert {g["code"]: g["open_stations"] for g in data["groups"]} == {
        "shopping_complex": 1,
        "street": 3,
        "tourism_street": 1,
    }


def test_a_city_users_summary_covers_only_their_city(network, ganzhou_user):
    summary = network_summary(Station.objects.restrict(ganzhou_user), dt.date(2023, 9, 3))
    assert summary.open_stations == 3


def column_edges(line: str) -> list[int]:
    """Display columns at which the cells of `line` begin (names, left-aligned) or end
    (figures, right-aligned): the first two cells begin, the others end."""
    from fucai.core.commandline import display_width

    edges, start = [], 0
    for n, cell in enumerate(line.split()):
        at = line.index(cell, start)
        start = at + len(cell)
        edges.append(display_width(line[: at if n < 2 else start]))
    return edges


def test_the_cli_table_names_the_figures_in_chinese_and_lines_up_the_cities(network, capsys):
    call_command("network", "summary", "--as-of", "2023-09-03", "--by", "city", "--lang", "zh-hans")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "站点网络，截至 2023-09-03（年初 2023-01-01）"
    assert lines[1].split() == ["在营站点", "5"]
    head = next(i for i, line in enumerate(lines) if line.startswith("代码"))
    assert lines[head].split()[:3] == ["代码", "城市", "在营站点"]
    rows = [line.split() for line in lines[head + 1 :]]
    assert [r[1] for r in rows] == ["九江市", "赣州市"]
    # the cells of every row line up with the header's, in display columns (a Chinese character
    # takes two columns of a terminal)
    edges = [column_edges(line) for line in lines[head:]]
    assert len(edges[0]) == 9
    assert all(e == edges[0] for e in edges[1:])


def test_the_cli_table_speaks_english_with_lang_en(network, capsys):
    call_command("network", "summary", "--as-of", "2023-09-03", "--lang", "en")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Network as of 2023-09-03 (year start 2023-01-01)"
    assert lines[1].split() == ["Open", "stations", "5"]
