"""The lint preflight `migrate` runs before it applies anything: the folder's findings for this target (its ledger
and hypertable row estimates, read-only), and the refusal an error-level finding in a pending file makes. The
dry run's rehearsal on a scratch engine builds on it (console/drift/rehearsal.py)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from console.infra.db import Conn
from console.infra.queries import query
from console.infra.server import server_info
from console.migrator import ledger, lint, runner
from console.migrator.files import MigrationFile


@dataclass(frozen=True)
class LintCheck:
    """The lint findings for a folder against a target, and the files that would run now."""

    findings: list[lint.Finding]
    pending: list[str]

    @property
    def blocking(self) -> list[lint.Finding]:
        """Error-level findings in files that would run now."""
        return [f for f in lint.errors(self.findings) if f.file in self.pending]

    def refusal(self, override: str) -> str | None:
        """Why applying is refused (the first error-level finding, and `override`: how to apply anyway), or None."""
        if not self.blocking:
            return None
        first = self.blocking[0]
        return (f"lint {first.code} at {first.where}: {first.message} ({len(self.blocking)} error-level "
                f"finding(s) in pending files; `migrate --dry-run` lists them, {override}); nothing was applied")


class LintRefused(runner.MigrationRefused):
    """An error-level finding in a pending file refused the run (exit 2); `checked` says which."""

    def __init__(self, message: str, checked: LintCheck) -> None:
        super().__init__(message)
        self.checked = checked


def lint_on(conn: Conn, local: list[MigrationFile], to: int | None) -> tuple[LintCheck, set[int]]:
    """The findings, and the versions the target's ledger has applied."""
    info = server_info(conn)
    applied = {v for v, row in ledger.rows(conn).items() if row.success}
    rows: dict[str, int] = {}
    if info.timescaledb_installed is not None:
        try:
            rows = {str(name): int(str(n)) for name, n in conn.execute(query("drift/hypertable_rows"))}
        except psycopg.Error:  # e.g. TimescaleDB outside the search_path: the preflight says so, lint goes on
            rows = {}
    pending = [m for m in local if m.version not in applied and (to is None or m.version <= to)]
    findings = lint.lint(local, hypertable_rows=rows, pending={m.version for m in pending})
    return LintCheck(findings, [m.label for m in pending]), applied
