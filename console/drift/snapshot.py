"""A normalised catalog snapshot: every user object as section -> key -> attributes, comparable across servers.

Normalised so that two databases built from the same migrations compare equal: index definitions without
their name and schema, queries with whitespace collapsed, job ids and hypertable ids left out, the ledger
table ignored. Each section is one small catalog query (the tsl engine takes small messages only).
"""

from __future__ import annotations

import re
from typing import Any

import psycopg

from console.infra.queries import for_version, query
from console.infra.server import ServerInfo

Conn = psycopg.Connection[tuple[object, ...]]
Attrs = dict[str, str]
Snapshot = dict[str, dict[str, Attrs]]

# Section -> (query name, needs TimescaleDB). The order is the report's order.
SECTIONS: dict[str, tuple[str, bool]] = {
    "relation": ("drift/relations", False),
    "column": ("drift/columns", False),
    "constraint": ("drift/constraints", False),
    "index": ("drift/indexes", False),
    "hypertable": ("drift/hypertables", True),
    "compression": ("drift/compression", True),
    "continuous aggregate": ("drift/caggs", True),
    "job": ("drift/jobs", True),
}

_INDEX_HEAD = re.compile(r"^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?")
_BUCKET = re.compile(r"time_bucket\('([^']+)'::interval", re.I)


def take(conn: Conn, info: ServerInfo) -> Snapshot:
    """The snapshot of the connected database (TimescaleDB sections only where the extension is installed)."""
    snapshot: Snapshot = {}
    for section, (name, needs_tsdb) in SECTIONS.items():
        if needs_tsdb and info.timescaledb_installed is None:
            snapshot[section] = {}
            continue
        sql = for_version(name, info.tsdb_version_tuple) if needs_tsdb else query(name)
        rows = conn.execute(sql).fetchall()
        snapshot[section] = _section(section, rows)
    caggs = set(snapshot["continuous aggregate"])
    snapshot["relation"] = {k: v for k, v in snapshot["relation"].items() if k not in caggs}
    return snapshot


def _section(section: str, rows: list[tuple[Any, ...]]) -> dict[str, Attrs]:
    out: dict[str, Attrs] = {}
    for row in rows:
        if section == "job":
            proc, target, attrs = row
            base = f"{proc} on {target}" if target else str(proc)
            key, n = base, 1
            while key in out:
                n += 1
                key = f"{base} #{n}"
        else:
            key, attrs = row
        out[str(key)] = _normalise(section, {k: _text(v) for k, v in dict(attrs).items()})
    return out


def _normalise(section: str, attrs: Attrs) -> Attrs:
    if section == "index":
        schema = attrs.pop("schema", "")
        definition = _INDEX_HEAD.sub(lambda m: "UNIQUE " if m.group(1) else "", attrs["definition"])
        attrs["definition"] = definition.replace(f"{schema}.", "").replace("public.", "")
    elif section == "continuous aggregate":
        query_text = " ".join(attrs.get("query", "").split()).rstrip(";").strip()
        bucket = _BUCKET.search(query_text)
        attrs = {"bucket": bucket.group(1) if bucket else "", **attrs, "query": query_text}
    elif section in {"column", "constraint"}:
        attrs = {k: " ".join(v.split()) for k, v in attrs.items()}
    return attrs


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
