"""Reading and grouping a pane query's rows: shared by the panes and the chunk catalog they read
(console/panes/catalog/), apart from the pane contract in console/panes/common.py."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from typing import Any

from psycopg import sql
from psycopg.rows import dict_row

from console.infra.db import Conn
from console.infra.queries import query

Row = dict[str, Any]


def fetch(conn: Conn, name: str, params: Mapping[str, object] | None = None, *,
          template: Mapping[str, sql.Composable] | None = None) -> list[Row]:
    """The rows of queries/<name>.sql as dicts. `template` fills {placeholders} with identifiers chosen by
    version (e.g. a function renamed between releases), composed safely by psycopg."""
    text = sql.SQL(query(name)).format(**template) if template else query(name)
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(text, params).fetchall()


def per_object(rows: list[Row]) -> list[list[Row]]:
    """Per-chunk rows (ordered by object, as the pane queries return them) grouped per hypertable or aggregate."""
    return [list(g) for _k, g in groupby(rows, key=lambda r: (r["object_kind"], r["object_schema"], r["object_name"]))]


def object_identity(first: Row) -> dict[str, str]:
    """The identity fields every per-object pane row carries (from the columns the pane queries all return):
    the object (hypertable, or a continuous aggregate by its view name) and the hypertable holding its chunks."""
    return {
        "schema": first["object_schema"],
        "name": first["object_name"],
        "kind": first["object_kind"],
        "hypertable_schema": first["hypertable_schema"],
        "hypertable_name": first["hypertable_name"],
    }
