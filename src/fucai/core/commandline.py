"""What fucai's own commands share: no system checks on start-up (a command imports only what its
action needs), `--lang` (or FUCAI_LANGUAGE) for the language of its output, and text tables that
line up Chinese text in a terminal (a CJK character takes two columns)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation


class FucaiCommand(BaseCommand):
    """A fucai command: no system checks, `--lang` on the command and on each of its sub-actions,
    and a refusal printed as the sentence it is."""

    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        for each in _parsers(parser):
            each.add_argument(
                "--lang",
                choices=[code for code, _name in settings.LANGUAGES],
                default=argparse.SUPPRESS,
                help="language of the output (default: FUCAI_LANGUAGE, zh-hans)",
            )
        return parser

    def execute(self, *args, **options):
        language = options.get("lang") or settings.COMMAND_LANGUAGE or translation.get_language()
        with translation.override(language):
            try:
                return super().execute(*args, **options)
            except CommandError as error:
                if not self._called_from_command_line or options.get("traceback"):
                    raise
                # The sentence alone, in the user's language (not "CommandError: …").
                self.stderr.write(str(error))
                sys.exit(error.returncode)


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parser and, recursively, the parsers of its sub-actions."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += _parsers(sub)
    return found


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters (中, ，) take two."""
    return sum(
        2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
        for ch in text
    )


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded with spaces to `width` display columns, on the left when `right`."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def render_table(
    head: Sequence[str] | None, rows: Sequence[Sequence[object]], right: set[int]
) -> str:
    """A text table whose columns line up by display width, under `head` if given; the columns
    in `right` (numbers) are right-aligned."""
    cells = ([] if head is None else [[str(c) for c in head]]) + [[str(c) for c in r] for r in rows]
    if not cells:
        return ""
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = [
        "  ".join(pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in cells
    ]
    return "\n".join(line.rstrip() for line in lines)
