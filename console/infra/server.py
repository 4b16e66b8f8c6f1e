"""What the connected server is, and what the console can show on it."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row

from console.infra.queries import query

COMMUNITY = "timescale"
APACHE = "apache"


@dataclass(frozen=True)
class ServerInfo:
    """The server's versions and TimescaleDB edition (license)."""

    server_version: str
    server_version_num: int
    database: str
    timescaledb_installed: str | None
    timescaledb_available: str | None
    license: str | None
    preload_libraries: str | None  # None also when the role may not read it (settings_readable)
    settings_readable: bool = True  # superuser or pg_read_all_settings: shared_preload_libraries can be read
    server_id: str | None = None  # "<system identifier>/<database oid>": this database on this cluster, or None

    @property
    def community(self) -> bool:
        """True where Community (TSL) features work: compression, continuous aggregates, policies, jobs."""
        return self.license == COMMUNITY

    @property
    def edition(self) -> str:
        if self.timescaledb_installed is None:
            return "none"
        return {COMMUNITY: "community", APACHE: "apache"}.get(self.license or "", self.license or "unknown")

    @property
    def tsdb_version_tuple(self) -> tuple[int, ...]:
        return version_tuple(self.timescaledb_installed or "0")


def version_tuple(version: str) -> tuple[int, ...]:
    """'2.23.0-dev' -> (2, 23, 0)."""
    parts: list[int] = []
    for piece in version.split("-", 1)[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def server_info(conn: psycopg.Connection[tuple[object, ...]]) -> ServerInfo:
    """Read the server's versions and edition (one catalog query)."""
    with conn.cursor(row_factory=class_row(ServerInfo)) as cur:
        row = cur.execute(query("server_info")).fetchone()
    assert row is not None
    return row


@dataclass(frozen=True)
class Capability:
    """One thing the console shows, and whether this server can provide it."""

    name: str
    available: bool
    reason: str = ""


# What the console shows, and whether it needs the Community (TSL) edition.
_FEATURES: tuple[tuple[str, bool], ...] = (
    ("migrations 001-003 and 006 (tables, hypertables, indexes)", False),
    ("chunk sizes", False),
    ("background jobs", False),
    ("retention windows", False),
    ("migrations 004-005 (continuous aggregates, compression, policies)", True),
    ("compression ratios", True),
    ("cost per model (continuous aggregate)", True),
)


def capabilities(info: ServerInfo) -> list[Capability]:
    """What the console can and cannot show on this server, each with the reason when it cannot."""
    result = []
    for name, needs_community in _FEATURES:
        if info.timescaledb_installed is None:
            result.append(Capability(name, False, "TimescaleDB is not installed in this database"))
        elif needs_community and not info.community:
            reason = f"needs TimescaleDB Community; this server runs the {info.edition} edition"
            result.append(Capability(name, False, reason))
        else:
            result.append(Capability(name, True))
    return result
