"""The `obsconsole` entry point: run the typer app; expected failures become one line and an exit code."""

from __future__ import annotations

import sys

import typer

from console.commands import app
from console.infra.errors import ConsoleError


def main() -> None:
    """Run the CLI; a ConsoleError prints `obsconsole: <message>` on stderr and exits with its code."""
    try:
        app()
    except ConsoleError as exc:
        typer.echo(f"obsconsole: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("obsconsole: interrupted", err=True)
        sys.exit(130)
