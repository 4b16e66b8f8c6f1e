"""TimescaleDB's chunk catalog as the chunk sizes and retention panes need it, read at the cost of a few rows.

Reading every chunk's row costs time in proportion to the chunks (a 10,000-chunk catalog takes the server well
over 100 ms), yet the catalog changes only when chunks are created, dropped, compressed or renamed. A console
keeps the last read in a CatalogCache and, on each refresh, asks only for the catalog's version (one pass over the
chunk catalog table, no join): the same version, the same catalog. Without a cache (a one-shot snapshot) the
catalog is read now.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.infra.db import Conn
from console.panes.rows import Row, fetch, per_object

Key = tuple[int, int | None]  # (chunk oid, compressed chunk oid): a change of compression state is a new key
Version = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class CatalogChunk:
    """One chunk as the catalog describes it (no size: see sizes.py)."""

    key: Key
    schema: str
    name: str
    range_start: datetime | None  # None for integer-time hypertables
    range_end: datetime | None
    created: datetime | None
    is_compressed: bool
    estimated_bytes: int  # pg_class.relpages of the chunk and its compressed chunk, in bytes


@dataclass(frozen=True)
class CatalogObject:
    """A hypertable, or a continuous aggregate by its view name, and its chunks in range order."""

    schema: str
    name: str
    kind: str  # "hypertable" | "continuous aggregate"
    hypertable_schema: str  # the hypertable holding the chunks (the materialization hypertable of a cagg)
    hypertable_name: str
    chunk_interval: timedelta | None  # None for integer time (see chunk_interval_integer)
    chunk_interval_integer: int | None
    chunks: tuple[CatalogChunk, ...]
    by_end: tuple[CatalogChunk, ...]  # the chunks with a time range, by range end
    by_created: tuple[CatalogChunk, ...]  # the chunks with a creation time, oldest first
    oldest: CatalogChunk | None  # the chunk with the earliest range start
    newest: CatalogChunk | None  # the latest range end (ties: the latest name); the last chunk for integer time

    def ended_before(self, moment: datetime) -> list[CatalogChunk]:
        """The chunks whose range ends before `moment` (a retention cutoff)."""
        return list(self.by_end[:bisect_left(self.by_end, moment, key=_end)])

    def ending_after(self, moment: datetime) -> list[CatalogChunk]:
        """The chunks whose range reaches past `moment` (still being written when `moment` is now)."""
        return list(self.by_end[bisect_right(self.by_end, moment, key=_end):])

    def created_before(self, moment: datetime) -> list[CatalogChunk]:
        return list(self.by_created[:bisect_left(self.by_created, moment, key=_created)])


@dataclass(frozen=True)
class Catalog:
    """The catalog as of this refresh, and the server's clock then."""

    objects: tuple[CatalogObject, ...]
    now: datetime
    read_now: bool  # read on this refresh (False: the cached read, its version unchanged)

    def holding(self, hypertable_schema: str, hypertable_name: str) -> CatalogObject | None:
        """The object whose chunks live in this hypertable."""
        return next((o for o in self.objects
                     if (o.hypertable_schema, o.hypertable_name) == (hypertable_schema, hypertable_name)), None)


class CatalogCache:
    """The last catalog read by one console, the version it was read at, and whether that version was
    confirmed during the current refresh (so the panes of one refresh ask once)."""

    def __init__(self) -> None:
        self._read: tuple[Version, tuple[CatalogObject, ...]] | None = None
        self._confirmed_at: datetime | None = None  # the server's clock when confirmed in this refresh
        self._lock = threading.Lock()

    def begin_refresh(self) -> None:
        """A new refresh starts: the next read asks the server for the catalog's version again."""
        with self._lock:
            self._confirmed_at = None

    def recent(self) -> Catalog | None:
        """The cached catalog if its version was confirmed during this refresh."""
        with self._lock:
            if self._read is None or self._confirmed_at is None:
                return None
            return Catalog(self._read[1], self._confirmed_at, read_now=False)

    def get(self, version: Version, now: datetime) -> tuple[CatalogObject, ...] | None:
        with self._lock:
            if self._read and self._read[0] == version:
                self._confirmed_at = now
                return self._read[1]
            return None

    def put(self, version: Version, objects: tuple[CatalogObject, ...], now: datetime) -> None:
        with self._lock:
            self._read = (version, objects)
            self._confirmed_at = now


def read(conn: Conn, cache: CatalogCache | None) -> Catalog:
    """The catalog: from `cache` when its version is unchanged (or was confirmed in this refresh), else read now
    (and kept in `cache`). Call inside the pane's transaction; the version is read first, so a change racing the
    read only causes a re-read on the next refresh."""
    recent = cache.recent() if cache else None
    if recent is not None:
        return recent
    head = fetch(conn, "panes/chunk_catalog_version")[0]
    now: datetime = head.pop("db_now")
    version = tuple(head.values())
    cached = cache.get(version, now) if cache else None
    if cached is not None:
        return Catalog(cached, now, read_now=False)
    objects = tuple(_object(group) for group in per_object(fetch(conn, "panes/chunk_catalog")))
    if cache:
        cache.put(version, objects, now)
    return Catalog(objects, now, read_now=True)


def _object(rows: list[Row]) -> CatalogObject:
    first = rows[0]
    chunks = tuple(_chunk(r) for r in rows if r["chunk_oid"] is not None)
    by_end = tuple(sorted((c for c in chunks if c.range_start is not None and c.range_end is not None), key=_end))
    return CatalogObject(
        schema=first["object_schema"], name=first["object_name"], kind=first["object_kind"],
        hypertable_schema=first["hypertable_schema"], hypertable_name=first["hypertable_name"],
        chunk_interval=first["chunk_interval"], chunk_interval_integer=first["chunk_interval_integer"],
        chunks=chunks,
        by_end=by_end,
        by_created=tuple(sorted((c for c in chunks if c.created is not None), key=_created)),
        oldest=min(by_end, key=_start, default=None),
        newest=max(by_end, key=lambda c: (_end(c), c.name)) if by_end else (chunks[-1] if chunks else None),
    )


def _chunk(row: Row) -> CatalogChunk:
    compressed = row["compressed_oid"]
    return CatalogChunk(
        key=(int(row["chunk_oid"]), int(compressed) if compressed is not None else None),
        schema=row["chunk_schema"], name=row["chunk_name"],
        range_start=row["range_start"], range_end=row["range_end"], created=row["created"],
        is_compressed=bool(row["is_compressed"]), estimated_bytes=int(row["estimated_bytes"] or 0),
    )


def _start(chunk: CatalogChunk) -> datetime:
    assert chunk.range_start is not None
    return chunk.range_start


def _end(chunk: CatalogChunk) -> datetime:
    assert chunk.range_end is not None
    return chunk.range_end


def _created(chunk: CatalogChunk) -> datetime:
    assert chunk.created is not None
    return chunk.created
