"""The fleet as both shells show it: one row per database, worst first, each cell styled by what it says. The
database, its state and its worst finding always stay; at a narrow width the figures give way first."""

from __future__ import annotations

from datetime import timedelta

from console.fleet.model import DatabaseStatus, Level
from console.infra import clock, fmt
from console.view import Align, Cell, Column, Style, ViewRow

LEVEL_STYLES = {Level.OK: Style.OK, Level.WARN: Style.WARN, Level.FAIL: Style.BAD, Level.UNREACHABLE: Style.BAD}
_R = Align.RIGHT
COLUMNS = (Column("database", identifier=True), Column("state", identifier=True),
           Column("worst finding", identifier=True), Column("role", 2), Column("PostgreSQL", 9),
           Column("TimescaleDB", 8), Column("jobs fail/late", 1, _R), Column("compr. backlog", 3, _R),
           Column("ratio", 10, _R), Column("retention late", 3, _R), Column("agg lag", 4, _R),
           Column("chunks", 11, _R), Column("size", 6, _R), Column("growth/day", 7, _R), Column("cost 24h", 5, _R))


def row(d: DatabaseStatus) -> ViewRow:
    """One database as its cells (every piece of text from a server made printable)."""
    if d.reachable:
        state = Cell("up", Style.OK)
    else:
        since, now = d.unreachable_since or clock.now(), clock.now()
        when = f"{since:%H:%M}" if since.date() == now.date() else f"{since:%Y-%m-%d %H:%M}"
        state = Cell(f"DOWN since {when}", Style.BAD)
    role = "-" if d.role is None else d.role if d.role == "primary" else f"standby {_duration(d.replay_lag_seconds)}"
    jobs = "-" if d.failing_jobs is None else f"{d.failing_jobs}/{d.overdue_jobs or 0}"
    return ViewRow(d.name, (
        Cell.of(d.name),
        state,
        Cell.of(d.worst.text, LEVEL_STYLES[d.worst.level]),
        Cell(role),
        Cell.of((d.postgres_version or "-").split(" ")[0]),
        Cell.of(f"{d.timescaledb_version} {d.edition}" if d.timescaledb_version else (d.edition or "-")),
        Cell(jobs, Style.BAD if d.failing_jobs else Style.PLAIN),
        _late(d.compression_backlog),
        Cell(f"{d.compression_ratio:.1f}x" if d.compression_ratio else "-"),
        _late(d.retention_overdue),
        Cell(_duration(d.aggregate_lag_seconds), Style.WARN if d.late_aggregates else Style.PLAIN),
        Cell("-", Style.DIM) if d.chunks is None else Cell(f"{d.chunks:,}"),
        Cell(fmt.size(d.chunk_bytes) if d.chunk_bytes is not None else "-"),
        Cell(fmt.size(round(d.growth_bytes_per_day)) if d.growth_bytes_per_day is not None else "-"),
        Cell(f"${d.cost_24h_usd:,.2f}" if d.cost_24h_usd is not None else "-"),
    ))


def _late(value: int | None) -> Cell:
    if value is None:
        return Cell("-", Style.DIM)
    return Cell(str(value), Style.WARN if value else Style.PLAIN)


def _duration(seconds: float | None) -> str:
    return fmt.short_duration(timedelta(seconds=seconds)) if seconds is not None else "-"
