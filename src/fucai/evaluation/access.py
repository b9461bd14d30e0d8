"""What the evaluation module's URLs answer each role (fucai.core.testing.matrix): it has no
URL or API operation yet (this part is the command line), so nothing to declare."""

from __future__ import annotations

ACCESS: dict = {}
