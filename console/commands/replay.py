"""`obsconsole replay`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console.commands.common import UnusedDsnOption, app
from console.infra.errors import ConsoleError


@app.command()
def replay(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A recording made by `obsconsole record` or `obsconsole --record`.")],
    info: Annotated[bool, typer.Option("--info", help="First and last time, snapshots, bytes, server.")] = False,
    at: Annotated[str | None, typer.Option(
        "--at", help="The snapshot at or before TIME (ISO 8601, UTC without a zone, or an age such as 2h).",
        show_default=False)] = None,
    pane: Annotated[list[str] | None, typer.Option(
        "--pane", help="With --at: only this pane (repeatable).", show_default=False)] = None,
    between: Annotated[tuple[str, str] | None, typer.Option(
        "--diff", help="What changed from T1 to T2: chunks, compression, failing jobs, overdue retention, cost.",
        metavar="T1 T2", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    wide: Annotated[bool, typer.Option("--wide", help="With --at: every column.")] = False,
    _dsn: UnusedDsnOption = None,
) -> None:
    """Open the dashboard fed from a recording (no flag), or answer a question about it."""
    from console.recording import replay as service
    from console.recording import times

    asked = sum(bool(x) for x in (info, at, between))
    if asked > 1:
        raise ConsoleError("replay: --info, --at and --diff go one at a time")
    if pane and not at:
        raise ConsoleError("replay: --pane goes with --at")
    if not asked:
        if as_json:
            raise ConsoleError("replay: --json goes with --info, --at or --diff")
        from console.commands.launch import console_shell

        console_shell(ctx).run_replay(file)
        return
    from console.commands.render import recording as render
    from console.recording.store import Reader

    with Reader(file) as reader:
        if info:
            render.print_info(reader.info(), as_json=as_json)
        elif at:
            found = service.at(reader, times.moment(at, "--at"), pane)
            assert found.snapshot is not None and found.at is not None
            render.print_moment(found.snapshot, found.at, found.outage, found.endpoint, found.events,
                                as_json=as_json, wide=wide)
        elif between:
            result = service.diff(reader, times.moment(between[0], "--diff T1"), times.moment(between[1], "--diff T2"))
            render.print_diff(result, as_json=as_json)
