"""`obsconsole chunk compress|decompress NAME` (or `--table T --older-than 7d`), `obsconsole chunk drop`."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import (
    ActionFlags,
    DryRunOption,
    DsnOption,
    LockTimeoutOption,
    StatementTimeoutOption,
    YesOption,
    group,
    run_action,
)

chunk_app = group("chunk", "Compress, decompress or drop chunks.")

ChunkName = Annotated[str | None, typer.Argument(help="A chunk (schema.name or name).", show_default=False)]
TableOption = Annotated[str | None, typer.Option("--table", help="A hypertable.", show_default=False)]
OlderOption = Annotated[str | None, typer.Option("--older-than", help="Age, e.g. 7d, 12h, 2w.", show_default=False)]


def _compression(ctx: typer.Context, verb: str, name: str | None, table: str | None, older_than: str | None,
                 flags: ActionFlags, dsn: str | None) -> None:
    from console.actions.chunks import ChunkCompression
    from console.infra.durations import parse_interval

    age = parse_interval(older_than, "--older-than") if older_than else None
    run_action(ctx, dsn, ChunkCompression(verb, name, table, age), flags)


@chunk_app.command("compress")
def chunk_compress(ctx: typer.Context, name: ChunkName = None, table: TableOption = None,
                   older_than: OlderOption = None, yes: YesOption = False, dry_run: DryRunOption = False,
                   lock_timeout: LockTimeoutOption = None, statement_timeout: StatementTimeoutOption = None,
                   dsn: DsnOption = None) -> None:
    """Compress one chunk, or every uncompressed chunk of --table older than --older-than (Community)."""
    _compression(ctx, "compress", name, table, older_than, ActionFlags(yes, dry_run, lock_timeout,
                                                                       statement_timeout), dsn)


@chunk_app.command("decompress")
def chunk_decompress(ctx: typer.Context, name: ChunkName = None, table: TableOption = None,
                     older_than: OlderOption = None, yes: YesOption = False, dry_run: DryRunOption = False,
                     lock_timeout: LockTimeoutOption = None, statement_timeout: StatementTimeoutOption = None,
                     dsn: DsnOption = None) -> None:
    """Decompress one chunk, or every compressed chunk of --table older than --older-than (Community)."""
    _compression(ctx, "decompress", name, table, older_than, ActionFlags(yes, dry_run, lock_timeout,
                                                                         statement_timeout), dsn)


@chunk_app.command("drop")
def chunk_drop(
    ctx: typer.Context,
    table: Annotated[str, typer.Option("--table", help="A hypertable.")],
    older_than: Annotated[str, typer.Option("--older-than", help="Age, e.g. 90d.")],
    yes: YesOption = False,
    dry_run: DryRunOption = False,
    lock_timeout: LockTimeoutOption = None,
    statement_timeout: StatementTimeoutOption = None,
    dsn: DsnOption = None,
) -> None:
    """Drop the chunks of --table whose whole range is older than --older-than; lists them (range, size) first."""
    from console.actions.chunks import ChunkDrop
    from console.infra.durations import parse_interval

    request = ChunkDrop(table, parse_interval(older_than, "--older-than"))
    run_action(ctx, dsn, request, ActionFlags(yes, dry_run, lock_timeout, statement_timeout))
