"""Printing `obsconsole seed` results (text or JSON) and its progress bar (stderr)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from console.seed.service import SeedResult


class RateColumn(ProgressColumn):
    """Average rows (spans) per second since the task started."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text("- rows/s", style="progress.data.speed")
        return Text(f"{task.completed / elapsed:,.0f} rows/s", style="progress.data.speed")


class RichReporter:
    """The seed service's Reporter: a progress bar of spans written, on stderr; notes as plain lines."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeElapsedColumn(),
            console=self.console, transient=False,
        )
        self.task: Any = None

    def begin(self, total_spans: int, description: str) -> None:
        self.progress.start()
        self.task = self.progress.add_task(description, total=total_spans)

    def advance(self, spans: int) -> None:
        self.progress.advance(self.task, spans)

    def note(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False)

    def end(self) -> None:
        self.progress.stop()


def print_result(result: SeedResult) -> None:
    """What was written, how fast, the prices used, and what the aftercare did."""
    out = Console()

    def line(label: str, text: str) -> None:
        out.print(f"{label:<13}{text}", markup=False, highlight=False)

    line("target", f"{result.target} ({result.engine})")
    line("window", f"{result.window_start.isoformat()} .. {result.window_end.isoformat()} (seed {result.seed})")
    line("written", f"{result.spans:,} spans in {result.traces:,} traces, {result.logs:,} logs, "
                    f"{result.metrics:,} metric points")
    line("speed", f"{result.seconds:.1f} s, {result.spans_per_s:,.0f} spans/s via {result.path}")
    line("prices", f"{result.prices_source}; {len(result.models)} models"
                   + (f", unpriced (cost NULL): {', '.join(result.unpriced_models)}" if result.unpriced_models else ""))
    line("price change", result.price_change_note)
    for note in result.notes:
        line("note", note)
    line("aftercare", result.aftercare_note)
    if result.aftercare is not None:
        for warning in result.aftercare.warnings:
            line("warning", warning)
        steps = Table("action", "target", "seconds", "result", title="aftercare")
        for step in result.aftercare.steps:
            steps.add_row(step.action, step.target, f"{step.seconds:.2f}", step.error or "ok")
        out.print(steps)
        chunks = Table("hypertable", "chunks", "compressed", title="chunks after the policy jobs")
        for state in result.aftercare.chunks:
            chunks.add_row(state.hypertable, str(state.chunks), str(state.compressed))
        out.print(chunks)
