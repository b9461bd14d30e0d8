"""Fixtures of the sales tests: a store in a temporary data directory and files to import."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from fucai.sales.store import SalesStore


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "spark: starts a local PySpark session (slow; deselect with -m 'not spark')"
    )


DAILY_HEADER = ["station_code", "date", "game", "amount", "tickets"]


@pytest.fixture
def english():
    """The tests read error sentences in English (the UI default is Simplified Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def store(settings, tmp_path) -> SalesStore:
    settings.DATA_DIR = tmp_path / "data"
    return SalesStore(tmp_path / "data" / "sales")


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(name, rows, header=DAILY_HEADER) → path of a UTF-8 CSV file."""

    def write(name: str, rows: list[list], header: list[str] = DAILY_HEADER) -> Path:
        path = tmp_path / name
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write
