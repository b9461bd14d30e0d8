"""Endpoint signatures under `from __future__ import annotations`."""

from __future__ import annotations

import typing
from collections.abc import Callable

F = typing.TypeVar("F", bound=Callable)


def resolved(func: F) -> F:
    """Evaluate the endpoint's postponed annotations now, in its own module.

    django-ninja reads a wrapped endpoint's annotations through the outermost wrapper, whose module
    (e.g. ninja.pagination for @paginate) does not know our schema names. Put it right above the
    function, below @paginate."""
    func.__annotations__ = typing.get_type_hints(func, include_extras=True)
    return func
