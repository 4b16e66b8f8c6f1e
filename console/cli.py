"""The `obsconsole` entry point: run the typer app; expected failures become one line and an exit code. What it
prints is escaped (no control sequence from data reaches the terminal) and any argument that parses as a DSN is
shown with its password masked."""

from __future__ import annotations

import os
import sys

import typer
from typer._click import exceptions as usage  # typer's own copy of click: its usage errors

from console.commands import app
from console.infra import boundary
from console.infra.errors import ConnectionLost, ConsoleError
from console.tui.entry import TextualConsole


def main() -> None:
    """Run the CLI; a ConsoleError prints `obsconsole: <message>` on stderr and exits with its code, and so does a
    usage error (an unknown flag or command, a bad value: exit 2). The error boundary: any database, SQLAlchemy
    or OS error that reaches here becomes one such line (console.infra.boundary), naming the command; the
    traceback too only with OBSCONSOLE_DEBUG=1. Each call starts from nothing done, as a fresh process does (the
    tests run it many times in one process; the root callback sets the global --dsn afresh each time)."""
    boundary.reset()
    boundary.quiet_driver()
    try:
        code = app(standalone_mode=False, obj=TextualConsole())  # the console shell, for commands that open it
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
    except ConnectionLost as exc:
        lost = boundary.describe(exc, command_named(sys.argv[1:]), boundary.done())
        typer.echo(f"obsconsole: {lost.message}", err=True)
        sys.exit(lost.exit_code)
    except ConsoleError as exc:
        _error(exc.message)
        sys.exit(exc.exit_code)
    except Exception as exc:
        if not boundary.handles(exc):
            raise
        if os.environ.get(boundary.DEBUG_ENV) == "1":
            import traceback

            traceback.print_exc()
        failure = boundary.describe(exc, command_named(sys.argv[1:]), boundary.done())
        _error(failure.message)
        sys.exit(failure.exit_code)
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


def command_named(args: list[str]) -> str:
    """The command path the arguments name ("job pause", "status"), walking the app's own groups."""
    node: object = typer.main.get_command(app)
    path: list[str] = []
    for arg in args:
        commands = getattr(node, "commands", None)  # a group (typer's TyperGroup)
        if not isinstance(commands, dict):
            break
        sub = commands.get(arg)
        if sub is not None:
            path.append(arg)
            node = sub
    return " ".join(path)
