"""Choice constants of the welfare module: lifecycles with their labels."""

from __future__ import annotations
