"""Chunk actions: compress or decompress one chunk or a hypertable's chunks older than an age, and drop chunks
older than an age after a preview of each one's range and size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from psycopg.rows import class_row

from console.actions.plan import LONG, QUICK, Plan, owner_of, statement, utc
from console.infra import fmt
from console.infra.db import Conn
from console.infra.errors import ConsoleError
from console.infra.queries import for_version, query
from console.infra.server import ServerInfo
from console.infra.write_gate import COMMUNITY, Need


@dataclass(frozen=True)
class Chunk:
    """A chunk as the preview shows it."""

    chunk: str
    hypertable: str
    range_start: datetime | None
    range_end: datetime | None
    is_compressed: bool
    total_bytes: int | None

    def line(self) -> str:
        size = fmt.size(self.total_bytes) if self.total_bytes is not None else "size unknown"
        state = "compressed" if self.is_compressed else "uncompressed"
        return f"{self.chunk} of {self.hypertable}: {utc(self.range_start)} → {utc(self.range_end)}, {size}, {state}"


def _chunks(conn: Conn, *, chunk: str | None = None, hypertable: str | None = None,
            cutoff: datetime | None = None) -> list[Chunk]:
    with conn.cursor(row_factory=class_row(Chunk)) as cur:
        return cur.execute(query("actions/chunks"), {"chunk": chunk, "hypertable": hypertable, "cutoff": cutoff}
                           ).fetchall()


def _hypertable(conn: Conn, name: str) -> tuple[str, bool]:
    row = conn.execute(query("actions/hypertable_target"), {"name": name}).fetchone()
    if row is None:
        raise ConsoleError(f"no hypertable {name!r} on this server")
    return str(row[0]), bool(row[1])


def _cutoff(conn: Conn, older_than: str) -> datetime:
    row = conn.execute(query("actions/cutoff"), {"older_than": older_than}).fetchone()
    assert row is not None and isinstance(row[0], datetime)
    return row[0]


def ending_before(conn: Conn, hypertable: str, older_than: str) -> tuple[datetime, list[Chunk]]:
    """The server's cutoff (now() - `older_than`) and the chunks of `hypertable` whose whole range ends before it:
    what drop_chunks, or a retention policy's run, drops."""
    cutoff = _cutoff(conn, older_than)
    return cutoff, _chunks(conn, hypertable=hypertable, cutoff=cutoff)


@dataclass(frozen=True)
class ChunkCompression:
    """Compress or decompress (`verb`) one chunk by name, or every chunk of `table` older than `older_than`."""

    requires: ClassVar[tuple[Need, ...]] = (COMMUNITY,)  # asked of the write gate before the plan

    verb: str
    name: str | None = None
    table: str | None = None
    older_than: str | None = None

    @property
    def action(self) -> str:
        what = self.name if self.name else f"--table {self.table} --older-than {self.older_than}"
        return f"chunk {self.verb} {what}"

    def plan(self, conn: Conn, info: ServerInfo) -> Plan:
        if self.verb not in ("compress", "decompress"):
            raise ConsoleError(f"unknown chunk action {self.verb!r}")
        if bool(self.name) == bool(self.table and self.older_than):
            raise ConsoleError(f"chunk {self.verb} needs a chunk NAME, or --table and --older-than (not both)")
        if self.name:
            found = _chunks(conn, chunk=self.name)
            if not found:
                raise ConsoleError(f"no chunk {self.name!r} on this server")
        else:
            assert self.table is not None and self.older_than is not None
            hypertable, enabled = _hypertable(conn, self.table)
            if not enabled:
                raise ConsoleError(f"compression is not enabled on {hypertable} (ALTER TABLE … SET "
                                   "(timescaledb.compress) first)")
            found = _chunks(conn, hypertable=hypertable, cutoff=_cutoff(conn, self.older_than))
        want = self.verb == "decompress"  # the chunks to act on are compressed for a decompress
        todo = [c for c in found if c.is_compressed == want]
        text = for_version(f"actions/chunk_{self.verb}", info.tsdb_version_tuple)
        statements = tuple(statement(conn, text, {"chunk": c.chunk}) for c in todo)
        skipped = [f"{c.chunk} is already {'uncompressed' if want else 'compressed'}: left alone"
                   for c in found if c.is_compressed != want]
        return Plan(self.action, statements, tuple(c.line() for c in todo), timeouts=LONG, notes=tuple(skipped),
                    needs=owner_of(found[0].hypertable) if found else ())


@dataclass(frozen=True)
class ChunkDrop:
    """Drop every chunk of `table` whose whole range is older than `older_than` (any edition)."""

    table: str
    older_than: str

    @property
    def action(self) -> str:
        return f"chunk drop --table {self.table} --older-than {self.older_than}"

    def plan(self, conn: Conn, info: ServerInfo) -> Plan:
        hypertable, _ = _hypertable(conn, self.table)
        cutoff = _cutoff(conn, self.older_than)
        found = _chunks(conn, hypertable=hypertable, cutoff=cutoff)
        if not found:
            return Plan(self.action, (), (), notes=(f"no chunk of {hypertable} ends before {utc(cutoff)}",),
                        nothing="nothing to drop")
        total = sum(c.total_bytes or 0 for c in found)
        sql = statement(conn, query("actions/chunk_drop"), {"hypertable": hypertable, "cutoff": cutoff.isoformat()})
        note = f"{len(found)} chunk(s), {fmt.size(total)} in all, ending before {utc(cutoff)}: their rows are deleted"
        return Plan(self.action, (sql,), tuple(c.line() for c in found), timeouts=QUICK, notes=(note,),
                    needs=owner_of(hypertable))
