"""Per-hypertable size figures kept up to date chunk by chunk, so that a refresh costs what changed in it.

A refresh measures a few chunks (the hot ones and a batch of cold ones); summing 10,000 sizes again each time
would cost more than measuring them. TableTotals holds one hypertable's sums, counts and its chunks' sizes in
order (for the median, the biggest chunk and the skewed ones) and takes each new measurement as a change to
them. Built from scratch when the catalog changes, and the same way for a one-shot snapshot, so cached and
fresh figures are computed by the same code.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from console.panes.catalog.objects import CatalogChunk, CatalogObject, Key
from console.panes.catalog.sizes import Measured

Sized = tuple[int, int]  # (total bytes, -position in range order): the last of a sorted list is the biggest, earliest


@dataclass(frozen=True)
class Figures:
    """A chunk's sizes as a table counts them: measured, or its pg_class estimate (table bytes only) until then."""

    table_bytes: int
    index_bytes: int
    toast_bytes: int
    total_bytes: int

    @staticmethod
    def of(chunk: CatalogChunk, size: Measured | None) -> Figures:
        if size is None:
            return Figures(chunk.estimated_bytes, 0, 0, chunk.estimated_bytes)
        return Figures(size.table_bytes, size.index_bytes, size.toast_bytes, size.total_bytes)


class TableTotals:
    """One hypertable's (or aggregate's) figures over its chunks, updated one measurement at a time."""

    def __init__(self, table: CatalogObject, sizes: Mapping[Key, Measured]) -> None:
        self.table = table
        self.position = {c.key: i for i, c in enumerate(table.chunks)}
        self.table_bytes = self.index_bytes = self.toast_bytes = self.total_bytes = 0
        self.state_bytes = {True: 0, False: 0}  # total bytes of compressed / uncompressed chunks
        self._estimated: set[Key] = set()  # chunks counted with their estimate until measured
        self._figures: dict[Key, Figures] = {}
        self._sorted: dict[bool, list[Sized]] = {True: [], False: []}
        for chunk in table.chunks:
            self._add(chunk, sizes.get(chunk.key))
        for sizes_in_state in self._sorted.values():
            sizes_in_state.sort()

    def measured(self, key: Key, size: Measured) -> None:
        """A new measurement of one of its chunks."""
        chunk = self.table.chunks[self.position[key]]
        self._remove(chunk)
        self._add(chunk, size, keep_sorted=True)

    @property
    def estimated(self) -> int:
        return len(self._estimated)

    def figures(self, chunk: CatalogChunk) -> Figures:
        return self._figures[chunk.key]

    def in_state(self, compressed: bool) -> list[Sized]:
        """(total bytes, -position) of its compressed or uncompressed chunks, smallest first."""
        return self._sorted[compressed]

    def chunk_at(self, sized: Sized) -> CatalogChunk:
        return self.table.chunks[-sized[1]]

    def biggest(self) -> CatalogChunk | None:
        """The biggest chunk (the earliest in range order among equals)."""
        tops = [s[-1] for s in self._sorted.values() if s]
        return self.chunk_at(max(tops)) if tops else None

    def _add(self, chunk: CatalogChunk, size: Measured | None, keep_sorted: bool = False) -> None:
        figures = Figures.of(chunk, size)
        self._figures[chunk.key] = figures
        self._count(chunk, figures, +1)
        if size is None:
            self._estimated.add(chunk.key)
        entry = (figures.total_bytes, -self.position[chunk.key])
        if keep_sorted:
            insort(self._sorted[chunk.is_compressed], entry)
        else:
            self._sorted[chunk.is_compressed].append(entry)

    def _count(self, chunk: CatalogChunk, figures: Figures, sign: int) -> None:
        """Add (+1) or take away (-1) one chunk's figures from the sums."""
        self.table_bytes += sign * figures.table_bytes
        self.index_bytes += sign * figures.index_bytes
        self.toast_bytes += sign * figures.toast_bytes
        self.total_bytes += sign * figures.total_bytes
        self.state_bytes[chunk.is_compressed] += sign * figures.total_bytes

    def _remove(self, chunk: CatalogChunk) -> None:
        figures = self._figures.pop(chunk.key)
        self._count(chunk, figures, -1)
        self._estimated.discard(chunk.key)
        in_state = self._sorted[chunk.is_compressed]
        del in_state[bisect_left(in_state, (figures.total_bytes, -self.position[chunk.key]))]


class Totals:
    """Every table's TableTotals for one catalog read, and which table holds each chunk."""

    def __init__(self, tables: Iterable[CatalogObject], sizes: Mapping[Key, Measured]) -> None:
        self.tables = [TableTotals(t, sizes) for t in tables]
        self._holder = {key: totals for totals in self.tables for key in totals.position}

    def measured(self, sizes: Mapping[Key, Measured]) -> None:
        """New measurements (of chunks of this catalog; others are ignored)."""
        for key, size in sizes.items():
            holder = self._holder.get(key)
            if holder is not None:
                holder.measured(key, size)


class TotalsCache:
    """One console's Totals, rebuilt when the catalog was re-read and otherwise updated with what was measured."""

    def __init__(self) -> None:
        self._totals: Totals | None = None
        self._objects: tuple[CatalogObject, ...] | None = None

    def update(self, objects: tuple[CatalogObject, ...], known: Callable[[], Mapping[Key, Measured]],
               measured: Mapping[Key, Measured]) -> Totals:
        """The totals after this refresh's measurements; `known` gives every size remembered (asked only when
        the catalog changed)."""
        if self._totals is None or objects is not self._objects:
            self._totals, self._objects = Totals(objects, known()), objects
        else:
            self._totals.measured(measured)
        return self._totals
