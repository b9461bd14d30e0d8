"""The `fucai` console script: Django's management entry point with fucai's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fucai.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from fucai.core.context import acting_as

    try:
        # Changes made by a command are audited with source "command" (web requests set their own).
        with acting_as(None, "command"):
            execute_from_command_line(["fucai", *(argv if argv is not None else sys.argv[1:])])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"fucai: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
