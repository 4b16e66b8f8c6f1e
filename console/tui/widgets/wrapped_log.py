"""A log of lines that wrap at their spaces (a refusal is read whole at any width, reflowed on every resize),
scrolled to its newest line as lines arrive."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from console.infra.fmt import printable


class WrappedLog(VerticalScroll):
    """Lines written one at a time, each wrapped to the width, the newest in view."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", markup=False)

    def write_line(self, line: str) -> None:
        self.lines.append(line)
        self.query_one(Static).update(Text("\n".join(printable(text) for text in self.lines)))
        self.scroll_end(animate=False, immediate=False)
