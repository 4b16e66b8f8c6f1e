"""`obsconsole bench`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console.commands.common import DsnOption, app


@app.command()
def bench(
    ctx: typer.Context,
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
    chunks: Annotated[
        str | None,
        typer.Option("--chunks", help="Instead: catalog sizes to measure the dashboard at, e.g. 100,1000,10000 "
                     "(in a scratch database bench creates and drops).", show_default=False),
    ] = None,
    fleet: Annotated[
        int | None,
        typer.Option("--fleet", help="Instead: clone a migrated scratch database N times (CREATE DATABASE … "
                     "TEMPLATE, native engine) and measure the fleet's refresh p50/p95 and memory; all dropped "
                     "afterwards.", show_default=False),
    ] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=256,
                                             help="With --fleet: databases read at once.")] = 16,
    memory: Annotated[
        bool, typer.Option("--memory", help="With --chunks: then run the TUI headless on the largest catalog and "
                           "sample its resident memory.")
    ] = False,
    memory_minutes: Annotated[
        float, typer.Option("--memory-minutes", help="With --memory: how long the TUI runs.")
    ] = 3.0,
    memory_refresh: Annotated[
        float, typer.Option("--memory-refresh", help="With --memory: the dashboard's refresh interval (s).")
    ] = 1.0,
    record: Annotated[
        bool, typer.Option("--record", help="Instead: what a recording of the target costs (bytes per snapshot, "
                           "a week) and how fast a week replays (seek p50/p95), in scratch files.")
    ] = False,
    startup: Annotated[
        bool, typer.Option("--startup", help="Instead: how fast the console opens on the target (read only): "
                           "`obsconsole` launched 5 times in a pseudo-terminal, its first frame and the five panes "
                           "drawn from the launch (medians), `--help`, and the first paint after connecting.")
    ] = False,
    snapshots: Annotated[
        int, typer.Option("--snapshots", help="With --record: snapshots to record (the dictionary is trained "
                          "after 32).", min=40, max=10_000)
    ] = 80,
) -> None:
    """Measure span ingest (seeder bulk path vs psql \\copy), query latency p50/p95 and the indexes used.

    Empties llm_traces (TRUNCATE) first: refuses on a table with spans unless --yes. With --chunks, measures
    instead what the dashboard costs the server at each catalog size, against a psql floor, in a scratch
    database (the target's own tables are not touched).
    """
    if startup:
        from console.bench import startup as start_up
        from console.commands.launch import console_shell
        from console.commands.render import bench as render
        from console.infra import dsn as dsn_mod

        target = dsn_mod.resolve(dsn)
        render.print_startup(start_up.measure(target, console_shell(ctx).first_paint_ms), start_up.launch(target))
        return
    if fleet is not None:
        _bench_fleet(dsn, fleet, repeat, concurrency, json_file)
        return
    if record:
        from console.bench.recording import bench_record
        from console.commands.render import recording as render_recording
        from console.infra import dsn as dsn_mod

        render_recording.print_bench(bench_record(dsn_mod.resolve(dsn), snapshots, lambda m: typer.echo(m, err=True)))
        return
    if chunks is not None:
        _bench_chunks(ctx, dsn, chunks, repeat, json_file, memory_minutes if memory else 0.0, memory_refresh)
        return
    from console.bench.service import BenchOptions, validate
    from console.bench.service import bench as run_bench
    from console.commands.launch import console_shell
    from console.commands.render import bench as render
    from console.commands.render.seed import RichReporter
    from console.infra import dsn as dsn_mod
    from console.infra.userfiles import check_writable

    options = BenchOptions(spans=spans, workers=workers, repeat=repeat, yes=yes, baseline=not no_baseline)
    validate(options)
    if json_file is not None:
        check_writable(json_file, "--json-file")
    result = run_bench(dsn_mod.resolve(dsn), options, console_shell(ctx).first_paint_ms, RichReporter())
    render.print_result(result)
    if json_file is not None:
        render.write_json(result, json_file)
        typer.echo(f"results written to {json_file}", err=True)


def _bench_chunks(ctx: typer.Context, dsn: str | None, chunks: str, repeat: int, json_file: Path | None,
                  memory_minutes: float, memory_refresh: float) -> None:
    from console.bench.scale import ScaleOptions, bench_chunks, parse_chunks, validate
    from console.commands.launch import console_shell
    from console.commands.render import bench as render
    from console.infra import dsn as dsn_mod
    from console.infra.errors import ConsoleError
    from console.infra.userfiles import check_writable

    if memory_minutes != 0 and memory_minutes < 0.01:
        raise ConsoleError(f"--memory-minutes must be between 0.01 and 1440 (got {memory_minutes:g})")
    options = ScaleOptions(parse_chunks(chunks), repeat=repeat, memory_minutes=memory_minutes,
                           memory_refresh_s=memory_refresh)
    validate(options)
    if json_file is not None:
        check_writable(json_file, "--json-file")
    memory_run = console_shell(ctx).memory_run
    result = bench_chunks(dsn_mod.resolve(dsn), options, memory_run, lambda m: typer.echo(m, err=True))
    render.print_scale(result)
    if json_file is not None:
        render.write_json(result, json_file)
        typer.echo(f"results written to {json_file}", err=True)


def _bench_fleet(dsn: str | None, count: int, repeat: int, concurrency: int, json_file: Path | None) -> None:
    from console.bench.fleet import bench_fleet
    from console.commands.render import bench as render
    from console.infra import dsn as dsn_mod

    result = bench_fleet(dsn_mod.resolve(dsn), count, repeat=repeat, concurrency=concurrency,
                         progress=lambda m: typer.echo(m, err=True))
    render.print_fleet(result)
    if json_file is not None:
        render.write_json(result, json_file)
        typer.echo(f"results written to {json_file}", err=True)
