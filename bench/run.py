"""Time fucai against raw DuckDB SQL and pandas on a generated data set, in one run.

    .venv/bin/python bench/generate.py --scale province     # once (≈1 minute)
    .venv/bin/python bench/run.py --scale province          # ≈6 minutes on 2 cores

Measures (medians of --reps repetitions):

- the cockpit's query set (bench/queries.py) through fucai's runners: *cold* (a new
  AnalyticsContext and empty result caches: what the first page view after an import costs),
  *new day* (the context kept, another as-of day each time: a user moving the date picker) and
  *warm* (the same calls again: memoised results);
- the same questions as hand-written DuckDB SQL over the raw Parquet facts, and in pandas
  (data already in memory; loading is reported apart);
- import throughput: fucai's importer (validation and commit of every partition and rollup)
  against a raw DuckDB `COPY` of the same CSV file into a table (in a database file, and in
  memory), in this process; and once the `fucai sales import` command as a user runs it.

It checks that fucai's answers equal the raw SQL's and pandas' (and that the imported store
holds the generated facts), then writes bench/results/<scale>.json and renders bench/RESULTS.md
from every results file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH, FUCAI, ROOT, machine_facts, read_spec, setup_django

RESULTS = BENCH / "results"
TARGETS = {"raw_sql": 10.0, "pandas": 100.0, "import": 0.5}
NEW_DAYS = [dt.date(2023, 9, 3) - dt.timedelta(days=7 * i) for i in range(1, 40)]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def run_set(questions: dict) -> tuple[float, dict[str, float], dict]:
    """Run every question once: total seconds, seconds per question, results. Garbage is
    collected before (not during) the set, for every contender alike."""
    gc.collect()
    each, results = {}, {}
    for name, fn in questions.items():
        each[name], results[name] = timed(fn)
    return sum(each.values()), each, results


def median_set(samples: list[tuple[float, dict[str, float]]]) -> dict:
    return {
        "total_s": statistics.median(t for t, _ in samples),
        "samples_s": [round(t, 4) for t, _ in samples],
        "per_question_s": {q: statistics.median(e[q] for _, e in samples) for q in samples[0][1]},
    }


# -- fucai -----------------------------------------------------------------------------------------
def bench_fucai(reps: int) -> tuple[dict, dict]:
    from queries import fucai_questions, normalise_fucai

    from fucai.analytics.backends import AnalyticsContext, result_cache

    cold, warm, contexts, answers = [], [], [], None
    for _ in range(reps):
        result_cache().clear()
        seconds, context = timed(AnalyticsContext)
        contexts.append(seconds)
        total, each, results = run_set(fucai_questions(context))
        cold.append((total, each))
        answers = answers or normalise_fucai(results)
        total, each, _ = run_set(fucai_questions(context))
        warm.append((total, each))
    new_day = bench_new_days(reps)
    out = {
        "cold": median_set(cold),
        "new_day": new_day,
        "warm": median_set(warm),
        "context_s": statistics.median(contexts),
    }
    return out, answers


def bench_new_days(reps: int) -> dict:
    """One kept context; each repetition asks the set for another as-of day (nothing memoised
    for that day; the month-end slices and names are)."""
    from queries import CITY, TOP

    from fucai.analytics.backends import AnalyticsContext, result_cache
    from fucai.analytics.runners import RankingRunner, SeriesRunner, YearToDateRunner
    from fucai.analytics.scope import Scope

    result_cache().clear()
    context = AnalyticsContext()
    province, city = Scope.province(), Scope.city(CITY)
    samples = []
    for day in NEW_DAYS[: reps + 1]:
        questions = {
            "ytd_city": lambda d=day: YearToDateRunner(context, province).run(d, by="city"),
            "city_ranking": lambda d=day: RankingRunner(context, province).run(
                d, by="city", top=10_000
            ),
            "monthly": lambda d=day: SeriesRunner(context, province).monthly(d),
            "game_mix": lambda d=day: YearToDateRunner(context, province).run(
                d, by="game", history=False
            ),
            "county_yoy": lambda d=day: YearToDateRunner(context, city).run(
                d, by="county", history=False
            ),
            "station_ranking": lambda d=day: RankingRunner(context, province).run(
                d, by="station", top=TOP
            ),
        }
        total, each, _ = run_set(questions)
        samples.append((total, each))
    return median_set(samples[1:])  # the first day also builds the month-end slices


def fresh_process(spec_root: Path) -> float:
    """The query set in a new Python process (imports, Django, context, queries), wall time."""
    code = (
        "import sys, time; t = time.perf_counter(); sys.path.insert(0, 'bench'); "
        "from common import setup_django; from pathlib import Path; "
        f"setup_django(Path({str(spec_root / 'fucai')!r})); "
        "from fucai.analytics.backends import AnalyticsContext; "
        "from queries import fucai_questions; "
        "[f() for f in fucai_questions(AnalyticsContext()).values()]; "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


# -- raw SQL and pandas ----------------------------------------------------------------------------
def bench_raw_sql(spec: dict, reps: int) -> tuple[dict, dict]:
    import duckdb
    from queries import normalise_sql, raw_sql, raw_views

    raw = Path(spec["root"]) / "raw"
    statements = raw_sql()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    raw_views(con, raw / "facts.parquet", raw / "stations.parquet")
    questions = {q: (lambda sql=sql: con.execute(sql).fetchall()) for q, sql in statements.items()}
    samples, answers = [], None
    for _ in range(reps):
        total, each, results = run_set(questions)
        samples.append((total, each))
        answers = answers or normalise_sql(results)
    con.close()
    return median_set(samples), answers


def bench_pandas(spec: dict, reps: int) -> tuple[dict, dict]:
    from queries import load_pandas, pandas_questions

    raw = Path(spec["root"]) / "raw"
    load_s, (frame, stations) = timed(
        lambda: load_pandas(raw / "facts.parquet", raw / "stations.parquet")
    )
    questions = pandas_questions(frame, stations)
    samples, answers = [], None
    for _ in range(reps):
        total, each, results = run_set(questions)
        samples.append((total, each))
        answers = answers or results
    del frame
    return {**median_set(samples), "load_s": load_s}, answers


# -- import ----------------------------------------------------------------------------------------
def bench_import(spec: dict, reps: int, cli: bool) -> dict:
    root = Path(spec["root"])
    csv = root / "raw" / "facts.csv"
    scratch = root / "scratch"
    fucai_s, copy_disk_s, copy_mem_s, checks = [], [], [], []
    for _ in range(reps):
        seconds, ok = fucai_import(csv, scratch / "sales")
        fucai_s.append(seconds)
        checks.append(ok)
        copy_disk_s.append(duckdb_copy(csv, scratch / "copy.duckdb"))
        copy_mem_s.append(duckdb_copy(csv, None))
    out = {
        "rows": spec["rows"],
        "csv_mib": round(csv.stat().st_size / 2**20),
        "fucai_s": statistics.median(fucai_s),
        "fucai_samples_s": [round(s, 2) for s in fucai_s],
        "copy_disk_s": statistics.median(copy_disk_s),
        "copy_memory_s": statistics.median(copy_mem_s),
        "store_matches_generated": all(checks),
    }
    if cli:
        out["cli_s"] = cli_import(csv, scratch, root / "fucai" / "fucai.sqlite3")
    shutil.rmtree(scratch, ignore_errors=True)
    return out


def fucai_import(csv: Path, store_root: Path) -> tuple[float, bool]:
    """fucai's importer in this process, into an empty store; and whether the store then holds
    exactly the generated facts (row count, amount, every year's rollups)."""
    from fucai.sales.ingest.importer import import_files
    from fucai.sales.store import DATASETS, SalesStore

    shutil.rmtree(store_root, ignore_errors=True)
    store = SalesStore(store_root)
    seconds, outcome = timed(lambda: import_files([csv], store=store))
    if not outcome.ok:
        raise SystemExit(f"the import failed: {[str(e) for e in outcome.errors[:5]]}")
    return seconds, store_matches(store, SalesStore()) and all(
        store.manifest().years(ds) == store.manifest().years() for ds in DATASETS
    )


def store_matches(imported, generated) -> bool:
    import duckdb

    def fingerprint(store) -> tuple:
        files = [str(p) for p in store.paths("daily")]
        return (
            duckdb.connect()
            .execute(
                "SELECT count(*), sum(amount_fen), sum(tickets), "
                "sum(hash(date, station_code, game, amount_fen, tickets)::HUGEINT) "
                "FROM read_parquet(?)",
                [files],
            )
            .fetchone()
        )

    return fingerprint(imported) == fingerprint(generated)


COPY_SQL = (
    "CREATE TABLE sales (station_code VARCHAR, date DATE, game VARCHAR, "
    "amount DECIMAL(18, 2), tickets BIGINT)"
)


def duckdb_copy(csv: Path, database: Path | None) -> float:
    """A raw COPY of the CSV file into a DuckDB table (typed columns, nothing checked)."""
    import duckdb

    if database is not None:
        database.unlink(missing_ok=True)
        database.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(database) if database else ":memory:")
    con.execute("SET enable_progress_bar = false")
    con.execute(COPY_SQL)
    con.execute("COPY sales FROM ? (HEADER)", [str(csv)])
    con.close()
    seconds = time.perf_counter() - started
    if database is not None:
        database.unlink(missing_ok=True)
    return seconds


