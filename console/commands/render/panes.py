"""Printing a pane snapshot: one rich table per pane (database strings escaped), or JSON.

JSON: timestamps ISO 8601, durations in seconds, costs in USD (numbers), enums as their value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from console.infra import fmt, json_out
from console.infra.json_out import plain
from console.panes import (
    ChunkSummary,
    CompressionSummary,
    CostPoint,
    CostSummary,
    HypertableChunks,
    HypertableCompression,
    Job,
    JobSummary,
    ModelCost,
    PaneStatus,
    RetentionSummary,
    RetentionWindow,
    Snapshot,
)
from console.panes.common import duration_words

_STATUS_STYLE = {PaneStatus.OK: "green", PaneStatus.EMPTY: "dim", PaneStatus.UNAVAILABLE: "yellow",
                 PaneStatus.TIMEOUT: "bold red"}
_SPARK = "▁▂▃▄▅▆▇█"


# JSON ------------------------------------------------------------------------------------------------------------
def snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    info = snapshot.info
    return {
        "server": {"postgresql": info.server_version, "timescaledb": info.timescaledb_installed,
                   "edition": info.edition, "database": info.database},
        "elapsed_ms": round(snapshot.elapsed_ms, 1),
        "panes": {p.pane: plain(p) | {"elapsed_ms": round(p.elapsed_ms, 1)} for p in snapshot.panes},
    }


def print_json(snapshot: Snapshot) -> None:
    json_out.print_json(snapshot_dict(snapshot))


# Tables ----------------------------------------------------------------------------------------------------------
def print_snapshot(snapshot: Snapshot, console: Console | None = None) -> None:
    """Each pane as a titled table, or one line saying why it has nothing to show."""
    out = console or Console()
    info = snapshot.info
    out.print(escape(f"PostgreSQL {info.server_version}, TimescaleDB {info.timescaledb_installed or 'not installed'}"
                     f" ({info.edition} edition), database {info.database}; {len(snapshot.panes)} pane(s) in "
                     f"{snapshot.elapsed_ms:.0f} ms"), highlight=False)
    for pane in snapshot.panes:
        out.print()
        style = _STATUS_STYLE[pane.status]
        out.print(f"[bold]{escape(pane.title)}[/] [{style}]{pane.status.value}[/] [dim]({pane.elapsed_ms:.0f} ms)[/]")
        if pane.status is not PaneStatus.OK:
            out.print(f"  [{style}]{escape(pane.reason or '')}[/]")
        renderer = _RENDERERS.get(pane.pane)
        if renderer is not None and pane.status in (PaneStatus.OK, PaneStatus.EMPTY) and pane.summary is not None:
            renderer(out, pane.rows, pane.summary)


def _chunks(out: Console, rows: list[HypertableChunks], summary: ChunkSummary) -> None:
    table = Table("hypertable", "chunks", "interval", "compressed", "total", "table", "index", "toast", "newest chunk",
                  "biggest chunk", "growth/day", "skew")
    for t in rows:
        skew = ", ".join(f"{escape(s.chunk.chunk_name)} {s.factor:.1f}x median" for s in t.skewed)
        interval = duration_words(t.chunk_interval) if t.chunk_interval else _text(t.chunk_interval_integer)
        table.add_row(
            _label(t.name, t.kind), str(t.chunk_count), interval, f"{t.compressed_chunks}/{t.chunk_count}",
            fmt.size(t.total_bytes), fmt.size(t.table_bytes), fmt.size(t.index_bytes), fmt.size(t.toast_bytes),
            fmt.when(t.newest.range_start) if t.newest else "",
            f"{escape(t.biggest.chunk_name)} {fmt.size(t.biggest.total_bytes)}" if t.biggest else "",
            fmt.size(round(t.growth_bytes_per_day)) if t.growth_bytes_per_day is not None else "",
            f"[yellow]{skew}[/]" if skew else "",
        )
    out.print(table)
    out.print(f"  {summary.hypertables} hypertable(s), {summary.chunks} chunk(s), {fmt.size(summary.total_bytes)}; "
              f"{summary.skewed_chunks} skewed chunk(s)", highlight=False)


def _compression(out: Console, rows: list[HypertableCompression], summary: CompressionSummary) -> None:
    table = Table("hypertable", "policy", "compressed", "before", "after", "ratio", "saved", "backlog",
                  "oldest backlog")
    for t in rows:
        backlog = f"[yellow]{t.backlog_chunks}[/]" if t.backlog_chunks else "0"
        oldest = ""
        if t.oldest_backlog is not None:
            age = f", ended {duration_words(t.oldest_backlog_age)} ago" if t.oldest_backlog_age else ""
            oldest = f"{escape(t.oldest_backlog.chunk_name)}{age}"
        table.add_row(_label(t.name, t.kind), escape(t.policy), f"{t.compressed_chunks}/{t.total_chunks}",
                      fmt.size(t.before_total_bytes), fmt.size(t.after_total_bytes), fmt.ratio(t.ratio),
                      fmt.pct(t.saved_pct), backlog, oldest)
    out.print(table)
    out.print(f"  total {fmt.size(summary.before_total_bytes)} -> {fmt.size(summary.after_total_bytes)} "
              f"(ratio {fmt.ratio(summary.ratio)}, saved {fmt.pct(summary.saved_pct)}); "
              f"{summary.backlog_chunks} backlog chunk(s)", highlight=False)


def _jobs(out: Console, rows: list[Job], summary: JobSummary) -> None:
    table = Table("id", "kind", "target", "schedule", "config", "status", "last run", "last success", "next start",
                  "runs", "fails", "in a row")
    for j in rows:
        last = ""
        if j.last_run_status:
            style = "red" if j.last_run_status == "Failed" else "green"
            took = f", {duration_words(j.last_run_duration)}" if j.last_run_duration is not None else ""
            last = f"[{style}]{escape(j.last_run_status)}[/] {fmt.when(j.last_run_started_at)}{took}"
        if j.next_start_stuck:
            next_start = "[bold red]-infinity (stuck)[/]"
        elif j.overdue_by is not None:
            next_start = f"[red]{fmt.when(j.next_start)} (overdue {duration_words(j.overdue_by)})[/]"
        else:
            next_start = fmt.when(j.next_start)
        table.add_row(str(j.job_id), escape(j.kind), _label(j.target_name or "", j.target_kind or ""),
                      escape(j.schedule), escape(j.config_text), escape(j.status), last, fmt.when(j.last_success),
                      next_start, str(j.total_runs), str(j.total_failures),
                      f"[red]{j.consecutive_failures}[/]" if j.consecutive_failures else "0")
    out.print(table)
    for j in rows:
        if j.last_error is not None:
            error = f"{j.last_error.sqlerrcode or ''} {j.last_error.message or ''}".strip()
            out.print(f"  [red]job {j.job_id} latest error[/] ({fmt.when(j.last_error.at)}): {escape(error)}",
                      highlight=False)
    workers = f"; timescaledb.max_background_workers={summary.max_background_workers}" \
        if summary.max_background_workers is not None else ""
    out.print(f"  {summary.jobs} job(s): {summary.running} running, {summary.failing} failing, {summary.overdue} "
              f"overdue (grace {duration_words(summary.grace)}), {summary.stuck} stuck{workers}", highlight=False)


def _retention(out: Console, rows: list[RetentionWindow], summary: RetentionSummary) -> None:
    table = Table("hypertable", "policy", "timeline", "chunks", "oldest", "newest", "span", "next drop", "overdue")
    for w in rows:
        overdue = f"[red]{len(w.overdue)}[/]" if w.overdue else "0"
        table.add_row(_label(w.name, w.kind), escape(w.policy), escape(w.timeline), str(w.chunk_count),
                      fmt.when(w.oldest_range_start), fmt.when(w.newest_range_end),
                      duration_words(w.span) if w.span is not None else "", fmt.when(w.next_drop), overdue)
    out.print(table)
    for w in rows:
        for finding in w.findings:
            out.print(f"  [yellow]{escape(w.name)}[/]: {escape(finding)}", highlight=False)
    out.print(f"  {summary.objects} object(s), {summary.with_policy} with a retention policy, "
              f"{summary.overdue_chunks} overdue chunk(s)", highlight=False)


def _cost(out: Console, rows: list[ModelCost], summary: CostSummary) -> None:
    out.print(escape(f"  window {fmt.when(summary.window_start)} .. {fmt.when(summary.window_end)} "
                     f"({duration_words(summary.length)}); {summary.freshness.view}: {summary.freshness.note}"),
              highlight=False)
    if not rows:
        return
    table = Table("provider", "model", f"cost {summary.currency}", "share", "vs previous", "requests", "unpriced",
                  "input tokens", "output tokens", "per 1k tokens")
    for m in rows:
        table.add_row(escape(m.provider), escape(m.model), fmt.usd(m.cost_usd), fmt.pct(m.share_pct),
                      fmt.change(m.change_pct), str(m.requests),
                      f"[yellow]{m.unpriced_requests}[/]" if m.unpriced_requests else "0", str(m.input_tokens),
                      str(m.output_tokens), fmt.usd(m.cost_per_1k_tokens, 6))
    out.print(table)
    unpriced = f"; unpriced: {escape(', '.join(summary.unpriced_models))}" if summary.unpriced_models else ""
    previous = fmt.usd(summary.previous_total_cost_usd)
    out.print(f"  total {fmt.usd(summary.total_cost_usd)} {summary.currency} vs {previous} "
              f"before ({fmt.change(summary.change_pct)}); {summary.requests} requests, {summary.unpriced_requests} "
              f"unpriced{unpriced}", highlight=False)
    out.print(f"  hourly cost {_sparkline(summary.series)}", highlight=False)


_RENDERERS: dict[str, Callable[[Console, list[Any], Any], None]] = {
    "chunks": _chunks,
    "compression": _compression,
    "jobs": _jobs,
    "retention": _retention,
    "cost": _cost,
}


# Formatting ------------------------------------------------------------------------------------------------------
def _label(name: str, kind: str) -> str:
    return escape(name) + (" [dim](cagg)[/]" if kind == "continuous aggregate" else "")


def _text(value: object) -> str:
    return "" if value is None else escape(str(value))


def _sparkline(series: Sequence[CostPoint]) -> str:
    totals: dict[datetime, Decimal] = {}
    for point in series:
        totals[point.bucket] = totals.get(point.bucket, Decimal(0)) + (point.cost_usd or Decimal(0))
    if not totals:
        return "(no data)"
    hour, last = min(totals), max(totals)
    values: list[Decimal] = []
    while hour <= last:  # hours without requests count as zero
        values.append(totals.get(hour, Decimal(0)))
        hour += timedelta(hours=1)
    top = max(values)
    if top <= 0:
        return _SPARK[0] * len(values)
    return "".join(_SPARK[min(len(_SPARK) - 1, int(v / top * (len(_SPARK) - 1)))] for v in values)
