"""The view model's semantic styles as Textual/rich styles, and view cells as rich Text."""

from __future__ import annotations

from rich.text import Text

from console.panes.view import Cell, Style

STYLES = {Style.PLAIN: "", Style.OK: "green", Style.WARN: "bold yellow", Style.BAD: "bold red", Style.DIM: "dim",
          Style.ACTIVE: "cyan"}


def cell_text(cell: Cell) -> Text:
    return Text(cell.text, style=STYLES[cell.style])
