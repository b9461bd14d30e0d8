"""Schemes as versioned documents (issue 13 point 2): a document's text (YAML or JSON) is
validated by fucai.evaluation.scheme before it is kept; editing makes a new version, the old ones
stay for the runs that froze them. The version number is the store's (the document's own
`version` is set to it when parsed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _


def parse_document(text: str, source: str = "scheme", version: int | None = None):
    """The validated Scheme of a YAML or JSON text (SchemeError names each path)."""
    import yaml

    from fucai.evaluation.scheme import SchemeError, validate_scheme

    try:
        data = yaml.safe_load(text)  # JSON is YAML
    except yaml.YAMLError as exc:
        raise SchemeError(
            source, [_("not valid YAML or JSON: %(error)s") % {"error": exc}]
        ) from None
    if isinstance(data, dict) and version is not None:
        data = {**data, "version": version}
    return validate_scheme(data, source)


def stored_scheme(row):
    """The Scheme of a stored version (its number is the store's)."""
    return parse_document(row.document, f"{row.name} v{row.version}", row.version)


@transaction.atomic
def save_scheme(
    text: str,
    user=None,
    *,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    note: str = "",
    name: str | None = None,
):
    """Validate `text` and keep it as the next version of its scheme (version 1 if new). With
    `name`, the document must be that scheme's. Raises SchemeError."""
    from fucai.evaluation.models import EvaluationScheme
    from fucai.evaluation.scheme import SchemeError

    scheme = parse_document(text, name or "scheme")
    if name is not None and scheme.name != name:
        raise SchemeError(
            name, [_("name: the document is scheme %(other)s") % {"other": scheme.name}]
        )
    last = (
        EvaluationScheme.objects.select_for_update()
        .filter(name=scheme.name)
        .order_by("-version")
        .first()
    )
    version = last.version + 1 if last else 1
    if valid_from is None:
        valid_from = last.valid_from if last else dt.date(dt.date.today().year, 1, 1)
    if valid_to is not None and valid_to < valid_from:
        raise SchemeError(scheme.name, [_("effective to: before effective from")])
    return EvaluationScheme.objects.create(
        name=scheme.name,
        version=version,
        title=scheme.title,
        population=scheme.population,
        valid_from=valid_from,
        valid_to=valid_to,
        document=text,
        note=note,
        created_by=user,
    )


SHIPPED = Path(__file__).parent / "schemes"


def load_shipped(user=None) -> list:
    """The shipped seed schemes as version 1 (those not stored yet); returns the new rows."""
    from fucai.evaluation.models import EvaluationScheme

    made = []
    for path in sorted(SHIPPED.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        scheme = parse_document(text, path.name)
        if not EvaluationScheme.objects.filter(name=scheme.name).exists():
            made.append(save_scheme(text, user, valid_from=dt.date(2023, 1, 1)))
    return made


def latest(name: str):
    from fucai.evaluation.models import EvaluationScheme

    return EvaluationScheme.objects.filter(name=name).order_by("-version").first()
