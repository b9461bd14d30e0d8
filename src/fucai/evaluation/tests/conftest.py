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
        "partial_period": {"counts": "scale_goalposts", "indicators": []},
        "pay": None,
        "robustness": None,
    }


TZENG_HUANG_CSV = "id,c1,c2,c3\nA1,5,8,4\nA2,7,6,8\nA3,8,8,6\nA4,7,4,6\n"


MANAGERS = {"GZ002": ("赣州管理员丁", "360700"), "JJ001": ("九江管理员丙", "360400")}


@pytest.fixture
def world(network, ganzhou, jiujiang):
    """The `network` fixture (its market manager GZ001, 测试管理员乙, of 赣州) and two managers
    more: GZ002 of 赣州 and JJ001 of 九江."""
    from fucai.network.models import MarketManager

    for code, (name, city) in MANAGERS.items():
        MarketManager.objects.create(
            employee_code=code, name=name, city=ganzhou if city == "360700" else jiujiang
        )
    return network
