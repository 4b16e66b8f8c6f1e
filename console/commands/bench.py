"""`obsconsole bench`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console.commands.common import DsnOption, app


@app.command()
def bench(
    dsn: DsnOption = None,
    spans: Annotated[int, typer.Option("--spans", help="Spans to load (10 days ending now).")] = 100_000,
    workers: Annotated[int, typer.Option("--workers", help="Parallel COPY streams (native engines only).")] = 1,
    repeat: Annotated[int, typer.Option("--repeat", help="Timed runs per query (p50/p95).")] = 20,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the results to this JSON file.", show_default=False)
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Empty llm_traces even if it holds spans (staging databases only).")
    ] = False,
    no_baseline: Annotated[bool, typer.Option("--no-baseline", help="Skip the psql \\copy baseline.")] = False,
) -> None:
    """Measure span ingest (seeder bulk path vs psql \\copy), query latency p50/p95 and the indexes used.

    Empties llm_traces (TRUNCATE) first: refuses on a table with spans unless --yes.
    """
    from console.bench.service import BenchOptions, validate
    from console.bench.service import bench as run_bench
    from console.commands.render import bench as render
    from console.commands.render.seed import RichReporter
    from console.infra import dsn as dsn_mod
    from console.tui.run import first_paint_ms

    options = BenchOptions(spans=spans, workers=workers, repeat=repeat, yes=yes, baseline=not no_baseline)
    validate(options)
    result = run_bench(dsn_mod.resolve(dsn), options, first_paint_ms, RichReporter())
    render.print_result(result)
    if json_file is not None:
        render.write_json(result, json_file)
        typer.echo(f"results written to {json_file}", err=True)
