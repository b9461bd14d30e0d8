"""Small fixtures of the evaluation tests: the seed schemes as dictionaries, to vary."""

from __future__ import annotations

from pathlib import Path

import pytest

SCHEMES = Path(__file__).resolve().parent.parent / "schemes"


def scheme_dict(name: str) -> dict:
    import yaml

    return yaml.safe_load((SCHEMES / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def managers() -> dict:
    return scheme_dict("market_managers_2023")


@pytest.fixture
def cities() -> dict:
    return scheme_dict("city_agencies_2023")


def tzeng_huang(scale: float = 1.0) -> dict:
    """Tzeng & Huang (2011)'s TOPSIS example as a scheme: 3 benefit indicators, weights
    .3/.4/.3, vector normalisation."""
    return {
        "name": "tzeng-huang",
        "title": "Tzeng & Huang (2011) TOPSIS",
        "version": 1,
        "population": "city_agencies",
        "period": "year",
        "indicators": [
            {"name": n, "label": n, "source": "manual", "direction": "benefit", "cap": None}
            for n in ("c1", "c2", "c3")
        ],
        "weights": {"method": "direct", "values": {"c1": 0.3, "c2": 0.4, "c3": 0.3}},
        "aggregation": {
            "method": "topsis",
            "normalisation": "vector",
            "scale": scale,
            "ties": "min",
        },
        "grades": {
            "by": "thresholds",
            "bands": [{"name": "A", "min_score": 0.7}, {"name": "B", "min_score": None}],
        },
        "elimination": None,
        "pay": None,
        "robustness": None,
    }


TZENG_HUANG_CSV = "id,c1,c2,c3\nA1,5,8,4\nA2,7,6,8\nA3,8,8,6\nA4,7,4,6\n"
