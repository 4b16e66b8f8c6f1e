"""Compression ratios per hypertable, the backlog of chunks past compress_after, and a ratio chart."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from console.infra import fmt
from console.panes import CompressionSummary, HypertableCompression, PaneResult
from console.tui.widgets import charts
from console.tui.widgets.pane_box import PaneBox, Row


class CompressionPane(PaneBox):
    TITLE = "Compression ratios"
    COLUMNS = ("hypertable", "policy", "compressed", "before", "after", "ratio", "saved", "backlog")

    def rows(self, result: PaneResult[Any, Any]) -> list[Row]:
        rows: list[HypertableCompression] = result.rows
        out: list[Row] = []
        for r in rows:
            backlog = Text("")
            if r.backlog_chunks:
                backlog = Text(f"{r.backlog_chunks} (oldest {fmt.short_duration(r.oldest_backlog_age)})",
                               style="bold yellow")
            out.append((f"{r.schema}.{r.name}", [
                Text(r.name), Text(r.policy), Text(f"{r.compressed_chunks}/{r.total_chunks}"),
                Text(fmt.size(r.before_total_bytes)), Text(fmt.size(r.after_total_bytes)), Text(fmt.ratio(r.ratio)),
                Text(fmt.pct(r.saved_pct)), backlog,
            ]))
        return out

    def status_line(self, result: PaneResult[Any, Any]) -> str:
        summary: CompressionSummary | None = result.summary
        if summary is None:
            return ""
        ratio = (f"{fmt.ratio(summary.ratio)} ({fmt.pct(summary.saved_pct)} saved)" if summary.ratio is not None
                 else "no ratio yet")
        return f"{summary.compressed_chunks} chunks compressed · {ratio} · backlog {summary.backlog_chunks}"

    def chart(self, result: PaneResult[Any, Any], width: int, height: int) -> Text:
        rows: list[HypertableCompression] = [r for r in result.rows if r.ratio is not None]
        return charts.hbars("compression ratio (before/after)", [r.name for r in rows],
                            [r.ratio or 0.0 for r in rows], width, height)
