"""Arrow arrays and tables from Python values and numpy, and numpy from Arrow, without pandas.

pyarrow imports pandas (≈ 0.25–0.6 s in a fresh process) the first time it is given Python or
numpy values (`pa.array`, `pa.table`, `pa.scalar`, a Python scalar in a compute function,
`Schema.empty_table`), turns an array into numpy (`to_numpy`) or groups a table
(`Table.group_by` loads pyarrow.dataset, which loads pandas). A command computes with Arrow in a
new process each time, so the analytics and the store build their arrays here, from buffers:
the values are the same, pandas stays unloaded. Types other than those below fall back to
`pa.array` (and pandas).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EPOCH = dt.date(1970, 1, 1)
_NUMERIC = {
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.uint8(): np.uint8,
    pa.uint16(): np.uint16,
    pa.uint32(): np.uint32,
    pa.uint64(): np.uint64,
    pa.float32(): np.float32,
    pa.float64(): np.float64,
    pa.date32(): np.int32,  # days since 1970-01-01
}


def _bits(mask: np.ndarray) -> pa.Buffer:
    return pa.py_buffer(np.packbits(np.asarray(mask, bool), bitorder="little"))


def _validity(values: Sequence) -> tuple[pa.Buffer | None, int]:
    valid = np.fromiter((v is not None for v in values), bool, len(values))
    nulls = len(values) - int(valid.sum())
    return (_bits(valid) if nulls else None), nulls


def _numeric(values, type_: pa.DataType) -> pa.Array:
    dtype = _NUMERIC[type_]
    if isinstance(values, np.ndarray) and values.dtype != object:
        data = np.ascontiguousarray(values, dtype)
        return pa.Array.from_buffers(type_, len(data), [None, pa.py_buffer(data)])
    values = list(values)
    validity, nulls = _validity(values)
    if type_ == pa.date32():
        plain = [0 if v is None else (v - EPOCH).days for v in values]
    else:
        plain = [0 if v is None else v for v in values]
    data = np.array(plain, dtype)
    return pa.Array.from_buffers(type_, len(data), [validity, pa.py_buffer(data)], nulls)


def _boolean(values) -> pa.Array:
    if isinstance(values, np.ndarray) and values.dtype == bool:
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, _bits(values)])
    values = list(values)
    validity, nulls = _validity(values)
    data = _bits(np.array([bool(v) for v in values], bool))
    return pa.Array.from_buffers(pa.bool_(), len(values), [validity, data], nulls)


def _string(values) -> pa.Array:
    values = list(values)
    validity, nulls = _validity(values)
    encoded = [b"" if v is None else str(v).encode() for v in values]
    offsets = np.zeros(len(encoded) + 1, np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.string(), len(encoded), buffers, nulls)


def _decimal(values, type_: pa.DataType) -> pa.Array:
    texts = [None if v is None else str(decimal.Decimal(v)) for v in values]
    return pc.cast(_string(texts), type_)


def array(values, type_: pa.DataType) -> pa.Array:
    """An array of `type_` from a numpy array or a sequence of Python values (None → null)."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values if values.type == type_ else values.cast(type_)
    if type_ in _NUMERIC:
        return _numeric(values, type_)
    if type_ == pa.bool_():
        return _boolean(values)
    if type_ == pa.string():
        return _string(values)
    if pa.types.is_decimal(type_):
        return _decimal(values, type_)
    return pa.array(values, type_)


def scalar(value, type_: pa.DataType) -> pa.Scalar:
    """A scalar of `type_` (for compute functions: a Python value there loads pandas)."""
    return array([value], type_)[0]


def table(columns: Mapping[str, object] | Sequence, schema: pa.Schema) -> pa.Table:
    """A table of `schema` from its columns (by name, or in the schema's order)."""
    if isinstance(columns, Mapping):
        columns = [columns[f.name] for f in schema]
    arrays = [array(c, f.type) for c, f in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def empty_table(schema: pa.Schema) -> pa.Table:
    return table([[] for _ in schema], schema)


def _single(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
    return values


def numpy(values: pa.Array | pa.ChunkedArray, fill=None) -> np.ndarray:
    """A numeric, date (days since 1970) or boolean array as numpy (a copy for booleans and
    chunked arrays). Nulls are replaced by `fill`; without `fill` they are an error."""
    values = _single(values)
    if values.null_count:
        if fill is None:
            raise ValueError("nulls in an array without a fill value")
        values = pc.fill_null(values, scalar(fill, values.type))
    n, offset = len(values), values.offset
    if values.type == pa.bool_():
        if n == 0:
            return np.zeros(0, bool)
        bits = np.frombuffer(values.buffers()[1], np.uint8)
        return np.unpackbits(bits, bitorder="little", count=offset + n)[offset:].astype(bool)
    dtype = np.dtype(_NUMERIC[values.type])
    if n == 0:
        return np.zeros(0, dtype)
    return np.frombuffer(values.buffers()[1], dtype, count=n, offset=offset * dtype.itemsize)


@dataclass(frozen=True)
class Groups:
    """The groups of some key columns: each row's group number and each group's key values
    (null keys are a group of their own, as in `Table.group_by`)."""

    ids: np.ndarray  # int64, one per row
    keys: list[list]  # per key column, the value of each group

    @property
    def count(self) -> int:
        return len(self.keys[0]) if self.keys else int(len(self.ids) > 0)

    @classmethod
    def of(cls, columns: Sequence[pa.Array | pa.ChunkedArray], rows: int) -> Groups:
        if not columns:
            return cls(np.zeros(rows, np.int64), [])
        code, count = np.zeros(rows, np.int64), 1
        for column in map(_single, columns):
            encoded = pc.dictionary_encode(column)
            size = len(encoded.dictionary) + 1  # a null key is number len(dictionary)
            code = code * size + numpy(encoded.indices, fill=size - 1).astype(np.int64)
            if count * size > 2**40:  # renumber densely before the numbers could overflow
                uniques, code = np.unique(code, return_inverse=True)
                code, count = code.reshape(-1).astype(np.int64), len(uniques)
            count *= size
        _unique, first, ids = np.unique(code, return_index=True, return_inverse=True)
        index = array(first.astype(np.int64), pa.int64())
        keys = [column.take(index).to_pylist() for column in columns]
        return cls(ids.reshape(-1).astype(np.int64), keys)

    def sums(self, values: np.ndarray) -> np.ndarray:
        """The exact int64 sum of `values` in each group."""
        out = np.zeros(self.count, np.int64)
        np.add.at(out, self.ids, values.astype(np.int64, copy=False))
        return out
