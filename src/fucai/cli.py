"""The `fucai` console script: Django's management entry point with fucai's settings.

`fucai --help` lists fucai's own commands by module and the few Django commands that running
fucai needs; `fucai --help --all` lists every command, and `fucai django NAME …` runs any of
Django's (flush, dbshell, …), which also still run as `fucai NAME …`."""

from __future__ import annotations

import os
import sys

# The Django commands a person running fucai uses (README): shown in `fucai --help`.
SETUP_COMMANDS = (
    "migrate",
    "qcluster",
    "collectstatic",
    "compilemessages",
    "createsuperuser",
    "changepassword",
    "shell",
)
# fucai's modules in the order `fucai --help` shows their commands.
MODULE_ORDER = (
    "network",
    "sales",
    "planning",
    "party",
    "welfare",
    "evaluation",
    "reports",
    "accounts",
    "geo",
    "core",
)
# Commands that start without the web-only apps (fucai.settings_command).
DATA_COMMANDS = (
    "network",
    "sales",
    "planning",
    "party",
    "welfare",
    "evaluate",
    "report",
    "accounts",
    "personal-data",
)


def main(argv: list[str] | None = None) -> None:
    args = list(argv if argv is not None else sys.argv[1:])
    if args[:1] == ["django"]:
        args = args[1:] or ["help", "--all"]
    data_command = args[:1] and args[0] in DATA_COMMANDS
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "fucai.settings_command" if data_command else "fucai.settings"
    )
    from django.core.exceptions import ImproperlyConfigured

    from fucai.core.context import acting_as

    try:
        # Changes made by a command are audited with source "command" (web requests set their own).
        with acting_as(None, "command"):
            utility(["fucai", *args]).execute()
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"fucai: configuration error: {exc}\n")
        raise SystemExit(2) from None


def utility(argv: list[str]):
    """A ManagementUtility whose main help lists fucai's commands by module (`--all`: Django's)."""
    from django.core.management import ManagementUtility

    show_all = "--all" in argv[1:3] and argv[1] in ("help", "--help", "-h")

    class FucaiUtility(ManagementUtility):
        def main_help_text(self, commands_only: bool = False) -> str:
            if commands_only or show_all or self.settings_exception is not None:
                return super().main_help_text(commands_only)
            return grouped_help()

    return FucaiUtility([a for a in argv if not (show_all and a == "--all")])


def grouped_help() -> str:
    """fucai's commands under their module's name, each action on its own line with its help."""
    from django.core.management import get_commands
    from django.utils import translation

    commands = get_commands()
    groups: dict[str, list[str]] = {}
    for name, app in commands.items():
        module = app.rpartition(".")[2]
        if app.startswith("fucai.") and module in MODULE_ORDER:
            groups.setdefault(module, []).append(name)
    groups["setup (Django)"] = [name for name in SETUP_COMMANDS if name in commands]
    with translation.override("en"):
        rows = {
            group: [row for name in sorted(names) for row in command_rows(commands[name], name)]
            for group, names in groups.items()
        }
    width = max(len(usage) for group_rows in rows.values() for usage, _help in group_rows)
    lines = ["Usage: fucai COMMAND [ACTION] [options]   (add --help for the options)", ""]
    for group in sorted(rows, key=lambda g: MODULE_ORDER.index(g) if g in MODULE_ORDER else 99):
        lines.append(f"{group}:")
        lines += [f"  {usage:<{width}}  {text}" for usage, text in rows[group]]
        lines.append("")
    lines.append(
        "Django's other commands (flush, dbshell, startproject, …): fucai --help --all; "
        "run one with fucai django NAME."
    )
    return "\n".join(lines)


def command_rows(app: str, name: str) -> list[tuple[str, str]]:
    """("network summary", "figures as of a date") for each action of a command with actions,
    else the command with the first sentence of its help."""
    import argparse

    from django.core.management import load_command_class

    command = load_command_class(app, name)
    parser = command.create_parser("fucai", name)
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not actions:
        return [(name, first_sentence(command.help))]
    return [
        (f"{name} {choice.dest}{nested_actions(parser, choice.dest)}", choice.help or "")
        for choice in actions[0]._choices_actions
        for parser in [actions[0].choices[choice.dest]]
    ]


def nested_actions(parser, dest: str) -> str:
    """The actions of an action ("create|list|revoke" for accounts token), or ""."""
    import argparse

    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return f" {'|'.join(subs[0].choices)}" if subs else ""


def first_sentence(text: str) -> str:
    head = text.split(". ")[0].split(" (")[0].rstrip(".")
    return head if len(head) <= 90 else head[:89] + "…"


if __name__ == "__main__":
    main()
