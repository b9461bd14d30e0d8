"""`fucai report bulletin --as-of DATE [--scope province|CITY] [--user NAME] --format
text|docx|pdf [-o FILE]`: the work bulletin for the day, written from live data
(fucai.reports.bulletin). CITY is a name (赣州, 赣州市) or an adcode (360700); without --user the
province's view (as the modules' own commands), with it that user's grant: a scope the user does
not see is refused like one that does not exist."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

FORMATS = ("text", "docx", "pdf")


def add_parser(sub) -> None:
    p = sub.add_parser("bulletin", help="the work bulletin as of a day (text, Word or PDF)")
    p.add_argument("--as-of", required=True, help="YYYY-MM-DD")
    p.add_argument("--scope", default=None, help="province (default) or a city: 赣州 or 360700")
    p.add_argument("--user", help="apply this user's scope (default: the whole province)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("-o", "--out", help="write to this file (required for docx and pdf)")


def render(doc, fmt: str, viewer) -> bytes:
    """The document as bytes: text here, docx/pdf by the typesetters (fucai.reports.documents),
    with their charts of the bulletin when they have them."""
    if fmt == "text":
        return doc.text().encode("utf-8")
    try:
        from fucai.reports.documents import render_document
    except ImportError:
        raise CommandError(
            f"--format {fmt}: Word and PDF typesetting (fucai.reports.documents) is not "
            "installed in this version; use --format text."
        ) from None
    charts = _charts(viewer, doc)
    return render_document(doc, fmt, charts) if charts else render_document(doc, fmt)


def _charts(viewer, doc) -> tuple:
    try:
        from fucai.reports.documents.charts import bulletin_charts
    except ImportError:
        return ()
    return tuple(bulletin_charts(viewer, doc.as_of, doc.scope_code))


def handle(command, options) -> None:
    from fucai.network.management.commands.network import parse_date, user_for
    from fucai.reports.bulletin import build_bulletin
    from fucai.reports.facts import ScopeNotFound, command_line_viewer, resolve_scope

    as_of = parse_date(options["as_of"])
    user = user_for(options["user"])
    fmt, out = options["format"], options["out"]
    if fmt != "text" and not out:
        raise CommandError(f"--format {fmt} writes a file: name it with -o FILE.{fmt}.")
    viewer = user or command_line_viewer()
    try:
        scope = resolve_scope(options["scope"], viewer)
    except ScopeNotFound:
        if not options["scope"]:
            message = _("A bulletin covers the province or a whole city: your role holds neither.")
            raise CommandError(message) from None
        raise CommandError(f"--scope {options['scope']!r}: no such scope in your view.") from None
    doc = build_bulletin(as_of, scope, user)
    if doc.notice:
        command.stderr.write(doc.notice)
    data = render(doc, fmt, viewer)
    if out:
        Path(out).write_bytes(data)
        command.stdout.write(str(out))
        return
    command.stdout.write(data.decode("utf-8"), ending="")
