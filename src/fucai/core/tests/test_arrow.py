"""fucai.core.arrow builds the same arrays as pyarrow's own constructors, and sums groups as
`Table.group_by` does (the process that asserts it has pandas loaded anyway)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest

from fucai.core import arrow

VALUES = [
    ([3, None, -7], pa.int64()),
    (np.array([2021, 2022], np.int64), pa.int32()),
    ([True, None, False], pa.bool_()),
    (np.array([True, False, True]), pa.bool_()),
    (["赣州", None, ""], pa.string()),
    ([dt.date(2023, 9, 3), None, dt.date(1969, 12, 31)], pa.date32()),
    ([Decimal("26.48"), None, Decimal("-3.10")], pa.decimal128(9, 2)),
]


@pytest.mark.parametrize(("values", "type_"), VALUES)
def test_an_array_equals_what_pa_array_makes_of_the_same_values(values, type_):
    made = arrow.array(values, type_)
    expected = pa.array(values, type_)
    assert made.type == type_
    assert made.equals(expected)
    assert made.null_count == expected.null_count


def test_numpy_reads_a_sliced_chunked_array_and_fills_nulls():
    column = pa.chunked_array([arrow.array([1, 2, 3], pa.int64()).slice(1), [None, 9]])
    assert arrow.numpy(column, fill=0).tolist() == [2, 3, 0, 9]
    with pytest.raises(ValueError):
        arrow.numpy(column)
    flags = arrow.array([True, False, True, True], pa.bool_()).slice(1)
    assert arrow.numpy(flags).tolist() == [False, True, True]


def test_groups_sum_like_group_by_with_a_null_key_as_its_own_group():
    city = arrow.array(["360700", "360400", None, "360700", "360400"], pa.string())
    year = arrow.array([2023, 2023, 2023, 2023, 2022], pa.int64())
    fen = np.array([100, 250, 7, 1_000_000_000_000, 5], np.int64)
    groups = arrow.Groups.of([city, year], 5)
    sums = dict(zip(zip(*groups.keys, strict=True), groups.sums(fen).tolist(), strict=True))
    table = pa.table({"city": city, "year": year, "fen": pa.array(fen)})
    expected = {
        (r["city"], r["year"]): r["fen_sum"]
        for r in table.group_by(["city", "year"]).aggregate([("fen", "sum")]).to_pylist()
    }
    assert sums == expected
    assert sums == {
        ("360700", 2023): 1_000_000_000_100,
        ("360400", 2023): 250,
        (None, 2023): 7,
        ("360400", 2022): 5,
    }


def test_an_empty_table_has_the_schema_and_no_rows():
    schema = pa.schema([pa.field("year", pa.int32(), nullable=False), ("code", pa.string())])
    empty = arrow.empty_table(schema)
    assert empty.schema == schema
    assert empty.num_rows == 0
