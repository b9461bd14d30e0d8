"""What the reports module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix)."""

from __future__ import annotations

from fucai.core.testing.matrix import Expect

ACCESS: dict[str, Expect | list[Expect]] = {}
