"""The `obsconsole` entry point: run the typer app; expected failures become one line and an exit code. What it
prints is escaped (no control sequence from data reaches the terminal) and any argument that parses as a DSN is
shown with its password masked."""

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
        _error(f"{where}{exc.format_message()} (--help lists what it takes)")
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("obsconsole: interrupted", err=True)
        sys.exit(130)
    except ConsoleError as exc:
        _error(exc.message)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("obsconsole: interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


def _error(message: str) -> None:
    """`obsconsole: <message>` on stderr: every argument's DSN password masked (a DSN given without --dsn comes
    back in a usage error), each line escaped."""
    from console.infra.dsn import mask, scrub
    from console.infra.fmt import printable

    for argument in sys.argv[1:]:
        message = scrub(message.replace(argument, mask(argument)), argument)
    typer.echo("\n".join(printable(line) for line in f"obsconsole: {message}".splitlines()), err=True)
