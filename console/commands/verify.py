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
    drift: Annotated[bool, typer.Option("--drift", help="Also replay the applied migrations into a scratch engine "
                                        "and report every catalog difference (exit 1 on drift).")] = False,
    to: Annotated[int | None, typer.Option("--to", help="With --drift and no ledger: replay files up to this "
                                           "version.")] = None,
) -> None:
    """The spec's 14 schema checks plus live health checks. Exit 0 pass, 1 any FAIL, 2 cannot connect.

    A check that could not get an answer in time (a lock another session holds, a busy server) is COULD NOT
    CHECK, naming the lock holder: not a failure, except with --strict."""
    from console.commands.render import drift as render_drift
    from console.commands.render import verify as render
    from console.infra import dsn as dsn_mod
    from console.infra.durations import parse_ms
    from console.infra.errors import ConsoleError
    from console.infra.resources import MIGRATIONS_DIR
    from console.infra.userfiles import check_writable
    from console.verify.runner import verify as run

    if to is not None and not drift:
        raise ConsoleError("--to only applies with --drift (the replay's last version when there is no ledger)")
    if junit is not None:
        check_writable(junit, "--junit")
    target, timeout_ms = dsn_mod.resolve(dsn), parse_ms(check_timeout, "--check-timeout")
    report = run(target, directory=directory or MIGRATIONS_DIR, check_timeout_ms=timeout_ms)
    drifted = None
    if drift:
        from console.drift.service import drift as run_drift

        drifted = run_drift(target, directory=directory or MIGRATIONS_DIR, to=to,
                            check_timeout_ms=max(timeout_ms, 10_000))
    if as_json:
        render.print_json(report, extra=render_drift.as_dict(drifted) if drifted else None)
    else:
        render.print_table(report, wide=wide)
        if drifted:
            render_drift.print_table(drifted)
    if junit is not None:
        render.write_junit(report, junit)
        if drifted:
            render_drift.add_to_junit(drifted, junit)
    raise typer.Exit(max(report.exit_code(strict=strict), 1 if drifted and drifted.drift else 0))
