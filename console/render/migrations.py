"""Printing migration status and migrate results (table or JSON)."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from console.migrator.runner import MigrateResult, MigrationStatus


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def print_json(payload: object) -> None:
    """Dataclasses, datetimes and lists as indented JSON on stdout."""
    json.dump(_plain(payload), sys.stdout, indent=2)
    sys.stdout.write("\n")


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
