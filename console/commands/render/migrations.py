"""Printing migration status and migrate results (table or JSON)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from console.commands.render.view import print_table
from console.infra import fmt
from console.infra.fmt import printable
from console.infra.json_out import print_json
from console.migrator.runner import MigrateResult, MigrationStatus
from console.panes.view import Align, Cell, Column, Style, ViewRow

__all__ = ["print_json", "print_result", "print_status", "result_dict"]


def result_dict(result: MigrateResult) -> dict[str, object]:
    outcome = "planned" if result.dry_run else "up to date" if result.up_to_date else "applied"
    return {"outcome": outcome, "applied": result.applied, "pending": result.pending}


STATUS_COLUMNS = (Column("version", 0), Column("description", 0, identifier=True), Column("state", 0),
                  Column("checksum", 0), Column("applied at", 1), Column("duration", 2, Align.RIGHT))
_STATE = {"applied": Style.OK, "pending": Style.WARN}


def print_status(rows: list[MigrationStatus], *, wide: bool = False) -> None:
    """Every migration: applied/pending, checksum, when (UTC) and how long; names never cut at any width."""
    out = Console(highlight=False)
    view = [ViewRow(str(r.version), (
        Cell.of(f"{r.version:03d}"), Cell.of(r.description), Cell.of(r.state, _STATE.get(r.state, Style.BAD)),
        Cell.of(f"DRIFTED: {r.drift_cause}", Style.BAD) if r.checksum == "DRIFTED" else Cell.of(r.checksum),
        Cell.of(fmt.when(r.applied_at)),
        Cell.of(f"{r.duration_ms:.0f} ms" if r.duration_ms is not None else ""),
    )) for r in rows]
    out.print(Text("Migrations", style="bold"))
    print_table(out, STATUS_COLUMNS, view, wide=wide)


def print_result(result: MigrateResult) -> None:
    out = Console()
    if result.dry_run:
        if not result.pending:
            out.print("dry run: nothing to apply, the database is up to date")
        for p in result.pending:
            needs = f" (needs Community: {', '.join(p.community_features)})" if p.community_features else ""
            out.print(printable(f"would apply {p.file}{needs}"), markup=False)
        return
    if result.up_to_date:
        out.print("up to date: nothing applied")
        return
    total = sum(a.seconds for a in result.applied)
    out.print(f"applied {len(result.applied)} migration(s) in {total:.2f} s")
