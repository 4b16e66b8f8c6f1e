"""Printing migration status and migrate results (table or JSON)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from console.infra.json_out import print_json
from console.migrator.runner import MigrateResult, MigrationStatus

__all__ = ["print_json", "print_result", "print_status", "result_dict"]


def result_dict(result: MigrateResult) -> dict[str, object]:
    outcome = "planned" if result.dry_run else "up to date" if result.up_to_date else "applied"
    return {"outcome": outcome, "applied": result.applied, "pending": result.pending}


def print_status(rows: list[MigrationStatus]) -> None:
    table = Table("version", "description", "state", "applied at", "duration", "checksum", title="Migrations")
    for r in rows:
        applied_at = r.applied_at.strftime("%Y-%m-%d %H:%M:%S %Z") if r.applied_at else ""
        duration = f"{r.duration_ms:.0f} ms" if r.duration_ms is not None else ""
        checksum = f"DRIFTED: {r.drift_cause}" if r.checksum == "DRIFTED" else r.checksum
        table.add_row(f"{r.version:03d}", r.description, r.state, applied_at, duration, checksum)
    Console().print(table)


def print_result(result: MigrateResult) -> None:
    out = Console()
    if result.dry_run:
        if not result.pending:
            out.print("dry run: nothing to apply, the database is up to date")
        for p in result.pending:
            needs = f" (needs Community: {', '.join(p.community_features)})" if p.community_features else ""
            out.print(f"would apply {p.file}{needs}", markup=False)
        return
    if result.up_to_date:
        out.print("up to date: nothing applied")
        return
    total = sum(a.seconds for a in result.applied)
    out.print(f"applied {len(result.applied)} migration(s) in {total:.2f} s")
