"""Retention windows: drop_after, data kept, next drop, overdue chunks, and the hot → compressed → dropped chart."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from console.infra import fmt
from console.panes import PaneResult, RetentionSummary, RetentionWindow
from console.tui.widgets import charts
from console.tui.widgets.pane_box import PaneBox, Row


class RetentionPane(PaneBox):
    TITLE = "Retention windows"
    COLUMNS = ("table", "policy", "kept", "oldest", "newest", "next drop", "overdue")

    def rows(self, result: PaneResult[Any, Any]) -> list[Row]:
        rows: list[RetentionWindow] = result.rows
        out: list[Row] = []
        for r in rows:
            overdue = Text(f"{len(r.overdue)} chunks", style="bold yellow") if r.overdue else Text("")
            out.append((f"{r.schema}.{r.name}", [
                Text(r.name), Text(r.policy), Text(fmt.short_duration(r.span)), Text(fmt.when(r.oldest_range_start)),
                Text(fmt.when(r.newest_range_end)), Text(fmt.when(r.next_drop)), overdue,
            ]))
        return out

    def status_line(self, result: PaneResult[Any, Any]) -> str:
        summary: RetentionSummary | None = result.summary
        if summary is None:
            return ""
        return (f"{summary.with_policy}/{summary.objects} with a policy · {summary.overdue_chunks} chunks overdue"
                f" · {summary.findings} findings")

    def chart(self, result: PaneResult[Any, Any], width: int, height: int) -> Text:
        rows: list[RetentionWindow] = [r for r in result.rows if r.drop_after is not None]
        hot = [(r.compress_after.days if r.compress_after else 0) for r in rows]
        compressed = [((r.drop_after.days if r.drop_after else 0) - h) for r, h in zip(rows, hot, strict=True)]
        return charts.stacked_hbars("days: hot → compressed → dropped", [r.name for r in rows],
                                    {"hot": hot, "compressed": compressed}, width, height)
