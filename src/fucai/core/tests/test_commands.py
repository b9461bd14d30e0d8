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
    assert groups == [
        "network:",
        "sales:",
        "planning:",
        "party:",
        "welfare:",
        "evaluation:",
        "reports:",
        "accounts:",
        "core:",
        "setup (Django):",
    ]
    network = text.split("network:")[1].split("sales:")[0]
    assert "network summary" in network and "network export" in network
    assert "sales summary" in text and "accounts token create|list|revoke" in text
    assert "planning demand build|import|status" in text and "planning blank-areas" in text
    assert "party compliance" in text and "welfare raised" in text and "welfare grants" in text
    assert "evaluate ahp" in text and "evaluate run" in text
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


def test_a_data_command_starts_without_the_web_apps_and_refuses_in_one_sentence(tmp_path):
    import os
    import subprocess
    import sys

    from fucai.core.tests.test_settings import SRC

    probe = (
        "import sys; from fucai.cli import main\n"
        "try:\n"
        "    main(['sales', 'summary', '--as-of', '2023-09-03', '--format', 'xlsx'])\n"
        "finally:\n"
        "    print(sorted(m for m in ('ninja', 'django_tables2', 'ibis', 'pydantic', 'openpyxl')"
        " if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FUCAI_", "DJANGO_"))}
    env.update(PYTHONPATH=SRC, FUCAI_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert result.stderr == "--format xlsx 输出 Excel 文件：请用 --out 文件名.xlsx 指定文件。\n"
    assert result.stdout == "[]\n"
