"""Start-up of fucai's commands: fresh processes, against a bare Django start.

    python bench/startup.py [--data-dir var] [--runs 7] [--src src] [--append]

Times new processes of
- a bare Django start: `settings.configure(INSTALLED_APPS=[contenttypes, auth]); django.setup()`;
- `fucai network summary --as-of 2023-09-03` and `fucai sales summary --as-of 2023-09-03`
  (on the data directory's database and store: the demo's, `./dev demo`, by default `var`);
- `fucai --help` and `fucai sales summary --format xlsx` without `--out` (refused at once);
round-robin (so the machine's load falls on all alike), `--runs` times each, and prints the median
wall time and CPU time (user + system) of each and its ratio to the bare start, in two settings:
with the bytecode cached (a normal installation after its first run; the cache goes to a private
PYTHONPYCACHEPREFIX, warmed by one unrecorded run) and without it (PYTHONDONTWRITEBYTECODE=1:
every module compiled in every process). `--src` runs another checkout's code (e.g. the main
branch's, for a before/after); `--append` adds the section to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
AS_OF = "2023-09-03"
BARE = (
    "import django; from django.conf import settings; "
    "settings.configure(INSTALLED_APPS=['django.contrib.contenttypes', 'django.contrib.auth']); "
    "django.setup()"
)
CASES = {
    "bare Django start": ["-c", BARE],
    "fucai network summary": ["-m", "fucai", "network", "summary", "--as-of", AS_OF],
    "fucai sales summary": ["-m", "fucai", "sales", "summary", "--as-of", AS_OF],
    "fucai --help": ["-m", "fucai", "--help"],
    "fucai sales summary --format xlsx (no --out)": [
        "-m", "fucai", "sales", "summary", "--as-of", AS_OF, "--format", "xlsx",
    ],
}  # fmt: skip
TARGETS = {"fucai network summary": 2.5, "fucai sales summary": 4.0}


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [python(), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and "xlsx" not in " ".join(args)):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(env: dict[str, str], runs: int) -> dict[str, tuple[float, float]]:
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in CASES}
    for _ in range(runs):
        for name, args in CASES.items():
            samples[name].append(run_once(args, env))
    return {
        name: (statistics.median(w for w, _c in s), statistics.median(c for _w, c in s))
        for name, s in samples.items()
    }


def environment(src: Path, data_dir: Path, cached: bool, cache: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "DJANGO_SETTINGS_MODULE")
    }
    env.update(PYTHONPATH=str(src), FUCAI_DATA_DIR=str(data_dir))
    if cached:
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def table(results: dict[str, tuple[float, float]]) -> list[str]:
    bare_wall, bare_cpu = results["bare Django start"]
    lines = [
        "| process | wall (median) | × bare | CPU (median) | × bare | target |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (wall, cpu) in results.items():
        target = f"≤ {TARGETS[name]}×" if name in TARGETS else ""
        lines.append(
            f"| `{name}` | {wall:.2f} s | {wall / bare_wall:.1f}× | {cpu:.2f} s | "
            f"{cpu / bare_cpu:.1f}× | {target} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT / "var", help="FUCAI_DATA_DIR (the demo's)"
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the code to run")
    parser.add_argument("--append", action="store_true", help="append the section to RESULTS.md")
    args = parser.parse_args()
    if not (args.data_dir / "fucai.sqlite3").exists() and "DATABASE_URL" not in os.environ:
        raise SystemExit(f"{args.data_dir}: no fucai database; build the demo first (./dev demo)")
    sections = []
    with tempfile.TemporaryDirectory(prefix="fucai-pyc-") as cache:
        for cached in (True, False):
            env = environment(args.src.resolve(), args.data_dir.resolve(), cached, Path(cache))
            if cached:
                measure(env, 1)  # fills the bytecode cache; not recorded
            label = "bytecode cached" if cached else "no bytecode cache (PYTHONDONTWRITEBYTECODE=1)"
            sections += ["", f"{label}:", "", *table(measure(env, args.runs))]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    text = "\n".join(
        [
            "",
            "## Command start-up (bench/startup.py)",
            "",
            f"`python bench/startup.py --runs {args.runs}` on {time.strftime('%Y-%m-%d %H:%M')} "
            f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"load average after the run {load}), code from `{args.src}`, data from the demo. "
            f"Fresh processes, round-robin, median of {args.runs} runs each.",
            *sections,
            "",
        ]
    )
    print(text)
    if args.append:
        with open(BENCH / "RESULTS.md", "a", encoding="utf-8") as out:
            out.write(text)


if __name__ == "__main__":
    main()
