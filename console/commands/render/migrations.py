"""Printing migration status and migrate results (table or JSON)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from console.commands.render.view import print_table
from console.infra.json_out import print_json
from console.migrator import view
from console.migrator.runner import MigrateResult, MigrationStatus

__all__ = ["print_json", "print_result", "print_status", "result_dict"]


def result_dict(result: MigrateResult) -> dict[str, object]:
    outcome = "planned" if result.dry_run else "up to date" if result.up_to_date else "applied"
    return {"outcome": outcome, "applied": result.applied, "pending": result.pending}


def print_status(rows: list[MigrationStatus], *, wide: bool = False) -> None:
    """Every migration: applied/pending, checksum, when (UTC) and how long; names never cut at any width."""
    out = Console(highlight=False)
    out.print(Text("Migrations", style="bold"))
    print_table(out, view.STATUS_COLUMNS, view.status_rows(rows), wide=wide)


def print_result(result: MigrateResult) -> None:
    out = Console()
    if result.dry_run:
        if not result.pending:
            out.print("dry run: nothing to apply, the database is up to date")
        for line in view.plan_lines(result):
            out.print(line, markup=False)
        return
    if result.up_to_date:
        out.print("up to date: nothing applied")
        return
    total = sum(a.seconds for a in result.applied)
    out.print(f"applied {len(result.applied)} migration(s) in {total:.2f} s")
