"""Pages at province scale (issue 8, point 11): the station export and the cockpit on the demo.

    python bench/pages.py [--data DIR] [--runs 5]

Uses the demo (`fucai demo --no-serve`, built into DIR if it has no database yet; default
bench/data/demo/fucai). Every measurement runs in a fresh Python process:

- export: the province user downloads all stations as Excel (`/network/stations/?format=xlsx`,
  through Django's test client: middleware, view, workbook, response), against the bare read of
  the same rows (`Station.objects.values_list(...)` of the exported columns, owners' phone and ID
  number decrypted as the ORM does). Median of --runs after one untimed call of each.
- cockpit: the province user's first and second visit of `/sales/` in a new process, (a) cold,
  (b) after the warm-up a server process does at start (fucai.core.warmup, run to completion
  first), against the analytics the page needs run raw: DuckDB SQL over the store's daily Parquet
  files (year to date by category and city with history, city ranking, monthly series, game mix:
  bench/queries.py's statements), in a new DuckDB connection, first and second run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import DATA, ROOT, machine_facts, setup_django  # noqa: E402

DEFAULT_DIR = DATA / "demo" / "fucai"
EXPORT_URL, COCKPIT_URL = "/network/stations/?format=xlsx", "/sales/"
COCKPIT_QUESTIONS = ("ytd_city", "city_ranking", "monthly", "game_mix")
EXPORT_FIELDS = (
    "code", "name", "county__parent__name", "county__name", "address", "lon", "lat", "scene",
    "operation", "brand", "staff_count", "terminal_count", "partner__name", "status",
    "owner__name", "owner__phone", "owner__id_number", "owner__is_party_member",
    "owner__is_veteran", "owner__party_consent",
)  # fmt: skip


def ensure_demo(data: Path) -> None:
    if (data / "fucai.sqlite3").exists():
        return
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FUCAI_DATA_DIR": str(data), "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "fucai", "demo", "--no-serve"], env=env, check=True)


def _client():
    from django.conf import settings
    from django.test import Client

    from fucai.accounts.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


def _timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def child_export(runs: int) -> dict:
    from fucai.network.models import Station

    client = _client()

    def bare():
        return list(Station.objects.order_by("code").values_list(*EXPORT_FIELDS))

    def export():
        response = client.get(EXPORT_URL)
        assert response.status_code == 200, response.status_code
        return response.content

    first, content = _timed(export)
    rows = len(bare())
    bare_times = [_timed(bare)[0] for _ in range(runs)]
    export_times = [_timed(export)[0] for _ in range(runs)]
    return {
        "stations": rows,
        "bytes": len(content),
        "first_export": first,
        "bare": statistics.median(bare_times),
        "export": statistics.median(export_times),
    }


def child_cockpit(warm: bool) -> dict:
    client = _client()
    warm_seconds = None
    if warm:
        from fucai.core.warmup import warm_up

        warm_seconds, _ = _timed(warm_up)
    visits = []
    for _ in range(2):
        seconds, response = _timed(lambda: client.get(COCKPIT_URL))
        assert response.status_code == 200, response.status_code
        visits.append(seconds)
    return {"warm_up": warm_seconds, "first": visits[0], "second": visits[1]}


def child_raw(data: Path) -> dict:
    """bench/queries.py's statements over the store's daily files, in a new connection."""
    import duckdb
    from queries import raw_sql

    from fucai.core.sql import parquet_view
    from fucai.sales.dimensions import current_dimensions
    from fucai.sales.store import DAILY, SalesStore

    store = SalesStore()
    con = duckdb.connect()
    parquet_view(con, "daily", [str(p) for p in store.paths(DAILY, store.manifest())])
    parquet_view(con, "stations", [str(current_dimensions(store).files["stations"])])
    con.execute(
        "CREATE VIEW facts AS SELECT date, station_code, game, "
        "CAST(amount_fen AS DECIMAL(18, 2)) / 100 AS amount FROM daily"
    )
    statements = raw_sql()

    def run():
        return [con.execute(statements[q]).fetchall() for q in COCKPIT_QUESTIONS]

    first, _ = _timed(run)
    second, _ = _timed(run)
    return {"first": first, "second": second}


def _spawn(data: Path, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    command = [sys.executable, __file__, "--data", str(data), "--child", *args]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load() -> str:
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    data = args.data.resolve()
    if args.child:
        setup_django(data)
        kind = args.child[0]
        result = {
            "export": lambda: child_export(args.runs),
            "cockpit": lambda: child_cockpit(warm=args.child[1:] == ["warm"]),
            "raw": lambda: child_raw(data),
        }[kind]()
        print(json.dumps(result))
        return
    ensure_demo(data)
    print(f"load before: {load()}", file=sys.stderr)
    export = _spawn(data, "export")
    cold, warm, raw = (_spawn(data, *a) for a in (("cockpit",), ("cockpit", "warm"), ("raw",)))
    print(f"load after: {load()}", file=sys.stderr)
    report(export, cold, warm, raw)


def report(export: dict, cold: dict, warm: dict, raw: dict) -> None:
    ratio = export["export"] / export["bare"]
    print(f"machine: {json.dumps(machine_facts())}  load: {load()}")
    print("| measurement | seconds | against the bare read |")
    print("|---|---:|---:|")
    print(f"| bare read of the {export['stations']:,} stations' exported columns "
          f"| {export['bare']:.3f} | 1× |")  # fmt: skip
    print(f"| station export, Excel ({export['bytes'] / 1e6:.1f} MB) | {export['export']:.3f} "
          f"| {ratio:.1f}× |")  # fmt: skip
    print(f"| station export, first in a new process | {export['first_export']:.3f} | |")
    print(f"| cockpit analytics raw (DuckDB SQL), first / second | {raw['first']:.3f} / "
          f"{raw['second']:.3f} | 1× |")  # fmt: skip
    for name, r in (("cold process", cold), ("after the server's warm-up", warm)):
        print(f"| cockpit first visit, {name} | {r['first']:.3f} | "
              f"{r['first'] / raw['first']:.1f}× |")  # fmt: skip
        print(f"| cockpit second visit, {name} | {r['second']:.3f} | "
              f"{r['second'] / raw['second']:.1f}× |")  # fmt: skip
    if warm["warm_up"] is not None:
        print(f"| (the warm-up itself, in the background at start) | {warm['warm_up']:.3f} | |")


if __name__ == "__main__":
    main()
