"""SQL text without splicing: the one place that quotes identifiers, and DuckDB views whose values
(file paths, dates) are passed as Python values.

Names (tables, views, columns) go through `quote_identifier`; values are bound as parameters
(`con.execute("… read_parquet(?) …", [paths])`). A view's definition cannot hold a parameter in
DuckDB, so views are made through DuckDB's relational API (`parquet_view`), which takes the values
as Python objects and writes them into the view itself. (DuckDB's relational API refuses to
run while a result of `con.execute` is not read to its end: use `fetchall()` on connections
that also make views.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def quote_identifier(name: str, dialect: str = "duckdb") -> str:
    """`name` as a quoted SQL identifier of `dialect` (embedded quotes doubled or escaped).
    sqlglot is imported here, on first use (≈ 0.1 s: commands that write no SQL skip it)."""
    import sqlglot

    return sqlglot.exp.to_identifier(name, quoted=True).sql(dialect=dialect)


def identifier_list(names: Iterable[str], dialect: str = "duckdb") -> str:
    """Quoted identifiers separated by commas (a projection or a USING list)."""
    return ", ".join(quote_identifier(n, dialect) for n in names)


def parquet_view(con, name: str, paths: Sequence[str], columns: Sequence[str] | None = None):
    """Create or replace the DuckDB view `name` over the Parquet files `paths` (only `columns`
    if given); `con` is a duckdb connection. The paths never pass through SQL text."""
    import duckdb

    relation = con.read_parquet([str(p) for p in paths])
    if columns:
        relation = relation.select(*(duckdb.ColumnExpression(c) for c in columns))
    relation.create_view(name, replace=True)
