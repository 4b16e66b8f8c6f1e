"""Driving the Textual app in tests: run it headless against a real engine and wait for what it shows."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.05)
        await asyncio.sleep(0.05)


async def palette_drop_chunks(pilot: Pilot[None], answer: str) -> None:
    """Ctrl+P, "drop chunks", then `answer` ("TABLE AGE") at its prompt: the action's confirmation is on screen."""
    from textual.command import CommandList, CommandPalette

    from console.tui.screens.action_confirm import ActionConfirmScreen, AskScreen

    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*"drop chunks")
    results = app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: results.option_count > 0
                   and "Drop chunks" in str(results.get_option_at_index(0).prompt))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, AskScreen))
    await pilot.press(*answer, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ActionConfirmScreen))


def screen_lines(app: App[None]) -> list[str]:
    """The screen as the terminal shows it, line by line (toasts and overlays included), as plain text."""
    return [strip.text for strip in app.screen._compositor.render_strips()]



def words_whole(text: str, lines: list[str]) -> bool:
    """Whether every word of `text` is on one of `lines` whole (wrapped at spaces, never cut within a word)."""
    drawn = set(" ".join(lines).split())
    return all(word in drawn for word in text.split())


def width_is(widget: Widget, width: int) -> Callable[[], bool]:
    """A condition for wait_for: `widget` is `width` cells wide (laid out again after a resize)."""
    return lambda: widget.size.width == width


def row_cells(app: App[None], table: DataTable[Any], index: int) -> list[str]:
    """What each cell of row `index` of `table` shows on the screen now, its wrapped lines joined by a space."""
    rows = table.ordered_rows
    top = table.region.y + table.header_height + sum(row.height for row in rows[:index]) - round(table.scroll_y)
    lines = screen_lines(app)[top:top + rows[index].height]
    cells, x = [], table.region.x - round(table.scroll_x)
    for column in table.ordered_columns:
        width = column.get_render_width(table)
        cells.append(" ".join(" ".join(line[x:x + width] for line in lines).split()))
        x += width
    return cells


def rows_that_fit(table: DataTable[Any]) -> int:
    """How many rows, from the first, the table's own height holds whole (a wrapped row takes several lines)."""
    room, count = table.size.height - table.header_height, 0
    for row in table.ordered_rows:
        room -= row.height
        if room < 0:
            break
        count += 1
    return count


def rows_in_view(table: DataTable[Any]) -> list[int]:
    """The indexes of the rows wholly on the screen now (within what its containers let show of the table)."""
    geometry = table.screen.find_widget(table)
    visible = geometry.region.intersection(geometry.clip).intersection(table.scrollable_content_region)
    top = table.region.y + table.header_height - round(table.scroll_y)
    shown = []
    for index, row in enumerate(table.ordered_rows):
        if top >= visible.y + table.header_height and top + row.height <= visible.bottom:  # not under a scrollbar
            shown.append(index)
        top += row.height
    return shown


