"""Reports on the command line: `fucai report ACTION …`. Each action lives in its own module of
fucai.reports (listed in ACTIONS), which gives `add_parser(sub)` — add its sub-parser to the
argparse sub-parsers — and `handle(command, options)`."""

from __future__ import annotations

import importlib

from fucai.core.commandline import FucaiCommand

# action name -> the module that defines it (imported when the command starts)
ACTIONS: dict[str, str] = {
    "bulletin": "fucai.reports.cli_bulletin",
    "pack": "fucai.reports.cli_packs",
}


def _module(action: str):
    return importlib.import_module(ACTIONS[action])


class Command(FucaiCommand):
    help = "Reports: the work bulletin (text, Word, PDF) and the monthly and quarterly packs."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for action in ACTIONS:
            _module(action).add_parser(sub)

    def handle(self, *args, **options) -> None:
        _module(options["action"]).handle(self, options)
