"""model_pricing as the prices feature reads it: the table's state and its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from psycopg.rows import class_row

from console.infra.db import Conn
from console.infra.errors import ConsoleError
from console.infra.fmt import printable
from console.infra.queries import query
from console.prices.catalog import Rates


@dataclass(frozen=True)
class State:
    """Which tables are there, and the server's UTC date."""

    has_table: bool
    missing_columns: list[str]
    has_cache_columns: bool
    today: date
    has_traces: bool


@dataclass(frozen=True)
class Row:
    """One model_pricing row (cache prices None before migration 007 or when unknown)."""

    provider: str
    model: str
    input: Decimal
    output: Decimal
    cache_read: Decimal | None
    cache_write: Decimal | None
    effective_date: date

    @property
    def rates(self) -> Rates:
        return Rates(self.input, self.output, self.cache_read, self.cache_write)


def state(conn: Conn) -> State:
    """The table's state; ConsoleError (exit 2) when there is no model_pricing or it lacks a column the console
    reads or writes."""
    with conn.cursor(row_factory=class_row(State)) as cur:
        found = cur.execute(query("prices/state")).fetchone()
    assert found is not None
    if not found.has_table:
        raise ConsoleError("model_pricing is missing in this database: apply migration 006 first "
                           "(`obsconsole migrate`); nothing was changed")
    if found.missing_columns:
        missing = ", ".join(map(printable, found.missing_columns))
        raise ConsoleError(f"model_pricing has no column {missing} (renamed or dropped since migration 006? "
                           "`obsconsole verify` shows how it differs): nothing was read or changed")
    return found


def rows(conn: Conn) -> dict[tuple[str, str], list[Row]]:
    """Every row by (provider, model), oldest first."""
    with conn.cursor(row_factory=class_row(Row)) as cur:
        found = cur.execute(query("prices/rows")).fetchall()
    by_model: dict[tuple[str, str], list[Row]] = {}
    for row in found:
        by_model.setdefault((row.provider, row.model), []).append(row)
    return by_model


def in_force(history: list[Row], day: date) -> Row | None:
    """The row in force on `day`: the newest effective_date <= day."""
    current = None
    for row in history:
        if row.effective_date <= day:
            current = row
    return current
