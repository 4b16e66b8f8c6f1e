"""Chunk sizes per hypertable and continuous aggregate, with skew flagged and a size chart."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from console.infra import fmt
from console.panes import ChunkSummary, HypertableChunks, PaneResult
from console.tui.widgets import charts
from console.tui.widgets.pane_box import PaneBox, Row


class ChunksPane(PaneBox):
    TITLE = "Chunk sizes"
    COLUMNS = ("hypertable", "chunks", "interval", "total", "compr/raw", "growth/day", "biggest", "skew")

    def rows(self, result: PaneResult[Any, Any]) -> list[Row]:
        rows: list[HypertableChunks] = result.rows
        out: list[Row] = []
        for r in rows:
            interval = fmt.short_duration(r.chunk_interval) if r.chunk_interval else str(r.chunk_interval_integer)
            growth = fmt.size(r.growth_bytes_per_day) if r.growth_bytes_per_day is not None else ""
            biggest = fmt.size(r.biggest.total_bytes) if r.biggest else ""
            skew = Text(f"{len(r.skewed)} skewed", style="bold yellow") if r.skewed else Text("")
            label = r.name + (" (cagg)" if r.kind == "continuous aggregate" else "")
            out.append((f"{r.schema}.{r.name}", [
                Text(label), Text(str(r.chunk_count)), Text(interval), Text(fmt.size(r.total_bytes)),
                Text(f"{r.compressed_chunks}/{r.uncompressed_chunks}"), Text(growth), Text(biggest), skew,
            ]))
        return out

    def status_line(self, result: PaneResult[Any, Any]) -> str:
        summary: ChunkSummary | None = result.summary
        if summary is None:
            return ""
        skew = f" · {summary.skewed_chunks} skewed chunks" if summary.skewed_chunks else ""
        return f"{summary.chunks} chunks in {summary.hypertables} tables · {fmt.size(summary.total_bytes)}{skew}"

    def chart(self, result: PaneResult[Any, Any], width: int, height: int) -> Text:
        rows: list[HypertableChunks] = result.rows
        return charts.hbars("MiB per hypertable", [r.name for r in rows],
                            [r.total_bytes / 2**20 for r in rows], width, height)
