"""A one-day correction against a full-year file, on a generated store (issue 8, point 2).

    .venv/bin/python bench/generate.py --scale province     # once
    .venv/bin/python bench/correction.py --scale province [--reps 3] [--profile]
    .venv/bin/python bench/correction.py --web [--demo var] [--reps 3]

Both files are imported into a copy of the generated store (hard links: store files are
immutable, the manifest is replaced, never rewritten), each import on a fresh copy:

- full year: every station × game × day of 2022 (the whole year replaced, amounts + 1 fen);
- one day: every station × game of 2022-06-15 (amounts + 1 fen), in the default mode (cells)
  and in the replace-days mode.

An import's cost should grow with the file and the days it touches, not with the store: the
target is a one-day correction in ≤ 2 % of the full-year time. `--profile` prints where the
one-day correction spends its time (cProfile, top 25 by cumulative time).

`--web`: a one-day correction through the web import on a copy of the demo (`--demo`, the
demo's FUCAI_DATA_DIR; default /work/main/var's layout: `var` of the repository): every
station × game of 2023-06-15 as stored, amounts + n fen, uploaded by a province user to the
import page with the job run inline (FUCAI_TASKS_SYNC, the code the worker runs), timed from
the upload to the finished import record. The first upload of a store written before month
files splits its year into month files; it is reported apart. Target ≤ 3 s.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine_facts, read_spec, setup_django

YEAR = 2022
DAY = dt.date(2022, 6, 15)
TARGET = 0.02
WEB_DAY = dt.date(2023, 6, 15)
WEB_TARGET_S = 3.0


def log(message: str) -> None:
    print(message, flush=True)


def write_csv(facts: Path, out: Path, first: dt.date, last: dt.date) -> int:
    """The generated facts of [first, last] as an import file, each amount + 1 fen."""
    import duckdb

    con = duckdb.connect()
    query = (
        "SELECT station_code, date, game, CAST(amount + 0.01 AS VARCHAR) AS amount, tickets "
        "FROM read_parquet(?) WHERE date BETWEEN ? AND ? ORDER BY date, station_code, game"
    )
    con.execute(f"COPY ({query}) TO ? (HEADER)", [str(facts), first, last, str(out)])
    rows = con.execute("SELECT count(*) FROM read_csv(?)", [str(out)]).fetchall()[0][0]
    con.close()
    return rows


def fresh_store(source: Path, scratch: Path) -> Path:
    shutil.rmtree(scratch, ignore_errors=True)
    subprocess.run(["cp", "-al", str(source), str(scratch)], check=True)
    manifest = scratch / "manifest.json"  # replaced by the import: give the copy its own
    data = manifest.read_bytes()
    manifest.unlink()
    manifest.write_bytes(data)
    os.sync()  # the previous copy's deletion flushed now, not by the timed import's fsyncs
    return scratch


def timed_import(path: Path, store_root: Path, mode: str, profile: bool = False) -> float:
    from fucai.sales.ingest.importer import import_files
    from fucai.sales.store import SalesStore

    store = SalesStore(store_root)
    today = dt.date(2023, 12, 31)
    profiler = cProfile.Profile() if profile else None
    gc.collect()  # as bench/run.py: garbage collected before each timed import, not during it
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    outcome = import_files([path], store=store, today=today, mode=mode)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    if not outcome.ok:
        raise SystemExit(f"the import failed: {[str(e) for e in outcome.errors[:5]]}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return seconds


def web_day_csv(store, day: dt.date, plus_fen: int) -> bytes:
    """Every stored row of `day` as an import file, each amount + `plus_fen` fen."""
    import duckdb

    con = duckdb.connect()
    query = (
        "SELECT station_code, date, game, amount_fen, tickets FROM read_parquet(?) "
        "WHERE date = ? ORDER BY station_code, game"
    )
    rows = con.execute(query, [[str(p) for p in store.paths("daily")], day]).fetchall()
    con.close()
    lines = ["station_code,date,game,amount,tickets"]
    for code, date, game, fen, tickets in rows:
        lines.append(f"{code},{date.isoformat()},{game},{(fen + plus_fen) / 100:.2f},{tickets}")
    return ("\n".join(lines) + "\n").encode()


def web(demo: Path, reps: int) -> None:
    """A one-day correction through the web import of a copy of the demo (see the module doc)."""
    work = Path(__file__).resolve().parent / "data" / "demo-web"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run(["cp", "-a", str(demo), str(work / "var")], check=True)
    os.environ["FUCAI_TASKS_SYNC"] = "true"
    setup_django(work / "var")
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from fucai.accounts.choices import Role
    from fucai.accounts.models import RoleAssignment, User
    from fucai.sales.choices import ImportStatus
    from fucai.sales.models import SalesImport
    from fucai.sales.store import WHOLE_YEAR, SalesStore

    setup_test_environment()
    store = SalesStore()
    manifest = store.manifest()
    layout_before = (
        "one file a year" if WHOLE_YEAR in manifest.daily_files(WEB_DAY.year) else ("month files")
    )
    user = User.objects.create_user(username="bench_web_import", password="bench-pw-1")
    RoleAssignment.objects.create(user=user, role=Role.PROVINCE)
    client = Client()
    client.force_login(user)
    rows = 0
    samples = []
    load_before = os.getloadavg()[0]
    for n in range(1 + reps):
        body = web_day_csv(store, WEB_DAY, 1)  # the stored amounts + 1 fen: each upload changes
        rows = body.count(b"\n") - 1
        upload = SimpleUploadedFile(f"day-{n}.csv", body, "text/csv")
        started = time.perf_counter()
        response = client.post(reverse("sales:import_new"), {"files": [upload]})
        seconds = time.perf_counter() - started
        batch = response["Location"].rstrip("/").split("/")[-1]
        record = SalesImport.objects.get(batch=batch)
        if response.status_code != 302 or record.status != ImportStatus.SUCCEEDED:
            raise SystemExit(f"the web import failed: {record.status} {record.message}")
        samples.append(seconds)
        log(f"web {'first (layout: ' + layout_before + ')' if n == 0 else n}: {seconds:.2f} s")
    median = statistics.median(samples[1:]) if reps else samples[0]
    result = {
        "demo": str(demo),
        "day": WEB_DAY.isoformat(),
        "day_rows": rows,
        "store_rows": manifest.row_count(),
        "layout_before": layout_before,
        "first_s": round(samples[0], 3),
        "median_s": round(median, 3),
        "samples_s": [round(s, 3) for s in samples[1:]],
        "target_s": WEB_TARGET_S,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "machine": machine_facts(),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    shutil.rmtree(work, ignore_errors=True)
    out = Path(__file__).resolve().parent / "results" / "correction" / "web.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    log(json.dumps({k: result[k] for k in ("first_s", "median_s", "target_s")}))
    update_results()


def update_results() -> None:
    """Render this bench's section of bench/RESULTS.md (bench/report.py) in place."""
    from report import CORRECTION_TITLE, render_correction, replace_section

    bench = Path(__file__).resolve().parent
    path = bench / "RESULTS.md"
    text = render_correction(bench / "results")
    path.write_text(replace_section(path.read_text(), CORRECTION_TITLE, text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--web", action="store_true", help="through the web import, on the demo")
    parser.add_argument("--demo", type=Path, default=Path(__file__).resolve().parents[1] / "var")
    args = parser.parse_args()
    if args.web:
        web(args.demo.resolve(), args.reps)
        return
    spec = read_spec(args.scale)
    root = Path(__file__).resolve().parent / "data" / args.scale
    setup_django(root / "fucai")
    source = root / "fucai" / "sales"
    work = root / "correction"
    work.mkdir(exist_ok=True)
    year_csv, day_csv = work / "year.csv", work / "day.csv"
    facts = root / "raw" / "facts.parquet"
    year_rows = write_csv(facts, year_csv, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    day_rows = write_csv(facts, day_csv, DAY, DAY)
    load_before = os.getloadavg()[0]
    timed_import(day_csv, fresh_store(source, work / "store"), "cells")  # warm: imports, caches
    samples: dict[str, list[float]] = {"year": [], "day": [], "day_replace": []}
    for _ in range(args.reps):
        for name, path, mode in (
            ("year", year_csv, "cells"),
            ("day", day_csv, "cells"),
            ("day_replace", day_csv, "days"),
        ):
            samples[name].append(timed_import(path, fresh_store(source, work / "store"), mode))
            log(f"{name}: {samples[name][-1]:.2f} s")
    if args.profile:
        timed_import(day_csv, fresh_store(source, work / "store"), "cells", profile=True)
    shutil.rmtree(work / "store", ignore_errors=True)
    median = {k: statistics.median(v) for k, v in samples.items()}
    result = {
        "scale": args.scale,
        "store_rows": spec.get("rows"),
        "year_rows": year_rows,
        "day_rows": day_rows,
        "median_s": median,
        "samples_s": {k: [round(s, 3) for s in v] for k, v in samples.items()},
        "ratio_day": median["day"] / median["year"],
        "ratio_day_replace": median["day_replace"] / median["year"],
        "ratios_per_rep": {  # each rep's one day ÷ the same rep's full year (load drifts)
            k: [round(d / y, 4) for d, y in zip(samples[k], samples["year"], strict=True)]
            for k in ("day", "day_replace")
        },
        "target": TARGET,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "machine": machine_facts(),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    out = Path(__file__).resolve().parent / "results" / "correction" / f"{args.scale}.json"
    out.parent.mkdir(exist_ok=True)  # not results/*.json: those are bench/run.py's scales
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    log(json.dumps({k: result[k] for k in ("median_s", "ratio_day", "ratio_day_replace")}))
    update_results()


if __name__ == "__main__":
    main()
