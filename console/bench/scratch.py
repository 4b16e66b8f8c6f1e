"""A scratch place on the target server for `bench --chunks`: a database created and dropped by bench, migrated
with the project's own migrations as far as the edition allows.

The tsl engine (PGlite) serves one database whatever name a client asks for, so there the scratch place is a
schema in that database (which must hold no hypertable, or the panes would measure the user's tables too); its
chunks are dropped a few hundred at a time before the schema, since one DROP SCHEMA over thousands of chunks
would exhaust the lock table.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from psycopg import errors as pgerrors
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from console.infra import write_gate
from console.infra.db import Conn, Timeouts, connect, outside_transaction
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.queries import query
from console.infra.resources import MIGRATIONS_DIR
from console.infra.server import server_info
from console.migrator import files
from console.migrator.features import community_features
from console.migrator.runner import migrate_on

Progress = Callable[[str], None]
SCRATCH_TIMEOUTS = Timeouts(statement_ms=3_600_000, lock_ms=10_000)
DROP_STEP = 200  # chunks dropped per statement on a one-database engine


@dataclass(frozen=True)
class Scratch:
    """Where bench builds its catalog: `target` connects there; `schema` is set on a one-database engine."""

    target: ResolvedDsn
    name: str
    kind: str  # "database" | "schema"
    migrated_to: int
    edition_note: str | None  # why the migrations stopped early, if they did

    @property
    def schema(self) -> str | None:
        return self.name if self.kind == "schema" else None

    @contextlib.contextmanager
    def connect(self, *, read_only: bool = True) -> Iterator[Conn]:
        """A console connection to the scratch place (the scratch schema first in search_path, put back after)."""
        with connect(self.target, read_only=read_only, timeouts=SCRATCH_TIMEOUTS) as conn:
            if not self.schema:
                yield conn
                return
            row = conn.execute(query("bench/scratch_search_path"), {"path": f'"{self.schema}", public'}).fetchone()
            try:
                yield conn
            finally:
                if row and not conn.closed and not conn.broken:
                    conn.execute(query("bench/scratch_search_path"), {"path": row[0]})


def with_database(target: ResolvedDsn, name: str) -> ResolvedDsn:
    parts = conninfo_to_dict(target.dsn) if target.dsn else {}
    parts["dbname"] = name
    return ResolvedDsn(make_conninfo(**{k: str(v) for k, v in parts.items() if v is not None}), target.source)


def _named(name: str, identifier: str) -> sql.Composed:
    return sql.SQL(query(name)).format(name=sql.Identifier(identifier))


def _scalar(conn: Conn, name: str, params: dict[str, object] | None = None) -> object:
    row = conn.execute(query(name), params).fetchone()
    return row[0] if row else None


@contextlib.contextmanager
def scratch(target: ResolvedDsn, progress: Progress = lambda _m: None) -> Iterator[Scratch]:
    """Create the scratch place, migrate it, yield it, and drop it on every path (nothing left behind)."""
    name = f"obsconsole_bench_{secrets.token_hex(4)}"
    write_gate.refuse_read_only("bench --chunks", nothing="done")
    with connect(target, read_only=False, timeouts=SCRATCH_TIMEOUTS) as admin:
        write_gate.require(admin, "bench --chunks", nothing="done")
        if _scalar(admin, "bench/scratch_can_create") is not True:
            raise ConsoleError("bench --chunks needs a role that may create a database (CREATEDB) for its scratch "
                               "database; this one may not: nothing was done")
        try:
            with outside_transaction(admin):  # CREATE DATABASE refuses a transaction block
                admin.execute(_named("bench/scratch_create_database", name))
        except pgerrors.InsufficientPrivilege as exc:
            raise ConsoleError(f"cannot create the scratch database: {exc.diag.message_primary}; "
                               "nothing was done") from None
    place = with_database(target, name)
    try:
        with connect(place, read_only=False, timeouts=SCRATCH_TIMEOUTS) as conn:
            one_database = _scalar(conn, "bench/scratch_current_database") != name
    except BaseException:
        _drop_database(target, name)
        raise
    if one_database:
        _drop_database(target, name)
        with _scratch_schema(target, name, progress) as made:
            yield made
        return
    try:
        progress(f"scratch database {name}: migrating ...")
        with connect(place, read_only=False, timeouts=SCRATCH_TIMEOUTS) as conn:
            _create_extension(conn)
            to, note = _migrate(conn)
        yield Scratch(place, name, "database", to, note)
    finally:
        _drop_database(target, name)


def _drop_database(target: ResolvedDsn, name: str) -> None:
    with connect(target, read_only=False, timeouts=SCRATCH_TIMEOUTS) as admin, outside_transaction(admin):
        admin.execute(_named("bench/scratch_drop_database", name))


def _create_extension(conn: Conn) -> None:
    try:
        conn.execute(query("create_extension"))
    except (pgerrors.InsufficientPrivilege, pgerrors.FeatureNotSupported, pgerrors.UndefinedFile) as exc:
        raise ConsoleError(f"cannot create TimescaleDB in the scratch database: {exc.diag.message_primary}; "
                           "it was dropped again") from None


def _migrate(conn: Conn) -> tuple[int, str | None]:
    """Apply the project's migrations, stopping before the first one this edition cannot run."""
    local = files.load(MIGRATIONS_DIR)
    info = server_info(conn)
    to = local[-1].version
    note = None
    if not info.community:
        blocked = next((m for m in local if community_features(m.sql)), None)
        if blocked is not None:
            to = blocked.version - 1
            note = (f"migrated to {to:03d}: {blocked.label} needs TimescaleDB Community "
                    f"({info.edition} edition here)")
    migrate_on(conn, local, to=to)
    return to, note