def cli_import(csv: Path, scratch: Path, database: Path) -> float:
    """`fucai sales import` in a new process, into an empty store (wall time)."""
    data_dir = scratch / "cli"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env = {
        **os.environ,
        "FUCAI_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{database}",
    }
    started = time.perf_counter()
    subprocess.run(
        [str(FUCAI), "sales", "import", str(csv), "--no-progress"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


# -- checks, results -------------------------------------------------------------------------------
def compare(name: str, fucai: dict, other: dict) -> list[str]:
    problems = []
    for question, answer in fucai.items():
        if other.get(question) != answer:
            problems.append(f"{question}: fucai and {name} differ")
    return problems


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of each query set")
    parser.add_argument("--pandas-reps", type=int, default=3)
    parser.add_argument("--import-reps", type=int, default=3)
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--no-cli", action="store_true", help="skip the `fucai sales import` run")
    args = parser.parse_args(argv)
    spec = {**read_spec(args.scale), "root": str(BENCH / "data" / args.scale)}
    setup_django(Path(spec["root"]) / "fucai")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # the code may have gained migrations since generate
    started, load_before = time.monotonic(), load_average()
    result: dict = {"scale": args.scale, "spec": spec, "machine": machine_facts()}

    log("fucai: cockpit query set")
    result["fucai"], fucai_answers = bench_fucai(args.reps)
    result["fucai"]["fresh_process_s"] = fresh_process(Path(spec["root"]))
    log("raw DuckDB SQL")
    result["raw_sql"], sql_answers = bench_raw_sql(spec, args.reps)
    problems = compare("raw SQL", fucai_answers, sql_answers)
    if not args.no_pandas:
        log("pandas")
        result["pandas"], pandas_answers = bench_pandas(spec, args.pandas_reps)
        problems += compare("pandas", fucai_answers, pandas_answers)
    result["answers_agree"] = not problems
    if problems:
        log("DISAGREEMENT: " + "; ".join(problems))
    if not args.no_import:
        log("import")
        result["import"] = bench_import(spec, args.import_reps, cli=not args.no_cli)
    result["load_average"] = {"before": load_before, "after": load_average()}
    result["wall_s"] = round(time.monotonic() - started)
    result["command"] = command_line(args)
    result["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.scale}.json").write_text(json.dumps(result, indent=1, default=str))
    from report import render

    (BENCH / "RESULTS.md").write_text(render(RESULTS))
    log(f"done in {result['wall_s']} s: bench/RESULTS.md")
    if problems:
        raise SystemExit(1)


def command_line(args) -> str:
    parts = [".venv/bin/python bench/run.py", f"--scale {args.scale}", f"--reps {args.reps}"]
    parts += [f"--pandas-reps {args.pandas_reps}", f"--import-reps {args.import_reps}"]
    parts += [
        flag
        for flag, on in (
            ("--no-import", args.no_import),
            ("--no-pandas", args.no_pandas),
            ("--no-cli", args.no_cli),
        )
        if on
    ]
    return " ".join(parts)


if __name__ == "__main__":
    main()
