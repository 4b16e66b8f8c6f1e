"""Cost per model from the hourly continuous aggregate, with its freshness and an hourly chart."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from rich.text import Text

from console.infra import fmt
from console.panes import CostSummary, ModelCost, PaneResult
from console.tui.widgets import charts
from console.tui.widgets.pane_box import PaneBox, Row

TOP_MODELS_CHARTED = 5


class CostPane(PaneBox):
    TITLE = "Cost per model (cost_analysis_hourly)"
    COLUMNS = ("model", "cost $", "req", "in tok", "out tok", "$/1k tok", "share", "Δ prev")

    def rows(self, result: PaneResult[Any, Any]) -> list[Row]:
        rows: list[ModelCost] = result.rows
        out: list[Row] = []
        for r in rows:
            per_1k = None
            tokens = r.input_tokens + r.output_tokens
            if r.cost_usd is not None and tokens:
                per_1k = r.cost_usd / Decimal(tokens) * 1000
            cost = Text(fmt.usd(r.cost_usd, 2), style="yellow" if r.cost_usd is None else "")
            if r.unpriced_requests:
                cost.append(f" ({r.unpriced_requests} unpriced)", style="yellow")
            out.append((f"{r.provider}/{r.model}", [
                Text(f"{r.provider}/{r.model}"), cost, Text(str(r.requests)), Text(f"{r.input_tokens:,}"),
                Text(f"{r.output_tokens:,}"), Text(fmt.usd(per_1k, 4) if per_1k is not None else ""),
                Text(fmt.pct(r.share_pct)), Text(fmt.change(r.change_pct)),
            ]))
        return out

    def status_line(self, result: PaneResult[Any, Any]) -> str:
        summary: CostSummary | None = result.summary
        if summary is None:
            return ""
        hours = summary.length.total_seconds() / 3600
        window = f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} d"
        parts = [f"last {window}: ${fmt.usd(summary.total_cost_usd, 2)} ({fmt.change(summary.change_pct)})",
                 summary.freshness.note]
        if summary.unpriced_models:
            parts.append(f"unpriced: {', '.join(summary.unpriced_models)}")
        if summary.freshness.stale:
            parts.append("STALE")
        return " · ".join(parts)

    def chart(self, result: PaneResult[Any, Any], width: int, height: int) -> Text:
        summary: CostSummary | None = result.summary
        if summary is None:
            return Text("")
        totals: dict[str, Decimal] = defaultdict(Decimal)
        series: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
        for point in summary.series:
            totals[point.model] += point.cost_usd or Decimal(0)
            series[point.model].append((point.bucket, float(point.cost_usd or 0)))
        top = sorted(totals, key=lambda m: totals[m], reverse=True)[:TOP_MODELS_CHARTED]
        return charts.lines("hourly cost $ (top models)", {m: series[m] for m in top}, width, height)