@contextlib.contextmanager
def _scratch_schema(target: ResolvedDsn, name: str, progress: Progress) -> Iterator[Scratch]:
    with connect(target, read_only=False, timeouts=SCRATCH_TIMEOUTS) as conn:
        row = conn.execute(query("bench/hypertable_count")).fetchone()
        if row and int(str(row[0])) > 0:
            raise ConsoleError("this engine serves one database only (tsl), and it already holds hypertables: "
                               "bench --chunks needs an empty one (obsconsole engine start --kind tsl); "
                               "nothing was done")
        conn.execute(_named("bench/scratch_create_schema", name))
    made = Scratch(target, name, "schema", 0, None)
    try:
        progress(f"scratch schema {name} (this engine serves one database): migrating ...")
        with made.connect(read_only=False) as conn:
            to, note = _migrate(conn)
        yield Scratch(target, name, "schema", to, note)
    finally:
        with made.connect(read_only=False) as conn:
            _drop_scratch_chunks(conn, name)
            conn.execute(_named("bench/scratch_drop_schema", name))


def _drop_scratch_chunks(conn: Conn, schema: str) -> None:
    ends: dict[tuple[str, str], list[object]] = {}
    for ht_schema, ht_name, end in conn.execute(query("bench/scratch_chunk_ends"), {"schema": schema}).fetchall():
        ends.setdefault((str(ht_schema), str(ht_name)), []).append(end)
    for (ht_schema, ht_name), table_ends in ends.items():
        steps = [*table_ends[DROP_STEP - 1::DROP_STEP], table_ends[-1]]
        for before in steps:
            conn.execute(query("bench/scratch_drop_hypertable_chunks"),
                         {"schema": ht_schema, "table": ht_name, "before": before})


def gone(target: ResolvedDsn, made: Scratch) -> bool:
    """True when the scratch place no longer exists on the server."""
    check = "bench/scratch_schema_exists" if made.kind == "schema" else "bench/scratch_database_exists"
    with connect(target) as conn:
        return _scalar(conn, check, {"name": made.name}) is False
