"""`obsconsole doctor`: connect, say what the server is and what the console can show there."""

from __future__ import annotations

from dataclasses import dataclass

from console.infra.access import Access, access
from console.infra.db import connect
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.guard import WriteGuard, inspect
from console.infra.server import Capability, ServerInfo, capabilities, server_info


@dataclass(frozen=True)
class DoctorReport:
    """The server's facts and the console's capabilities on it."""

    target: str
    source: str
    info: ServerInfo
    capabilities: list[Capability]
    guard: WriteGuard
    access: Access

    def findings(self) -> list[str]:
        """What an operator must know before writing here: standby, read-only default, pooler, preload."""
        notes = []
        if self.guard.in_recovery:
            notes.append("this server is a hot standby (pg_is_in_recovery() is true): read-only; migrate, seed, "
                         "keys create/revoke and job runs refuse here, run them on the primary")
        refusal = self.guard.refusal()
        if self.guard.read_only_default and refusal and not self.guard.in_recovery:
            notes.append(refusal)
        if self.guard.pooler:
            notes.append(f"connected through a connection pooler ({self.guard.pooler}): reads work; writing "
                         "commands refuse, connect directly to PostgreSQL for them")
        if self.preload_missing:
            notes.append("timescaledb is installed in this database but not in shared_preload_libraries "
                         f"({self.info.preload_libraries or 'empty'}): TimescaleDB is not loaded, so its functions "
                         "and views fail; add timescaledb to shared_preload_libraries and restart the server")
        return notes

    @property
    def preload_missing(self) -> bool:
        """Installed in the database but not loaded by the server (its license setting is then undefined)."""
        info = self.info
        return (info.timescaledb_installed is not None and info.license is None and info.settings_readable
                and "timescaledb" not in (info.preload_libraries or ""))

    def problem(self) -> str | None:
        """A one-line description of what stops the console, with the fix; None when nothing does."""
        info = self.info
        if info.timescaledb_installed is not None:
            return None if not self.preload_missing else self.findings()[-1]
        if info.timescaledb_available is None:
            return (
                f"TimescaleDB is not available on this server (PostgreSQL {info.server_version}): install the "
                "timescaledb package for it and add timescaledb to shared_preload_libraries"
            )
        preload = info.preload_libraries or ""
        fix = f"run CREATE EXTENSION timescaledb; in database {info.database!r}"
        if "timescaledb" not in preload and info.settings_readable:
            fix = "add timescaledb to shared_preload_libraries, restart the server, then " + fix
        return (
            f"TimescaleDB is not installed in database {info.database!r} "
            f"(version {info.timescaledb_available} is available): {fix}"
        )


def diagnose(target: ResolvedDsn) -> DoctorReport:
    """Connect read-only and build the report. Raises ConsoleError (exit 2) when it cannot connect."""
    with connect(target) as conn:
        info = server_info(conn)
        guard = inspect(conn)
        readable = access(conn)
    return DoctorReport(target.masked, target.source, info, capabilities(info), guard, readable)


def require_timescaledb(report: DoctorReport) -> None:
    """Raise ConsoleError (exit 2) when the database lacks TimescaleDB."""
    problem = report.problem()
    if problem:
        raise ConsoleError(problem)
