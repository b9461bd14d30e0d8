"""The schemes fucai ships (evaluation/schemes/*.yaml), found by their name
(`market-managers-2023`, `city-agencies-2023`)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

SCHEMES_DIR = Path(__file__).resolve().parent / "schemes"


def shipped_schemes() -> dict:
    """name → Scheme of every shipped scheme."""
    from fucai.evaluation.scheme import load_scheme

    schemes = (load_scheme(p) for p in sorted(SCHEMES_DIR.glob("*.yaml")))
    return {s.name: s for s in schemes}


def scheme_named(name: str):
    """The shipped scheme of that name, or a file's scheme if `name` is a path."""
    from fucai.evaluation.scheme import SchemeError, load_scheme

    if name.endswith((".yaml", ".yml", ".json")) and Path(name).exists():
        return load_scheme(name)
    schemes = shipped_schemes()
    if name not in schemes:
        raise SchemeError(
            name, [_("no such scheme (shipped: %(names)s)") % {"names": ", ".join(schemes)}]
        )
    return schemes[name]
