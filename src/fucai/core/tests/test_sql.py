"""fucai.core.sql: identifiers quoted by one helper, values never spliced into SQL text."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from fucai.core.sql import identifier_list, parquet_view, quote_identifier


def test_an_identifier_is_quoted_with_its_quotes_doubled():
    assert quote_identifier("station_code") == '"station_code"'
    assert quote_identifier('a"; DROP TABLE x; --') == '"a""; DROP TABLE x; --"'
    assert quote_identifier("o`neil", dialect="spark") == "`o``neil`"
    assert identifier_list(["date", "d0101"]) == '"date", "d0101"'


def test_a_quoted_identifier_names_exactly_that_table_in_duckdb():
    con = duckdb.connect()
    name = 'o\'neil "t"; --'
    con.execute(f"CREATE TABLE {quote_identifier(name)} AS SELECT 42 AS {quote_identifier(name)}")
    assert con.execute(
        f"SELECT {quote_identifier(name)} FROM {quote_identifier(name)}"
    ).fetchall() == [(42,)]


def test_a_parquet_view_reads_files_whose_path_holds_quotes_and_sql(tmp_path):
    folder = tmp_path / "o'neil data;--" / '"x"'
    folder.mkdir(parents=True)
    for n, amounts in enumerate(([1, 2], [30])):
        pq.write_table(
            pa.table({"amount_fen": amounts, "game": ["ssq"] * len(amounts)}),
            folder / f"f{n}'.parquet",
        )
    con = duckdb.connect()
    parquet_view(con, "facts", [str(p) for p in sorted(folder.iterdir())], ["amount_fen"])
    assert con.execute("SELECT * FROM facts ORDER BY 1").fetchall() == [(1,), (2,), (30,)]
    parquet_view(con, "facts", [str(folder / "f1'.parquet")])  # replaced, every column
    assert con.execute("SELECT * FROM facts").fetchall() == [(30, "ssq")]
