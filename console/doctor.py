"""`obsconsole doctor`: connect, say what the server is and what the console can show there."""

from __future__ import annotations

from dataclasses import dataclass

from console.infra.db import connect
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.server import Capability, ServerInfo, capabilities, server_info


@dataclass(frozen=True)
class DoctorReport:
    """The server's facts and the console's capabilities on it."""

    target: str
    source: str
    info: ServerInfo
    capabilities: list[Capability]

    def problem(self) -> str | None:
        """A one-line description of what stops the console, with the fix; None when nothing does."""
        info = self.info
        if info.timescaledb_installed is not None:
            return None
        if info.timescaledb_available is None:
            return (
                f"TimescaleDB is not available on this server (PostgreSQL {info.server_version}): install the "
                "timescaledb package for it and add timescaledb to shared_preload_libraries"
            )
        preload = info.preload_libraries or ""
        fix = f"run CREATE EXTENSION timescaledb; in database {info.database!r}"
        if "timescaledb" not in preload:
            fix = "add timescaledb to shared_preload_libraries, restart the server, then " + fix
        return (
            f"TimescaleDB is not installed in database {info.database!r} "
            f"(version {info.timescaledb_available} is available): {fix}"
        )


def diagnose(target: ResolvedDsn) -> DoctorReport:
    """Connect read-only and build the report. Raises ConsoleError (exit 2) when it cannot connect."""
    with connect(target) as conn:
        info = server_info(conn)
    return DoctorReport(target.masked, target.source, info, capabilities(info))


def require_timescaledb(report: DoctorReport) -> None:
    """Raise ConsoleError (exit 2) when the database lacks TimescaleDB."""
    problem = report.problem()
    if problem:
        raise ConsoleError(problem)
