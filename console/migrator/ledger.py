"""sqlx's `_sqlx_migrations` ledger and its advisory-lock key, byte for byte."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import class_row

from console.infra.queries import query

LOCK_MULTIPLIER = 0x3D32AD9E


def lock_key(database: str) -> int:
    """sqlx's lock id: 0x3d32ad9e * crc32(database name), as a signed 64-bit integer."""
    value = LOCK_MULTIPLIER * zlib.crc32(database.encode("utf-8"))
    return (value + 2**63) % 2**64 - 2**63


@dataclass(frozen=True)
class LedgerRow:
    """One row of `_sqlx_migrations`."""

    version: int
    description: str
    installed_on: datetime
    success: bool
    checksum: bytes
    execution_time: int


def exists(conn: psycopg.Connection[tuple[object, ...]]) -> bool:
    row = conn.execute(query("ledger_exists")).fetchone()
    return bool(row and row[0])


def rows(conn: psycopg.Connection[tuple[object, ...]]) -> dict[int, LedgerRow]:
    """The ledger by version; empty when it does not exist yet."""
    if not exists(conn):
        return {}
    with conn.cursor(row_factory=class_row(LedgerRow)) as cur:
        return {row.version: row for row in cur.execute(query("ledger_rows"))}


def create(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    conn.execute(query("ledger_create"))


def insert(conn: psycopg.Connection[tuple[object, ...]], version: int, description: str, checksum: bytes) -> None:
    conn.execute(query("ledger_insert"), {"version": version, "description": description, "checksum": checksum})


def set_execution_time(conn: psycopg.Connection[tuple[object, ...]], version: int, nanoseconds: int) -> None:
    conn.execute(query("ledger_set_time"), {"version": version, "nanoseconds": nanoseconds})
