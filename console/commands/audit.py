"""`obsconsole audit`: the local log of operator actions."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import app


@app.command()
def audit(
    limit: Annotated[int, typer.Option("--limit", min=1, help="The last N entries.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Every operator action attempted from this account (done, failed, refused, cancelled, dry run): time (UTC),
    OS user, server (password masked), SQL, outcome and duration."""
    from console.actions import audit as audit_log
    from console.commands.render import actions as render
    from console.infra.json_out import print_json

    entries = audit_log.read(limit)
    if as_json:
        print_json({"path": str(audit_log.path()), "entries": entries})
    elif not entries:
        typer.echo(f"no action recorded yet in {audit_log.path()}")
    else:
        render.print_audit(entries)
        typer.echo(f"{len(entries)} entries from {audit_log.path()}")
