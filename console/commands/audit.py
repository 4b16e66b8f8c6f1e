"""`obsconsole audit`: the local log of operator actions."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import UnusedDsnOption, app


@app.command()
def audit(
    limit: Annotated[int, typer.Option("--limit", min=1, help="The last N entries.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    _dsn: UnusedDsnOption = None,
) -> None:
    """Every operator action attempted from this account (its intent, then done, failed, interrupted, refused,
    cancelled, dry run): time (UTC), OS user, server (password masked), SQL, outcome and duration. A damaged line
    is named (exit 1), never a crash."""
    from console.actions import audit as audit_log
    from console.commands.render import actions as render
    from console.commands.render.wrap import fold, width
    from console.infra.json_out import print_json

    log = audit_log.read(limit)
    if as_json:
        print_json({"path": str(audit_log.path()), "entries": log.entries, "damaged": log.damaged})
    elif not log.entries:
        typer.echo("\n".join(fold(f"no action recorded yet in {audit_log.path()}", width())))
    else:
        render.print_audit(log.entries)
        typer.echo("\n".join(fold(f"{len(log.entries)} entries from {audit_log.path()}", width())))
    if log.damaged:
        shown = ", ".join(f"line {d.line} ({d.problem})" for d in log.damaged[:10])
        more = f" and {len(log.damaged) - 10} more" if len(log.damaged) > 10 else ""
        typer.echo(f"obsconsole: {len(log.damaged)} damaged line(s) in {audit_log.path()} skipped: {shown}{more}",
                   err=True)
        raise typer.Exit(1)
