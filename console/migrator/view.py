"""Migration status and the dry-run plan as both shells show them: one row per migration (state and checksum
styled), and one line per migration the plan would apply (with the Community features it needs). Semantic styles
only; `obsconsole status`/`migrate --dry-run` draw it with rich, the Migrations screen with Textual."""

from __future__ import annotations

from console.infra import fmt
from console.migrator.runner import MigrateResult, MigrationStatus
from console.view import Align, Cell, Column, Style, ViewRow

STATE_STYLE = {"applied": Style.OK, "pending": Style.WARN}  # failed, missing file: BAD
STATUS_COLUMNS = (Column("version", 0), Column("description", 0, identifier=True), Column("state", 0),
                  Column("checksum", 0, wrap=True), Column("applied at", 1), Column("duration", 2, Align.RIGHT))


def status_rows(rows: list[MigrationStatus]) -> list[ViewRow]:
    """Every migration (keyed by version): version, description, state, checksum, applied at (UTC), duration."""
    return [ViewRow(str(r.version), (
        Cell.of(f"{r.version:03d}"), Cell.of(r.description), Cell.of(r.state, STATE_STYLE.get(r.state, Style.BAD)),
        Cell.of(f"DRIFTED: {r.drift_cause or ''}", Style.BAD) if r.checksum == "DRIFTED" else
        Cell.of(r.checksum, Style.OK if r.checksum == "ok" else Style.PLAIN),
        Cell.of(fmt.when(r.applied_at)),
        Cell.of(f"{r.duration_ms:.0f} ms" if r.duration_ms is not None else ""),
    )) for r in rows]


def plan_lines(result: MigrateResult) -> list[str]:
    """One line per migration the dry run would apply, naming what it needs of TimescaleDB Community."""
    return [fmt.printable(f"would apply {p.file}" + (f" (needs Community: {', '.join(p.community_features)})"
                                                      if p.community_features else "")) for p in result.pending]
