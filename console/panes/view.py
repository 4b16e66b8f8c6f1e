"""A pane's presentation-neutral view model: what to show, not how to draw it. The CLI renders it with rich, the
TUI with Textual widgets; both get the same text, so they say the same thing.

Its columns, rows and cells are console/view.py's. Charts are data series; each shell draws them its own way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from console.view import Cell, Column, ViewRow


@dataclass(frozen=True)
class LineChart:
    """Values over time, one series per name."""

    title: str
    series: dict[str, list[tuple[datetime, float]]]


@dataclass(frozen=True)
class BarChart:
    """One bar per label (horizontal)."""

    title: str
    labels: list[str]
    values: list[float]


@dataclass(frozen=True)
class StackedBarChart:
    """Stacked horizontal bars: per label, one segment per stack name."""

    title: str
    labels: list[str]
    stacks: dict[str, list[float]]


Chart = LineChart | BarChart | StackedBarChart


@dataclass(frozen=True)
class PaneView:
    """Everything a shell needs to show one pane.

    `status` is the pane's status value (ok / empty / unavailable / timeout); `message` says why there are no
    rows (for every status but ok); `summary` is the one-line status; `notes` are lines shown under the table
    (a job's latest error, a retention finding); `chart` is None where the pane has none."""

    pane: str
    title: str
    status: str
    columns: tuple[Column, ...] = ()
    rows: tuple[ViewRow, ...] = ()
    summary: str = ""
    message: Cell | None = None
    notes: tuple[Cell, ...] = ()
    chart: Chart | None = None
    elapsed_ms: float = 0.0
