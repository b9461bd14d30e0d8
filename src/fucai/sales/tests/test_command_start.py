"""What a fresh `fucai sales summary` and `fucai network summary` process imports.

The summary reads the ytd rollup, the archive and the Ministry table with Arrow in process: it
needs neither Ibis nor DuckDB nor sqlglot, and it builds its arrays without pandas
(fucai.core.arrow). Each test copies the test database to a file, runs the command in a new
Python process on it and the test's store, and lists the heavy modules that process imported.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from fucai.core.tests.test_settings import SRC
from fucai.sales.tests.test_analytics import HISTORY

HEAVY = ("pandas", "ibis", "sqlglot", "duckdb")
PROBE = (
    "import sys\n"
    "from fucai.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    f"    print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
)

pytestmark = [
    pytest.mark.usefixtures("english"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # a transactional test ends by emptying the database: put the divisions back for later tests
    pytest.mark.usefixtures("restore_migrated_data"),
]


@pytest.fixture
def imported(network, store, write_csv):
    """The test network's sales 2021 … 2023 in the test's store (committed: another process
    reads them)."""
    call_command("sales", "import", str(write_csv("history.csv", HISTORY)), "--no-progress")
    return store


def database_url(tmp_path: Path) -> str:
    """A URL a new process can open with what this test wrote: a copy of the SQLite test
    database, or the PostgreSQL test database itself (the test's data is committed)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "copy.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    s = connection.settings_dict
    user = f"{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}@"
    return f"postgresql://{user}{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def run_fresh(args: list[str], store, url: str) -> tuple[str, list[str]]:
    """stdout of `fucai ARGS` in a new process, and the heavy modules it imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FUCAI_", "DJANGO_"))}
    env.update(
        PYTHONPATH=SRC,
        FUCAI_DATA_DIR=str(store.root.parent),
        DATABASE_URL=url,
        FUCAI_LANGUAGE="en",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, json.loads(result.stderr.strip().splitlines()[-1].replace("'", '"'))


def test_a_fresh_sales_summary_gives_the_same_figures_without_pandas_ibis_or_sqlglot(
    imported, tmp_path, capsys
):
    args = ["sales", "summary", "--as-of", "2023-09-03", "--by", "city", "--format", "json"]
    capsys.readouterr()
    call_command(*args)
    here = json.loads(capsys.readouterr().out)
    url = database_url(tmp_path)
    (imported.root / "dims.json").unlink(missing_ok=True)  # the first run builds the snapshot
    for _ in range(2):  # then reuses it
        out, heavy = run_fresh(args, imported, url)
        assert heavy == []
        data = json.loads(out)
        assert data == here
        assert data["total"]["amount_yuan"] == "6500.00"
        assert data["total"]["prior_amount_yuan"] == "5400.00"


def test_a_fresh_network_summary_imports_no_analytics(network, store, tmp_path):
    out, heavy = run_fresh(
        ["network", "summary", "--as-of", "2023-09-03"], store, database_url(tmp_path)
    )
    assert heavy == []
    figures = dict(line.rsplit(maxsplit=1) for line in out.splitlines()[1:])
    assert figures["Open stations"] == "5"
    assert figures["Opened this year"] == "3"
