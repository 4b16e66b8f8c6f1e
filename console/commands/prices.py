"""`obsconsole prices sync|list`: model prices from the genai-prices catalog into model_pricing."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import DsnOption, group

prices_app = group("prices", "Model prices: sync model_pricing with the genai-prices catalog, list them.")

ProviderOption = Annotated[
    str | None,
    typer.Option("--provider", help="Only this provider (span name such as gcp.gemini, or the catalog's id).",
                 show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print as JSON.")]


@prices_app.command("sync")
def prices_sync(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the diff; change nothing.")] = False,
    provider: ProviderOption = None,
    models_seen: Annotated[
        bool, typer.Option("--models-seen", help="Only models that appear in llm_traces.")] = False,
    as_json: JsonOption = False,
    dsn: DsnOption = None,
) -> None:
    """Insert a model_pricing row with its effective date for every catalog price that is missing or changed
    (offline, from the package's snapshot). History is never updated or deleted; a second run inserts nothing."""
    from console.commands.render import prices as render
    from console.infra import dsn as dsn_mod
    from console.infra.db import connect
    from console.infra.json_out import print_json
    from console.infra.write_gate import refuse_read_only
    from console.prices import sync

    refuse_read_only("prices sync", dry_run=dry_run)
    with connect(dsn_mod.resolve(dsn)) as conn:
        result = sync.plan(conn, provider=provider, models_seen=models_seen, dry_run=dry_run)
        if dry_run:
            sync.check(conn, result, dry_run=True)
        else:
            sync.apply(conn, result)
    if as_json:
        print_json(result)
    else:
        render.print_sync(result)


@prices_app.command("list")
def prices_list(provider: ProviderOption = None, as_json: JsonOption = False, dsn: DsnOption = None) -> None:
    """The prices in force now (UTC) with their effective dates and the next dated change."""
    from console.commands.render import prices as render
    from console.infra import dsn as dsn_mod
    from console.infra.db import connect
    from console.infra.json_out import print_json
    from console.prices import listing

    with connect(dsn_mod.resolve(dsn)) as conn:
        listed = listing.in_force_now(conn, provider)
    if as_json:
        print_json(listed)
    else:
        render.print_list(listed)
