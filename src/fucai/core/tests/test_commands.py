"""`fucai --help` and the text tables of fucai's commands."""

from __future__ import annotations

import pytest

from fucai.cli import main
from fucai.core.commandline import display_width, render_table


def _help(capsys, *args: str) -> str:
    capsys.readouterr()
    main([*args])
    return capsys.readouterr().out


def test_help_lists_fucais_commands_by_module_and_not_djangos_flush(capsys):
    text = _help(capsys, "--help")
    groups = [line for line in text.splitlines() if line.endswith(":")]
    assert groups == ["network:", "sales:", "accounts:", "core:", "setup (Django):"]
    network = text.split("network:")[1].split("sales:")[0]
    assert "network summary" in network and "network export" in network
    assert "sales summary" in text and "accounts token create|list|revoke" in text
    for needed in ("migrate", "qcluster", "collectstatic", "compilemessages", "demo", "serve"):
        assert f"  {needed} " in text
    for hidden in ("flush", "dbshell", "startproject"):
        assert f"  {hidden} " not in text
    assert "fucai --help --all" in text


def test_help_all_and_fucai_django_reach_djangos_commands(capsys):
    assert "    flush" in _help(capsys, "--help", "--all")
    assert "    dbshell" in _help(capsys, "django")
    assert "usage: fucai flush" in _help(capsys, "django", "help", "flush")


def test_a_table_pads_by_display_width_so_chinese_lines_up():
    text = render_table(
        ["代码", "名称", "数"], [["1", "赣州市", "5"], ["360700", "x", "1,034"]], {2}
    )
    lines = text.splitlines()
    assert lines == ["代码    名称       数", "1       赣州市      5", "360700  x       1,034"]
    assert {display_width(line) for line in lines} == {21}


@pytest.mark.parametrize(("text", "width"), [("abc", 3), ("赣州市", 6), ("（万元）", 8), ("é", 1)])
def test_display_width_counts_wide_characters_twice(text, width):
    assert display_width(text) == width
