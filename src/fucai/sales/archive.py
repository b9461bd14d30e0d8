"""The monthly sales archive: city × game category × month, for the years before daily data.

Record highs (fucai.analytics.runners, "record high") compare a year to date with the same
window of every earlier year; the daily facts start in 2021, so the years before come from this
archive (docs/formats.md, "Monthly archive"). It is one small Parquet file next to the store,
content-addressed and named by `sales/archive.json`, swapped atomically like the manifest:

    sales/archive.json                      {"file": "archive/<sha>.parquet", "sha256": …}
    sales/archive/<sha>.parquet             city_code, category, month, amount_fen

Its rows are city-level: the analytics read it as table "archive", scoped by city (a city user
sees their city's rows; a county, a market manager or an owner none).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fucai.core import arrow
from fucai.sales.store import SalesStore, fsync_dir, fsync_file, write_json_atomic

ARCHIVE = "archive"
ARCHIVE_MANIFEST = "archive.json"
ARCHIVE_SCHEMA = pa.schema(
    [
        pa.field("city_code", pa.string(), nullable=False),
        pa.field("category", pa.string(), nullable=False),
        pa.field("month", pa.date32(), nullable=False),
        pa.field("amount_fen", pa.int64(), nullable=False),
    ]
)
KEYS = ("city_code", "category", "month")


def _pointer(store: SalesStore) -> dict:
    path = store.root / ARCHIVE_MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def archive_stamp(store: SalesStore) -> str:
    """The current archive's content hash ("" without an archive): part of cache keys."""
    return _pointer(store).get("sha256", "")


def archive_file(store: SalesStore) -> Path:
    """The current archive file, or a zero-row file with its schema."""
    name = _pointer(store).get("file")
    if name:
        return store.root / name
    path = store.root / "_empty" / f"{ARCHIVE}.parquet"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        pq.write_table(arrow.empty_table(ARCHIVE_SCHEMA), tmp)
        os.replace(tmp, path)
    return path


def read_archive(store: SalesStore) -> pa.Table:
    """Every archive row (unscoped: for the importer and tests; runners use ScopedTables)."""
    return pq.read_table(archive_file(store), schema=ARCHIVE_SCHEMA)


def sorted_rows(rows: pa.Table) -> pa.Table:
    return rows.sort_by([(k, "ascending") for k in KEYS])


def merged(old: pa.Table, new: pa.Table) -> pa.Table:
    """The archive with the cells (city, category, month) of `new` set and every other cell of
    `old` kept."""
    new = new.cast(ARCHIVE_SCHEMA)
    key = _key_column(new)
    keep = pc.invert(pc.is_in(_key_column(old), value_set=key)) if old.num_rows else None
    kept = old.filter(keep) if keep is not None else old
    return sorted_rows(pa.concat_tables([kept, new]))


def _key_column(rows: pa.Table) -> pa.Array:
    months = pc.strftime(pc.cast(rows["month"], pa.timestamp("s")), format="%Y-%m")
    separator = arrow.scalar("|", pa.string())
    return pc.binary_join_element_wise(rows["city_code"], rows["category"], months, separator)


def write_archive(store: SalesStore, rows: pa.Table) -> str:
    """Make `rows` the archive (atomically). Returns its hash."""
    with store.locked(".archive.lock"):
        return _write(store, rows)


def update_archive(store: SalesStore, rows: pa.Table) -> str:
    """Set the archive's cells that `rows` holds, keeping the others (read and written under
    the archive's lock, so two imports do not lose each other's cells). Returns its hash."""
    with store.locked(".archive.lock"):
        return _write(store, merged(read_archive(store), rows))


def _write(store: SalesStore, rows: pa.Table) -> str:
    rows = sorted_rows(rows.cast(ARCHIVE_SCHEMA))
    sink = pa.BufferOutputStream()
    pq.write_table(rows, sink)
    data = sink.getvalue().to_pybytes()
    sha = hashlib.sha256(data).hexdigest()
    previous = _pointer(store).get("file")
    name = f"{ARCHIVE}/{sha[:16]}.parquet"
    final = store.root / name
    final.parent.mkdir(parents=True, exist_ok=True)
    if not final.exists():
        tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_bytes(data)
        fsync_file(tmp)
        os.replace(tmp, final)
        fsync_dir(final.parent)
    if name != previous:
        written = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        pointer = {"file": name, "sha256": sha, "rows": rows.num_rows, "written_at": written}
        write_json_atomic(store.root / ARCHIVE_MANIFEST, pointer)
    _prune(final.parent, keep={final.name, Path(previous or "").name})
    return sha


def clear_archive(store: SalesStore) -> None:
    """Remove the archive (the demo's wipe)."""
    with store.locked(".archive.lock"):
        (store.root / ARCHIVE_MANIFEST).unlink(missing_ok=True)


def _prune(folder: Path, keep: set[str]) -> None:
    """Delete archive files other than the current and the previous one (a reader that opened
    the previous pointer a moment ago can still read its file)."""
    for path in folder.glob("*.parquet"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
