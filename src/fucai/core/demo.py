"""What every module's demo builder shares: the demo province's seed and version (`fucai demo`)."""

from __future__ import annotations

DEMO_VERSION = "2"
DEMO_SEED = 20230903
