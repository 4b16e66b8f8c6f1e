"""View cells as rich Text for Textual widgets, coloured by the one Style -> colour map (console.view)."""

from __future__ import annotations

from rich.text import Text

from console.view import COLOURS, Cell


def cell_text(cell: Cell) -> Text:
    return Text(cell.text, style=COLOURS[cell.style])
