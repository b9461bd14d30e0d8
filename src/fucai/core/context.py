"""Who is acting right now, for audit records written by signals."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object | None
    source: str


_actor: ContextVar[Actor | None] = ContextVar("fucai_actor", default=None)


def current_actor() -> Actor | None:
    return _actor.get()


@contextlib.contextmanager
def acting_as(user, source: str):
    token = _actor.set(Actor(user=user, source=source))
    try:
        yield
    finally:
        _actor.reset(token)
