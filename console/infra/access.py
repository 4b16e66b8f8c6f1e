"""Least privilege as a mode: what the connected role can read, asked of the catalog at connect, and the grants
that would make it a whole monitoring role (pg_monitor, plus SELECT on the project's schema: ledger and tables).
Features degrade on it (verify's COULD NOT CHECK, a pane's "cannot read", doctor's list) instead of failing."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row

from console.infra.queries import query

LEDGER = "_sqlx_migrations"


@dataclass(frozen=True)
class Access:
    """What the role may read (one catalog query)."""

    role: str
    superuser: bool
    schema: str | None
    settings_readable: bool  # pg_read_all_settings: shared_preload_libraries and other superuser-only settings
    stats_readable: bool  # pg_read_all_stats: other sessions' rows in pg_stat_activity (the job scheduler)
    schemas_without_usage: list[str]
    unreadable_tables: list[str]  # schema-qualified, quoted as SQL identifiers where needed

    def readable(self, table: str) -> bool:
        """Whether `table` (bare or schema-qualified name) may be read."""
        return not any(t == table or t.rsplit(".", 1)[-1] == table for t in self.unreadable_tables)

    def grant_for(self, table: str) -> str:
        """The statement that lets this role read `table`."""
        qualified = next((t for t in self.unreadable_tables if t.rsplit(".", 1)[-1] == table), table)
        return f"GRANT SELECT ON {qualified} TO {self.role}"

    def missing(self) -> list[tuple[str, str]]:
        """(what the role cannot read, the statement that grants it), one per missing grant."""
        found: list[tuple[str, str]] = []
        if not self.settings_readable:
            found.append(("superuser-only settings (shared_preload_libraries)",
                          f"GRANT pg_read_all_settings TO {self.role}"))
        if not self.stats_readable:
            found.append(("other sessions in pg_stat_activity (whether the job scheduler runs, lock holders)",
                          f"GRANT pg_read_all_stats TO {self.role}"))
        found += [(f"schema {schema}", f"GRANT USAGE ON SCHEMA {schema} TO {self.role}")
                  for schema in self.schemas_without_usage]
        found += [(("the migration ledger " if t.rsplit(".", 1)[-1] == LEDGER else "table ") + t,
                   f"GRANT SELECT ON {t} TO {self.role}") for t in self.unreadable_tables]
        return found

    def whole(self) -> list[str]:
        """The short set of statements that makes this role a whole monitoring role (empty when it is one)."""
        if not self.missing():
            return []
        statements = []
        if not (self.settings_readable and self.stats_readable):
            statements.append(f"GRANT pg_monitor TO {self.role};")
        statements += [f"GRANT USAGE ON SCHEMA {schema} TO {self.role};" for schema in self.schemas_without_usage]
        schemas = sorted({t.rsplit(".", 1)[0] for t in self.unreadable_tables})
        statements += [f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {self.role};" for schema in schemas]
        return statements


def access(conn: psycopg.Connection[tuple[object, ...]]) -> Access:
    """Ask the catalog what the connected role may read."""
    with conn.cursor(row_factory=class_row(Access)) as cur:
        row = cur.execute(query("access")).fetchone()
    assert row is not None
    return row
