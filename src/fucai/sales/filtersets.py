"""Filter sets of the sales app (the import list comes with the cockpit)."""

from __future__ import annotations
