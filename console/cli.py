"""The `obsconsole` entry point: run the typer app; expected failures become one line and an exit code."""

from __future__ import annotations

import sys

import typer
from typer._click import exceptions as usage  # typer's own copy of click: its usage errors

from console.commands import app
from console.infra.errors import ConsoleError


def main() -> None:
    """Run the CLI; a ConsoleError prints `obsconsole: <message>` on stderr and exits with its code, and so does a
    usage error (an unknown flag or command, a bad value: exit 2)."""
    try:
        code = app(standalone_mode=False)
    except usage.NoArgsIsHelpError as exc:  # `obsconsole job`: its help, as typer shows it
        exc.show()
        sys.exit(exc.exit_code)
    except usage.UsageError as exc:
        command = exc.ctx.command_path.partition(" ")[2] if exc.ctx else ""  # "job pause", or "" for the root
        where = f"{command}: " if command else ""
        typer.echo(f"obsconsole: {where}{exc.format_message()} (--help lists what it takes)", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("obsconsole: interrupted", err=True)
        sys.exit(130)
    except ConsoleError as exc:
        typer.echo(f"obsconsole: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("obsconsole: interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
