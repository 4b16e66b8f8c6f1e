"""`obsconsole snapshot`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from console.commands.common import DsnOption, app
from console.infra.errors import ConsoleError

if TYPE_CHECKING:
    from console.panes import CostWindow


@app.command()
def snapshot(
    dsn: DsnOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the panes as JSON (durations in seconds).")] = False,
    pane: Annotated[
        list[str] | None,
        typer.Option("--pane", help="Only this pane (repeatable): chunks, compression, jobs, retention, cost."),
    ] = None,
    window: Annotated[str, typer.Option("--window", help="Cost window up to now: 1h, 24h, 7d, 30d, ...")] = "24h",
    start: Annotated[
        str | None, typer.Option("--start", help="Custom cost window start (ISO 8601; UTC if no zone); needs --end.")
    ] = None,
    end: Annotated[str | None, typer.Option("--end", help="Custom cost window end (ISO 8601).")] = None,
    timeout: Annotated[str, typer.Option("--timeout", help="Statement timeout of each pane's queries.")] = "5s",
    wide: Annotated[bool, typer.Option("--wide", help="Every column, however wide the lines get.")] = False,
) -> None:
    """Show the five panes once (chunk sizes, compression, jobs, retention, cost per model) from one read-only
    connection. A pane the server cannot provide, or one over its timeout, says so; the exit code stays 0."""
    from console.commands.render import panes as render
    from console.infra import dsn as dsn_mod
    from console.infra.db import connect
    from console.infra.durations import parse_ms
    from console.infra.server import server_info
    from console.infra.session import endpoint
    from console.panes import PaneOptions, refresh_all, select_panes

    try:
        chosen = select_panes(pane or None)
    except ValueError as exc:
        raise ConsoleError(f"--pane: {exc}") from None
    options = PaneOptions(window=_window(window, start, end), timeout_ms=parse_ms(timeout, "--timeout"))
    target = dsn_mod.resolve(dsn)
    with connect(target) as conn:  # a lost connection becomes one ConsoleError line (console.infra.db)
        info = server_info(conn)
        where = endpoint(conn)
        result = refresh_all(conn, info, options, only=chosen)
    if as_json:
        render.print_json(result)
    else:
        render.print_snapshot(result, where, wide=wide)


def _window(length: str, start: str | None, end: str | None) -> CostWindow:
    from console.panes import CostWindow

    try:
        if start is None and end is None:
            return CostWindow.last(length)
        if start is None or end is None:
            raise ValueError("--start and --end go together")
        return CostWindow.between(_timestamp(start, "--start"), _timestamp(end, "--end"))
    except ValueError as exc:
        raise ConsoleError(f"cost window: {exc}") from None


def _timestamp(text: str, flag: str) -> datetime:
    from console.infra.durations import in_range

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{flag} {text!r} is not an ISO 8601 timestamp (e.g. 2025-11-01T00:00:00Z)") from None
    return in_range(value, flag, text)
