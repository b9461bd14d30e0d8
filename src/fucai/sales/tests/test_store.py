from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap

import pyarrow as pa
import pytest

from fucai.sales.store import DAILY, DAILY_SCHEMA, MONTHLY, SalesStore

pytestmark = pytest.mark.usefixtures("english")


def daily(rows: list[tuple]) -> pa.Table:
    cols = list(zip(*rows, strict=True))
    return pa.table(
        [pa.array(c, f.type) for c, f in zip(cols, DAILY_SCHEMA, strict=True)], schema=DAILY_SCHEMA
    )


BEFORE = [
    (dt.date(2022, 3, 1), "36110214", "ssq", 100_00, 50),
    (dt.date(2023, 3, 1), "36110214", "ssq", 200_00, 100),
    (dt.date(2023, 3, 1), "36110214", "instant", 50_00, 5),
    (dt.date(2023, 3, 2), "36040001", "3d", 30_00, 15),
]
CORRECTION = [
    (dt.date(2022, 3, 1), "36110214", "ssq", 999_00, 1),
    (dt.date(2023, 3, 1), "36110214", "ssq", 999_00, 1),
]

# a SalesStore that kills its own process (SIGKILL) at the checkpoint named by argv[2]
CRASHING_STORE = textwrap.dedent("""
    import datetime as dt, os, signal, sys
    import numpy as np, pyarrow as pa
    from fucai.sales.store import DAILY_SCHEMA, FactBlock, SalesStore, YearStream

    root, stage = sys.argv[1], sys.argv[2]

    class Crashing(SalesStore):
        def checkpoint(self, name):
            if name == stage:
                os.kill(os.getpid(), signal.SIGKILL)
""")
CRASHING_WRITER = CRASHING_STORE + textwrap.dedent("""
    rows = [(dt.date(2022, 3, 1), "36110214", "ssq", 99900, 1),
            (dt.date(2023, 3, 1), "36110214", "ssq", 99900, 1)]
    cols = list(zip(*rows))
    arrays = [pa.array(c, f.type) for c, f in zip(cols, DAILY_SCHEMA)]
    Crashing(root).write_facts(pa.table(arrays, schema=DAILY_SCHEMA))
    print("finished")
""")


