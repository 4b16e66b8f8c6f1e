"""`obsconsole seed`."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import DsnOption, app


@app.command()
def seed(
    dsn: DsnOption = None,
    days: Annotated[int, typer.Option("--days", help="Days of data, ending at --end.")] = 10,
    spans: Annotated[
        int | None, typer.Option("--spans", help="Total spans (default: --rate x hours).", show_default=False)
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option("--rate", help="Average spans per hour (default 250; follows a daily curve).", show_default=False),
    ] = None,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed: same seed and --end, same rows.")] = 1,
    end: Annotated[
        str | None,
        typer.Option("--end", help="End of the window, ISO 8601 (e.g. 2026-11-25T00:00Z); default now. "
                                   "Truncated to the hour.", show_default=False),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Parallel COPY streams (native engines only).")] = 1,
    no_aftercare: Annotated[
        bool, typer.Option("--no-aftercare", help="Do not refresh continuous aggregates or run policy jobs.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Fill llm_traces, llm_logs and llm_metrics with deterministic synthetic LLM traffic.

    Costs come from model_pricing (or migration 006's list when the table is absent) at each span's date; a
    synthetic mid-window price change is added to model_pricing. On TimescaleDB Community the continuous
    aggregates are then refreshed over the window and each policy job is run once.
    """
    from console.commands.render import seed as render
    from console.infra import dsn as dsn_mod
    from console.infra.json_out import print_json
    from console.seed.service import SeedOptions, parse_end, validate
    from console.seed.service import seed as run_seed

    options = SeedOptions(days=days, spans=spans, rate=rate, seed=seed_value, end=parse_end(end), workers=workers,
                          aftercare=not no_aftercare)
    validate(options)
    result = run_seed(dsn_mod.resolve(dsn), options, render.RichReporter())
    if as_json:
        print_json(result)
    else:
        render.print_result(result)
    if result.aftercare is not None and result.aftercare.failed:
        raise typer.Exit(1)
