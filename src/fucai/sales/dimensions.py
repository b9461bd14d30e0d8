"""The dimension snapshot: what the analytics runners join the sales facts with.

Stations (city, county, scene, operation, partner, Party-member owner), market-manager
assignments with their validity, the games catalogue and the Ministry of Finance table live in
the Django database. The runners (DuckDB or Spark) read them as Parquet files written next to
the facts, under `sales/dims/<content hash>/`, named by `sales/dims.json`.

Freshness: `current_dimensions()` rebuilds the tables from the database, hashes their content
and compares the hash with the snapshot's. Equal → the snapshot is used as is; different → a new
snapshot is written (content-addressed, atomic swap of dims.json). That costs a new process
≈ 0.3 s for a province's network, so each full check is recorded in dims.json ("confirmed": the
cheap network signature it was made under, and when), and for FULL_CHECK_SECONDS any process
whose signature is the same takes the snapshot without rebuilding: every change made through
the ORM moves the signature (counts, highest ids, last update, the audit trail's highest id) and
is seen at once; a change made around the ORM (raw SQL) is seen after at most
FULL_CHECK_SECONDS, or at once after `fucai sales refresh-dimensions` (always a full check).
Callers that serve many queries keep the snapshot (fucai.analytics.backends.AnalyticsContext).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from fucai.core import arrow
from fucai.sales.store import SalesStore, fsync_dir, fsync_file, write_json_atomic

DIMS_MANIFEST = "dims.json"

STATIONS_SCHEMA = pa.schema(
    [
        ("station_code", pa.string()),
        ("station_name", pa.string()),
        ("city_code", pa.string()),
        ("city_name", pa.string()),
        ("county_code", pa.string()),
        ("county_name", pa.string()),
        ("scene", pa.string()),
        ("operation", pa.string()),
        ("partner_code", pa.string()),
        ("partner_name", pa.string()),
        ("party_member", pa.string()),
        ("brand", pa.string()),
    ]
)
ASSIGNMENTS_SCHEMA = pa.schema(
    [
        ("station_code", pa.string()),
        ("manager_code", pa.string()),
        ("manager_name", pa.string()),
        ("valid_from", pa.date32()),
        ("valid_to", pa.date32()),
    ]
)
GAMES_SCHEMA = pa.schema(
    [
        ("game", pa.string()),
        ("game_name", pa.string()),
        ("category", pa.string()),
        ("sort_order", pa.int64()),
    ]
)
MOF_SCHEMA = pa.schema(
    [
        ("year", pa.int64()),
        ("month", pa.int64()),
        ("region", pa.string()),
        ("lottery", pa.string()),
        ("month_amount_fen", pa.int64()),
        ("month_yoy_pct", pa.decimal128(9, 2)),
        ("ytd_amount_fen", pa.int64()),
        ("ytd_yoy_pct", pa.decimal128(9, 2)),
        ("note", pa.string()),
    ]
)
SCHEMAS = {
    "stations": STATIONS_SCHEMA,
    "assignments": ASSIGNMENTS_SCHEMA,
    "games": GAMES_SCHEMA,
    "mof": MOF_SCHEMA,
}

# "yes"/"no" rather than a boolean: it is a grouping key like the others.
PARTY_YES, PARTY_NO = "yes", "no"


def _stations() -> pa.Table:
    """The station dimension. Its `party_member` is "yes" for a 党员先锋示范岗 only (a Party
    member who consented to show it, fucai.party.vanguard): the analytics are read by roles
    that must not learn who the other members are, so no group, count or sum tells them."""
    from django.db.models import BooleanField, ExpressionWrapper

    from fucai.network.models import Station
    from fucai.party.vanguard import vanguard_q

    vanguard = ExpressionWrapper(vanguard_q(prefix="owner"), output_field=BooleanField())
    rows = (
        Station.objects.annotate(vanguard=vanguard)
        .order_by("code")
        .values_list(
            "code",
            "name",
            "city__code",
            "city__name",
            "county__code",
            "county__name",
            "scene",
            "operation",
            "partner_id",
            "partner__name",
            "vanguard",
            "brand",
        )
    )
    cols: list[list] = [[] for _ in STATIONS_SCHEMA]
    for row in rows.iterator(chunk_size=5000):
        values = list(row)
        values[8] = "" if values[8] is None else str(values[8])
        values[9] = values[9] or ""
        values[10] = PARTY_YES if values[10] else PARTY_NO
        for col, value in zip(cols, values, strict=True):
            col.append(value)
    return arrow.table(cols, STATIONS_SCHEMA)


def _assignments() -> pa.Table:
    from fucai.network.models import StationAssignment

    rows = StationAssignment.objects.order_by("station__code", "valid_from", "pk").values_list(
        "station__code", "manager__employee_code", "manager__name", "valid_from", "valid_to"
    )
    cols: list[list] = [[] for _ in ASSIGNMENTS_SCHEMA]
    for row in rows.iterator(chunk_size=5000):
        for col, value in zip(cols, row, strict=True):
            col.append(value)
    return arrow.table(cols, ASSIGNMENTS_SCHEMA)


def _games() -> pa.Table:
    from fucai.sales.models import Game

    rows = list(
        Game.objects.order_by("sort_order", "code").values_list(
            "code", "name", "category", "sort_order"
        )
    )
    return arrow.table(
        [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in GAMES_SCHEMA],
        GAMES_SCHEMA,
    )


def _mof() -> pa.Table:
    from fucai.sales.models import MofReport

    fields = [f.name for f in MOF_SCHEMA]
    rows = list(
        MofReport.objects.order_by("year", "month", "region", "lottery").values_list(*fields)
    )
    return arrow.table(
        [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in MOF_SCHEMA],
        MOF_SCHEMA,
    )


def build_dimension_tables() -> dict[str, pa.Table]:
    """The dimension tables as they are in the database right now (all rows: scope is applied
    by the analytics layer)."""
    return {
        "stations": _stations(),
        "assignments": _assignments(),
        "games": _games(),
        "mof": _mof(),
    }


def content_hash(tables: dict[str, pa.Table]) -> str:
    """SHA-256 of the tables' content (schema and values, in a fixed order)."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(name.encode())
        sink = pa.BufferOutputStream()
        table = tables[name].combine_chunks()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        digest.update(sink.getvalue().to_pybytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class DimensionSnapshot:
    """A written snapshot: its content hash and the Parquet file of each table."""

    fingerprint: str
    files: dict[str, Path]
    written_at: str = ""
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def table(self, name: str) -> pa.Table:
        if name not in self._cache:
            self._cache[name] = pq.read_table(self.files[name], schema=SCHEMAS[name])
        return self._cache[name]

    @cached_property
    def station_names(self) -> dict[str, str]:
        t = self.table("stations")
        return dict(zip(t["station_code"].to_pylist(), t["station_name"].to_pylist(), strict=True))


def _read_dims_manifest(store: SalesStore) -> dict:
    path = store.root / DIMS_MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def referenced_dimension_files(store: SalesStore) -> set[str]:
    data = _read_dims_manifest(store)
    return set(data.get("files", {}).values())


def current_dimensions(store: SalesStore | None = None, full: bool = False) -> DimensionSnapshot:
    """The snapshot matching the database now, writing a new one if the content changed.

    Building and hashing the tables costs a new process ≈ 0.3 s, so a snapshot whose content was
    confirmed less than FULL_CHECK_SECONDS ago under the same cheap network signature
    (fucai.analytics.backends.network_signature: counts, highest ids, last changes — any change
    through the ORM moves it) is taken as it is: the rule web processes already follow for their
    kept context, now shared by every process through the dims manifest."""
    store = store or SalesStore()
    signature = _signature_digest()
    data = _read_dims_manifest(store)
    if not full and _confirmed_recently(store, data, signature):
        return _snapshot(store, data)
    tables = build_dimension_tables()
    fingerprint = content_hash(tables)
    with store.locked(".dims.lock"):
        data = _read_dims_manifest(store)
        if data.get("fingerprint") != fingerprint or not _files_exist(store, data):
            data = _write(store, tables, fingerprint, data)
        data = _confirm(store, data, signature)
    return _snapshot(store, data)


def _signature_digest() -> str:
    from fucai.analytics.backends import network_signature

    return hashlib.sha256(repr(network_signature()).encode()).hexdigest()


def _files_exist(store: SalesStore, data: dict) -> bool:
    return bool(data.get("files")) and all(
        (store.root / p).exists() for p in data["files"].values()
    )


def _confirmed_recently(store: SalesStore, data: dict, signature: str) -> bool:
    from fucai.analytics.backends import FULL_CHECK_SECONDS

    confirmed = data.get("confirmed")
    if not confirmed or confirmed.get("signature") != signature or not _files_exist(store, data):
        return False
    age = time.time() - confirmed.get("at", 0)
    return 0 <= age < FULL_CHECK_SECONDS


def _confirm(store: SalesStore, data: dict, signature: str) -> dict:
    """Record that the snapshot matched the database under `signature` just now (caller holds
    the dims lock)."""
    data = {**data, "confirmed": {"signature": signature, "at": time.time()}}
    write_json_atomic(store.root / DIMS_MANIFEST, data)
    return data


def prune_retired_dimensions(
    store: SalesStore, cutoff: dt.datetime, deleted: list, unlink
) -> set[str]:
    """Delete dimension files retired before `cutoff` (caller holds the dims lock); returns the
    retired files kept for now."""
    data = _read_dims_manifest(store)
    retired = data.get("retired", {})
    keep = {}
    live = set(data.get("files", {}).values())
    for rel, when in retired.items():
        if rel in live:
            continue
        if dt.datetime.fromisoformat(when) <= cutoff:
            deleted += unlink(store.root / rel)
        else:
            keep[rel] = when
    if keep != retired:
        write_json_atomic(store.root / DIMS_MANIFEST, {**data, "retired": keep})
    return set(keep)


def _snapshot(store: SalesStore, data: dict) -> DimensionSnapshot:
    return DimensionSnapshot(
        fingerprint=data["fingerprint"],
        written_at=data.get("written_at", ""),
        files={name: store.root / rel for name, rel in data["files"].items()},
    )


def _write(
    store: SalesStore, tables: dict[str, pa.Table], fingerprint: str, previous: dict
) -> dict:
    base = store.root / "dims" / fingerprint[:16]
    base.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, table in tables.items():
        final = base / f"{name}.parquet"
        if not final.exists():
            tmp = base / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
            pq.write_table(table, tmp)
            fsync_file(tmp)
            os.replace(tmp, final)
        files[name] = str(final.relative_to(store.root))
    fsync_dir(base)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    retired = dict(previous.get("retired", {}))
    for rel in previous.get("files", {}).values():
        if rel not in files.values():
            retired[rel] = now
    data = {"fingerprint": fingerprint, "written_at": now, "files": files, "retired": retired}
    write_json_atomic(store.root / DIMS_MANIFEST, data)
    return data
