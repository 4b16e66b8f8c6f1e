"""Catalog reads shared by the checks: each read once per run, through SQLAlchemy's inspector where it fits
(tables, columns, indexes, foreign keys, comments) and TimescaleDB's information views for the rest."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from typing import Any

import psycopg
from psycopg.rows import dict_row
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Inspector
from sqlalchemy.pool import StaticPool

from console.infra.queries import for_version, query
from console.infra.server import ServerInfo

Row = dict[str, Any]


class Probe:
    """The database as verify sees it, over the console's one connection."""

    def __init__(self, conn: psycopg.Connection[tuple[object, ...]], info: ServerInfo) -> None:
        self.conn = conn
        self.info = info

    def rows(self, name: str, params: dict[str, object] | None = None) -> list[Row]:
        return self.rows_of(query(name), params)

    def rows_of(self, text: str, params: dict[str, object] | None = None) -> list[Row]:
        with self.conn.cursor(row_factory=dict_row) as cur:
            return cur.execute(text, params).fetchall()

    @cached_property
    def inspector(self) -> Inspector:
        engine = create_engine("postgresql+psycopg://", creator=lambda: self.conn, poolclass=StaticPool)
        return inspect(engine)

    @cached_property
    def tables(self) -> set[str]:
        return set(self.inspector.get_table_names())

    @cached_property
    def hypertables(self) -> dict[str, Row]:
        return {r["hypertable_name"]: r for r in self.rows("verify/hypertables")}

    @cached_property
    def continuous_aggregates(self) -> dict[str, Row]:
        return {r["view_name"]: r for r in self.rows("verify/continuous_aggregates")}

    @cached_property
    def compression_settings(self) -> dict[str, Row]:
        text = for_version("verify/compression_settings", self.info.tsdb_version_tuple)
        return {r["hypertable_name"]: r for r in self.rows_of(text)}

    @cached_property
    def policies(self) -> list[Row]:
        return self.rows("verify/policies")

    def policy(self, proc_name: str, target: str) -> Row | None:
        return next((p for p in self.policies if p["proc_name"] == proc_name and p["target"] == target), None)

    @cached_property
    def chunk_sizes(self) -> list[Row]:
        """Every chunk's size, from catalog statistics where they are current (verify/chunk_sizes)."""
        return self.rows("verify/chunk_sizes")

    def intervals(self, spelled: list[str]) -> dict[str, timedelta]:
        """Expected intervals as the server reads them."""
        return {r["spelled"]: r["value"] for r in self.rows("verify/intervals", {"spelled": spelled})}