def run_crashing_writer(root, stage: str, script: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-c", script or CRASHING_WRITER, str(root), stage],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_a_commit_writes_year_partitions_sorted_with_monthly_rollups(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(daily(BEFORE))
    manifest = store.manifest()
    assert manifest.years() == [2022, 2023]
    assert manifest.files(DAILY)[1].startswith("daily/year=2023/v000001-")
    assert manifest.rows[MONTHLY] == {2022: 1, 2023: 3}
    assert store.read_daily().to_pylist()[1:3] == [
        {
            "date": dt.date(2023, 3, 1),
            "station_code": "36110214",
            "game": "instant",
            "amount_fen": 5000,
            "tickets": 5,
        },
        {
            "date": dt.date(2023, 3, 1),
            "station_code": "36110214",
            "game": "ssq",
            "amount_fen": 20000,
            "tickets": 100,
        },
    ]


@pytest.mark.parametrize("stage", ["partitions_written", "manifest_written"])
def test_a_writer_killed_before_the_manifest_swap_leaves_the_previous_state(tmp_path, stage):
    store = SalesStore(tmp_path)
    store.write_facts(daily(BEFORE))
    manifest, data = store.manifest(), store.read_daily()
    result = run_crashing_writer(tmp_path, stage)
    assert result.returncode == -9, result.stderr
    assert "finished" not in result.stdout
    assert store.manifest() == manifest
    assert store.read_daily().equals(data)
    leftovers = store.gc(grace=dt.timedelta(0))
    # the new daily, monthly and ytd files of 2022 and 2023, never referenced (and the
    # unswapped manifest)
    assert len([p for p in leftovers if p.suffix == ".parquet"]) == 6
    assert [p.name for p in leftovers if p.suffix == ".tmp"] == (
        [] if stage == "partitions_written" else [leftovers[-1].name]
    )
    assert not list(tmp_path.rglob("*.tmp"))
    assert store.read_daily().equals(data)


def test_a_writer_killed_right_after_the_swap_leaves_the_new_state(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(daily(BEFORE))
    result = run_crashing_writer(tmp_path, "swapped")
    assert result.returncode == -9
    assert store.manifest().version == 2
    assert [r["amount_fen"] for r in store.read_daily().to_pylist()] == [
        99900,
        99900,
        3000,
    ]  # the instant row of the replaced station-day went


def test_an_error_between_writing_and_swapping_leaves_the_previous_state(tmp_path):
    class Failing(SalesStore):
        def checkpoint(self, name):
            if name == "manifest_written":
                raise OSError("disk full")

    store = SalesStore(tmp_path)
    store.write_facts(daily(BEFORE))
    before, data = store.manifest(), store.read_daily()
    with pytest.raises(OSError):
        Failing(tmp_path).write_facts(daily(CORRECTION))
    assert store.manifest() == before
    assert store.read_daily().equals(data)


def test_superseded_files_are_collected_only_after_the_grace_period(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(daily(BEFORE))
    old_files = [tmp_path / p for p in store.manifest().files(DAILY)]
    store.write_facts(daily(CORRECTION))
    assert store.gc() == []
    assert all(p.exists() for p in old_files)
    deleted = store.gc(grace=dt.timedelta(0))
    assert set(old_files) <= set(deleted)
    assert store.manifest().retired == {}
    assert [r["amount_fen"] for r in store.read_daily().to_pylist()] == [
        99900,
        99900,
        3000,
    ]  # the instant row of the replaced station-day went


def test_clearing_the_store_retires_every_file(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(daily(BEFORE))
    files = [tmp_path / p for p in store.manifest().files(DAILY)]
    cleared = store.clear()
    assert cleared.years() == [] and store.read_daily().num_rows == 0
    assert all(p.exists() for p in files)
    assert set(files) <= set(store.gc(grace=dt.timedelta(0)))


def test_rebuilding_the_rollups_gives_the_same_sums(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(daily(BEFORE))
    import pyarrow.parquet as pq

    before = pq.read_table(store.paths(MONTHLY)[1]).to_pylist()
    store.rebuild_rollups()
    assert store.manifest().version == 2
    assert (
        pq.read_table(store.paths(MONTHLY)[1]).to_pylist()
        == before
        == [
            {
                "month": dt.date(2023, 3, 1),
                "station_code": "36040001",
                "game": "3d",
                "amount_fen": 3000,
                "tickets": 15,
            },
            {
                "month": dt.date(2023, 3, 1),
                "station_code": "36110214",
                "game": "instant",
                "amount_fen": 5000,
                "tickets": 5,
            },
            {
                "month": dt.date(2023, 3, 1),
                "station_code": "36110214",
                "game": "ssq",
                "amount_fen": 20000,
                "tickets": 100,
            },
        ]
    )


CRASHING_STREAM = CRASHING_STORE + textwrap.dedent("""
    store = Crashing(root)
    stations, games = pa.array(["36040001", "36110214"]), pa.array(["3d", "ssq"])
    day = np.array([(dt.date(y, m, d) - dt.date(1970, 1, 1)).days
                    for y, m, d in ((2024, 12, 31), (2025, 1, 2))], np.int32)
    station, game = np.array([1, 1], np.int32), np.array([1, 0], np.int32)
    fen, tickets = np.array([100, 200]), np.array([1, 2])
    table = pa.table({
        "date": pa.array(day).cast(pa.date32()),
        "station_code": pa.DictionaryArray.from_arrays(pa.array(station), stations),
        "game": pa.DictionaryArray.from_arrays(pa.array(game), games),
        "amount_fen": pa.array(fen), "tickets": pa.array(tickets)})
    stream = YearStream(store, stations, games)
    stream.add(FactBlock(table, day, station, game, fen, tickets))
    if stage == "streaming":
        os.kill(os.getpid(), signal.SIGKILL)
    store.commit_written(stream.finish())
    print("finished")
""")


@pytest.mark.parametrize("stage", ["streaming", "partitions_written", "manifest_written"])
def test_a_streaming_writer_killed_before_the_swap_leaves_the_previous_state(tmp_path, stage):
    store = SalesStore(tmp_path)
    store.write_facts(daily(BEFORE))
    manifest, data = store.manifest(), store.read_daily()
    result = run_crashing_writer(tmp_path, stage, CRASHING_STREAM)
    assert result.returncode == -9, result.stderr
    assert store.manifest() == manifest
    assert store.read_daily().equals(data)
    store.gc(grace=dt.timedelta(0))
    assert not list(tmp_path.rglob("*.tmp"))
    files = [p.relative_to(tmp_path).parts for p in tmp_path.rglob("*") if p.is_file()]
    assert not [f for f in files if {"year=2024", "year=2025"} & set(f)]
    assert store.read_daily().equals(data)


def test_a_streaming_writer_commits_new_years_with_their_rollups(tmp_path):
    store = SalesStore(tmp_path)
    store.write_facts(daily(BEFORE))
    result = run_crashing_writer(tmp_path, "none", CRASHING_STREAM)
    assert result.stdout.strip() == "finished", result.stderr
    manifest = store.manifest()
    assert manifest.years() == [2022, 2023, 2024, 2025]
    assert manifest.rows[MONTHLY] == {2022: 1, 2023: 3, 2024: 1, 2025: 1}
    assert store.read_daily().to_pylist()[-2:] == [
        {
            "date": dt.date(2024, 12, 31),
            "station_code": "36110214",
            "game": "ssq",
            "amount_fen": 100,
            "tickets": 1,
        },
        {
            "date": dt.date(2025, 1, 2),
            "station_code": "36110214",
            "game": "3d",
            "amount_fen": 200,
            "tickets": 2,
        },
    ]


AWKWARD_DIR = 'o\'neil data;-- "x" [1]'  # a quote, SQL comment, double quotes, brackets


def test_the_store_works_in_a_directory_whose_name_holds_quotes_and_sql(tmp_path):
    from fucai.sales.demo.builder import store_fingerprint, tables_fingerprint

    store = SalesStore(tmp_path / AWKWARD_DIR / "sales")
    store.write_facts(daily(BEFORE))
    result = store.write_facts(daily(CORRECTION))  # merges with the stored years' files
    assert result.changed_years == (2022, 2023)
    assert [(r["date"], r["game"], r["amount_fen"]) for r in store.read_daily().to_pylist()] == [
        (dt.date(2022, 3, 1), "ssq", 999_00),
        (dt.date(2023, 3, 1), "ssq", 999_00),
        (dt.date(2023, 3, 2), "3d", 30_00),
    ]
    assert store.manifest().rows[MONTHLY] == {2022: 1, 2023: 2}
    assert store.write_facts(daily(CORRECTION)).changed_years == ()  # same rows: files kept
    assert store_fingerprint(store) == tables_fingerprint([store.read_daily()])


def test_the_facts_table_may_have_any_name(tmp_path):
    import duckdb

    store = SalesStore(tmp_path / "sales")
    store.write_facts(daily(BEFORE))
    con = duckdb.connect()
    name = 'new "facts"; -- of 2023'
    con.register(name, daily(CORRECTION))
    assert store.replace_station_days(con, name).changed_years == (2022, 2023)
    assert store.read_daily().num_rows == 3
