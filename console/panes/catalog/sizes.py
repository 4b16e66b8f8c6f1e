"""Exact chunk sizes at the cost of a few: the chunks that change (the newest uncompressed ones of each
hypertable) are measured on every refresh; the others rarely change size (compressed, or waiting to be dropped),
so a SizeCache kept between refreshes re-measures them on a slower cadence, a bounded batch per refresh, oldest
measurement first. A chunk not measured yet counts with its pg_class estimate until its turn (the panes mark it
`~`). Without a cache (a one-shot snapshot) every chunk is measured now, and so is a catalog of up to
FIRST_EXACT_CHUNKS on a console's first refresh: a time budget alone did not cover a demo-sized catalog on the
tsl engine, where a size costs 1-1.5 ms per chunk (WASM) and more while the console draws on the same cores."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.infra import clock
from console.infra.db import Conn
from console.panes.catalog.objects import Catalog, CatalogObject, Key
from console.panes.rows import Row, fetch

HOT_PER_TABLE = 2  # the newest uncompressed chunks of each hypertable, measured on every refresh
COLD_TTL = timedelta(minutes=30)  # a cold chunk's size is re-measured once older than this
COLD_BUDGET = timedelta(milliseconds=10)  # time a refresh may spend re-measuring cold chunks
FIRST_BUDGET = timedelta(milliseconds=250)  # the first refresh's, for a catalog bigger than FIRST_EXACT_CHUNKS
FIRST_EXACT_CHUNKS = 500  # a catalog this size or smaller is measured whole on the first refresh, whatever it takes
COLD_STEP = 25  # cold chunks per size query while the budget lasts
SIZE_QUERY_OIDS = 400  # relations per size query (the tsl engine refuses client messages over ~64 KiB)


@dataclass(frozen=True)
class Measured:
    """A chunk's sizes as chunks_detailed_size() reports them, and when they were measured (server clock)."""

    table_bytes: int
    index_bytes: int
    toast_bytes: int
    total_bytes: int
    at: datetime


class SizeCache:
    """Sizes measured on earlier refreshes of one console, by chunk, kept in the order they were measured."""

    def __init__(self, ttl: timedelta = COLD_TTL, budget: timedelta = COLD_BUDGET,
                 first_budget: timedelta = FIRST_BUDGET, first_exact: int = FIRST_EXACT_CHUNKS) -> None:
        self.ttl = ttl
        self.budget = budget
        self.first_budget = first_budget
        self.first_exact = first_exact
        self._sizes: dict[Key, Measured] = {}  # oldest measurement first
        self._never: deque[Key] = deque()  # chunks of the catalog not measured yet, in range order
        self._synced: tuple[CatalogObject, ...] | None = None
        self._lock = threading.Lock()

    def refresh(self, conn: Conn, catalog: Catalog) -> dict[Key, Measured]:
        """Measure every hot chunk, then cold ones due (never measured first, then the oldest measurement) while
        the time budget lasts; remember them. The first refresh of a catalog of at most `first_exact` chunks
        measures all of them. Returns what was measured now."""
        self._sync(catalog)
        first = not self._sizes
        if first and sum(len(t.chunks) for t in catalog.objects) <= self.first_exact:
            measured = measure(conn, [c.key for t in catalog.objects for c in t.chunks], catalog.now)
            self._store(measured)
            with self._lock:
                self._never.clear()
            return measured
        budget = (max(self.budget, self.first_budget) if first else self.budget).total_seconds()
        hot = hot_keys(catalog)
        measured = measure(conn, list(hot), catalog.now)
        self._store(measured)
        started = clock.counter()
        while clock.counter() - started < budget:
            batch = self._due(catalog.now, hot)
            if not batch:
                break
            sizes = measure(conn, batch, catalog.now)
            self._store(sizes)
            measured.update(sizes)
        return measured

    def get(self, key: Key) -> Measured | None:
        with self._lock:
            return self._sizes.get(key)

    def known(self) -> dict[Key, Measured]:
        """Every size remembered (a copy)."""
        with self._lock:
            return dict(self._sizes)

    def oldest(self) -> datetime | None:
        """When the oldest size remembered was measured."""
        with self._lock:
            return next(iter(self._sizes.values())).at if self._sizes else None

    def _sync(self, catalog: Catalog) -> None:
        """After the catalog was (re)read: forget chunks that are gone (or changed compression state) and queue
        the new ones."""
        if catalog.objects is self._synced:
            return
        keys = [c.key for table in catalog.objects for c in table.chunks]
        with self._lock:
            present = set(keys)
            for key in [k for k in self._sizes if k not in present]:
                del self._sizes[key]
            self._never = deque(k for k in keys if k not in self._sizes)
            self._synced = catalog.objects

    def _due(self, now: datetime, hot: set[Key]) -> list[Key]:
        """The next COLD_STEP cold chunks to measure (none measured by this refresh: at `now`)."""
        batch: list[Key] = []
        with self._lock:
            while self._never and len(batch) < COLD_STEP:
                key = self._never.popleft()
                if key not in self._sizes:
                    batch.append(key)
            for key, size in self._sizes.items():
                if len(batch) >= COLD_STEP or now - size.at < self.ttl or size.at >= now:
                    break
                if key not in hot:
                    batch.append(key)
        return batch

    def _store(self, measured: dict[Key, Measured]) -> None:
        with self._lock:
            for key, size in measured.items():  # re-inserted at the end: the dict stays in measurement order
                self._sizes.pop(key, None)
                self._sizes[key] = size


def hot_keys(catalog: Catalog) -> set[Key]:
    """Per hypertable, its newest HOT_PER_TABLE uncompressed chunks (in range order), and any uncompressed chunk
    whose range reaches past now: the chunks still being written."""
    hot: set[Key] = set()
    for table in catalog.objects:
        newest = (c.key for c in reversed(table.chunks) if not c.is_compressed)
        hot.update(key for key, _n in zip(newest, range(HOT_PER_TABLE), strict=False))
        hot.update(c.key for c in table.ending_after(catalog.now) if not c.is_compressed)
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
