"""Shared by bench/generate.py and bench/run.py: scales, paths, Django set-up, machine facts.

Every scale lives in its own directory `bench/data/<scale>/` (gitignored):

    fucai/            FUCAI_DATA_DIR of the bench: fucai.sqlite3 (network), sales/ (the store)
    raw/facts.csv     the daily facts in fucai's import format (what `fucai sales import` reads)
    raw/facts.parquet the same facts, typed (amount decimal(18,2)): what raw SQL and pandas read
    raw/stations.parquet  the station dimension (code, city, county) for the raw queries
    spec.json         what was generated (stations, days, seed, rows)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
PYTHON = ROOT / ".venv" / "bin" / "python"
FUCAI = ROOT / ".venv" / "bin" / "fucai"

SCALES = {"province": 6_000, "large": 24_000}
FIRST_DAY = dt.date(2021, 1, 1)
DAYS = 1_000  # 2021-01-01 … 2023-09-27
AS_OF = dt.date(2023, 9, 3)  # the seed report's day


@dataclass(frozen=True)
class Spec:
    """What a generated data set is: same spec, same seed → same bytes."""

    scale: str
    stations: int
    days: int = DAYS
    first_day: str = FIRST_DAY.isoformat()
    seed: int = 20230903

    @property
    def root(self) -> Path:
        return DATA / self.scale

    @property
    def fucai_dir(self) -> Path:
        return self.root / "fucai"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def csv(self) -> Path:
        return self.raw / "facts.csv"

    @property
    def parquet(self) -> Path:
        return self.raw / "facts.parquet"

    @property
    def stations_parquet(self) -> Path:
        return self.raw / "stations.parquet"

    @property
    def start(self) -> dt.date:
        return dt.date.fromisoformat(self.first_day)

    @property
    def last_day(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)

    def to_json(self) -> dict:
        return asdict(self)


def spec_for(scale: str, stations: int | None = None) -> Spec:
    if stations is None and scale not in SCALES:
        raise SystemExit(f"unknown scale {scale!r}: {', '.join(SCALES)} (or give --stations)")
    return Spec(scale=scale, stations=stations or SCALES[scale])


def read_spec(scale: str) -> dict:
    path = DATA / scale / "spec.json"
    if not path.exists():
        raise SystemExit(f"{path} missing: run bench/generate.py --scale {scale} first")
    return json.loads(path.read_text())


def fucai_env(fucai_dir: Path) -> dict[str, str]:
    """The environment of a fucai process working on the bench's data directory."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        FUCAI_DATA_DIR=str(fucai_dir),
        DJANGO_SETTINGS_MODULE="fucai.settings",
        FUCAI_ANALYTICS_BACKEND="duckdb",
    )
    return env


def setup_django(fucai_dir: Path) -> None:
    """Point this process at the bench's data directory (SQLite network + store) and start
    Django. Must run before anything imports fucai models."""
    fucai_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(fucai_env(fucai_dir))
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def machine_facts() -> dict[str, str]:
    import duckdb
    import ibis
    import pandas
    import pyarrow

    mem_kb = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = git_commit()
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram_gib": f"{mem_kb / 1024 / 1024:.1f}",
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pyarrow": pyarrow.__version__,
        "pandas": pandas.__version__,
        "ibis": ibis.__version__,
        "os": platform.platform(),
        "git": commit,
    }


def git_commit() -> str:
    """The short commit of the working tree, "+ uncommitted changes" if tracked files differ
    ("" without git)."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return ""
    return commit + (" + uncommitted changes" if dirty else "")
