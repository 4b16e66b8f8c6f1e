"""`obsconsole verify`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console.commands.common import DirOption, DsnOption, app


@app.command()
def verify(
    dsn: DsnOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
    junit: Annotated[Path | None, typer.Option("--junit", help="Also write JUnit XML here.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on WARN and COULD NOT CHECK too.")] = False,
    check_timeout: Annotated[str, typer.Option(help="Statement timeout of each check.")] = "2s",
    directory: DirOption = None,
    wide: Annotated[bool, typer.Option("--wide", help="Every column, however wide the lines get.")] = False,
) -> None:
    """The spec's 14 schema checks plus live health checks. Exit 0 pass, 1 any FAIL, 2 cannot connect.

    A check that could not get an answer in time (a lock another session holds, a busy server) is COULD NOT
    CHECK, naming the lock holder: not a failure, except with --strict."""
    from console.commands.render import verify as render
    from console.infra import dsn as dsn_mod
    from console.infra.durations import parse_ms
    from console.infra.resources import MIGRATIONS_DIR
    from console.verify.runner import verify as run

    report = run(dsn_mod.resolve(dsn), directory=directory or MIGRATIONS_DIR,
                 check_timeout_ms=parse_ms(check_timeout, "--check-timeout"))
    if as_json:
        render.print_json(report)
    else:
        render.print_table(report, wide=wide)
    if junit is not None:
        render.write_junit(report, junit)
    raise typer.Exit(report.exit_code(strict=strict))
