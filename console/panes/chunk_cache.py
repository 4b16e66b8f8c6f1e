"""Exact chunk sizes at the cost of a few: the chunks that change (the newest uncompressed ones of each
hypertable) are measured on every refresh; the others rarely change size (compressed, or waiting to be dropped),
so a SizeCache kept between refreshes re-measures them on a slower cadence, a bounded batch per refresh, oldest
measurement first. A chunk not measured yet counts with its pg_class estimate until its turn. Without a cache
(a one-shot snapshot) every chunk is measured now."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.infra import clock
from console.infra.db import Conn
from console.panes.common import Row, fetch

HOT_PER_TABLE = 2  # the newest uncompressed chunks of each hypertable, measured on every refresh
COLD_TTL = timedelta(minutes=10)  # a cold chunk's size is re-measured once older than this
COLD_BUDGET = timedelta(milliseconds=20)  # time a refresh may spend re-measuring cold chunks
COLD_STEP = 25  # cold chunks per size query while the budget lasts
SIZE_QUERY_OIDS = 400  # relations per size query (the tsl engine refuses client messages over ~64 KiB)

Key = tuple[int, int | None]  # (chunk oid, compressed chunk oid): a change of compression state is a new key


@dataclass(frozen=True)
class Measured:
    """A chunk's sizes as chunks_detailed_size() reports them, and when they were measured (server clock)."""

    table_bytes: int
    index_bytes: int
    toast_bytes: int
    total_bytes: int
    at: datetime


class SizeCache:
    """Sizes measured on earlier refreshes of one console, by chunk."""

    def __init__(self, ttl: timedelta = COLD_TTL, budget: timedelta = COLD_BUDGET) -> None:
        self.ttl = ttl
        self.budget = budget
        self._sizes: dict[Key, Measured] = {}
        self._lock = threading.Lock()

    def stale(self, cold: Iterable[Key], now: datetime) -> list[Key]:
        """The cold chunks due for a measurement, never measured first, then the oldest measurement first."""
        with self._lock:
            due = [k for k in cold if k not in self._sizes or now - self._sizes[k].at >= self.ttl]
            return sorted(due, key=lambda k: (k in self._sizes, self._sizes[k].at if k in self._sizes else now))

    def refresh(self, conn: Conn, hot: list[Key], cold: list[Key], now: datetime) -> dict[Key, Measured]:
        """Measure every hot chunk, then stale cold ones while the time budget lasts; remember them all."""
        measured = measure(conn, hot, now)
        started = clock.counter()
        due = self.stale(cold, now)
        for start in range(0, len(due), COLD_STEP):
            if clock.counter() - started >= self.budget.total_seconds():
                break
            measured.update(measure(conn, due[start:start + COLD_STEP], now))
        self.store(measured, {*hot, *cold})
        return measured

    def store(self, measured: dict[Key, Measured], keep: set[Key]) -> None:
        """Remember `measured`, and forget chunks that are gone (or changed compression state)."""
        with self._lock:
            self._sizes.update(measured)
            for key in [k for k in self._sizes if k not in keep]:
                del self._sizes[key]

    def get(self, key: Key) -> Measured | None:
        with self._lock:
            return self._sizes.get(key)


def key(row: Row) -> Key:
    return int(row["chunk_oid"]), int(row["compressed_oid"]) if row["compressed_oid"] is not None else None


def hot_keys(rows: list[Row]) -> set[Key]:
    """Per hypertable, its newest HOT_PER_TABLE uncompressed chunks (rows come ordered by object and range), and
    any uncompressed chunk whose range reaches past now: the chunks still being written."""
    hot: set[Key] = set()
    by_table: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row["chunk_oid"] is not None and not row["is_compressed"]:
            by_table.setdefault((row["hypertable_schema"], row["hypertable_name"]), []).append(row)
    for chunks in by_table.values():
        hot.update(key(r) for r in chunks[-HOT_PER_TABLE:])
        hot.update(key(r) for r in chunks if r["range_end"] is not None and r["range_end"] > r["db_now"])
    return hot


def measure(conn: Conn, keys: list[Key], at: datetime) -> dict[Key, Measured]:
    """Exact sizes of the chunks `keys` (a compressed chunk's relation added to its chunk, as
    chunks_detailed_size does), in queries of at most SIZE_QUERY_OIDS relations."""
    oids = [oid for k in keys for oid in k if oid is not None]
    sizes: dict[int, Row] = {}
    for start in range(0, len(oids), SIZE_QUERY_OIDS):
        for row in fetch(conn, "panes/chunk_sizes", {"oids": oids[start:start + SIZE_QUERY_OIDS]}):
            sizes[int(row["oid"])] = row
    measured = {}
    for chunk_oid, compressed_oid in keys:
        main = sizes.get(chunk_oid)
        if main is None:
            continue  # dropped between the two queries
        comp = sizes.get(compressed_oid) if compressed_oid is not None else None

        def extra(column: str, comp: Row | None = comp) -> int:
            return int(comp[column] or 0) if comp else 0

        total, index, toast = int(main["total_size"] or 0), int(main["index_size"] or 0), int(main["toast_size"] or 0)
        measured[(chunk_oid, compressed_oid)] = Measured(
            table_bytes=total - index - toast + extra("heap_size"),
            index_bytes=index + extra("index_size"),
            toast_bytes=toast + extra("toast_size"),
            total_bytes=total + extra("total_size"),
            at=at,
        )
    return measured
