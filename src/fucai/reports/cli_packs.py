"""`fucai report pack --scope province|CITY --kind monthly|quarterly --period 2023-08|2023-Q3
[--as-of DATE] [-o FILE] [--user U]`: makes the report pack at once (not through the worker),
files it in the archive (fucai.reports.packs) and writes the .xlsx. `--user` is who asked for
it: a city's user may make only their city's pack; without it the pack is the schedule's."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def add_parser(subparsers) -> None:
    from fucai.reports.choices import PackKind

    pack = subparsers.add_parser("pack", help="a monthly or quarterly report pack (.xlsx)")
    pack.add_argument("--scope", required=True, help="province, or a city: 赣州, 赣州市 or 360700")
    pack.add_argument("--kind", required=True, choices=PackKind.values)
    pack.add_argument("--period", required=True, help="2023-08 (monthly) or 2023-Q3 (quarterly)")
    pack.add_argument("--as-of", help="YYYY-MM-DD (default: the period's last day, or today)")
    pack.add_argument("-o", "--out", help="the file to write (default: the pack's name)")
    pack.add_argument("--user", help="who asks for it (default: the schedule)")


def handle(command, options) -> None:
    from fucai.network.management.commands.network import parse_date, user_for
    from fucai.reports.choices import PackStatus
    from fucai.reports.packs import PackError, download_name, make_now, scope_for

    user = user_for(options.get("user"))
    try:
        scope = scope_for(options["scope"])
        _check_user(user, scope)
        as_of = parse_date(options["as_of"]) if options.get("as_of") else None
        pack = make_now(scope, options["kind"], options["period"], as_of, user)
    except PackError as exc:
        raise CommandError(str(exc)) from None
    if pack.status != PackStatus.DONE:
        raise CommandError(pack.error)
    path = Path(options.get("out") or download_name(pack))
    with pack.file.open("rb") as fh:
        path.write_bytes(fh.read())
    command.stdout.write(str(path))


def _check_user(user, scope) -> None:
    """A user may make only the packs of a scope their view reach holds whole."""
    from django.utils.translation import gettext as _

    from fucai.reports.visibility import may_see_scope

    if user is not None and not may_see_scope(user, scope):
        raise CommandError(_("This user does not see %(scope)s.") % {"scope": scope.name})
