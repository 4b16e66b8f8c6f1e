"""Printing bench results: rich tables on stdout, JSON to a file."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from console.bench.fleet import Cpu, FleetBenchResult
from console.bench.scale import DASHBOARD_REFRESH_S, Memory, ScaleResult
from console.bench.service import BenchResult
from console.bench.startup import HELP_RUNS, LAUNCH_SIZE, Launch, Startup
from console.bench.stats import Spread
from console.commands.render.wrap import fold, width
from console.infra import userfiles
from console.infra.json_out import plain


def write_json(result: BenchResult | ScaleResult | FleetBenchResult, path: Path) -> None:
    """The whole result as indented JSON in `path`."""
    userfiles.write_bytes(path, (json.dumps(plain(result), indent=2) + "\n").encode(), "--json-file")


def print_result(result: BenchResult) -> None:
    """Ingest figures, the baseline and ratio, query latency and the indexes each sample query uses."""
    out = Console()
    ingest, baseline = result.ingest, result.baseline
    out.print(f"target   {result.target} ({result.engine})", markup=False, highlight=False)
    load = Table("load", "spans", "seconds", "spans/s", "how", title="ingest")
    load.add_row("seeder bulk path", f"{ingest.spans:,}", f"{ingest.seconds:.2f}", f"{ingest.spans_per_s:,.0f}",
                 f"{ingest.path}; generation {ingest.generate_s:.2f} s")
    if baseline.skipped:
        load.add_row("psql \\copy (CSV)", "-", "-", "-", baseline.skipped)
    else:
        ratio = f"seeder / psql = {baseline.ratio:.2f}x" if baseline.ratio is not None else ""
        load.add_row("psql \\copy (CSV)", f"{baseline.spans:,}", f"{baseline.seconds:.2f}",
                     f"{baseline.spans_per_s:,.0f}", f"{baseline.csv_bytes / 1e6:,.1f} MB CSV; {ratio}")
    out.print(load)
    if baseline.ratio is not None and baseline.ratio < 0.9:
        out.print(f"why slower than psql \\copy: {ingest.generate_s:.1f} s of the seeder's {ingest.seconds:.1f} s "
                  "went to generating the rows in Python, while psql only reads a finished file; the server's own "
                  "write rate is the same for both. --workers N generates in parallel.", markup=False, highlight=False)
    queries = Table("query", "kind", "rows", "p50 ms", "p95 ms", "indexes used", "scans",
                    title=f"query latency ({result.queries[0].runs if result.queries else 0} runs each)")
    for timing in result.queries:
        plan = timing.plan
        queries.add_row(
            timing.name, timing.kind, str(timing.rows), f"{timing.p50_ms:.2f}", f"{timing.p95_ms:.2f}",
            ", ".join(plan.indexes) or "(none)" if plan else "",
            ", ".join(plan.node_types) if plan else "",
        )
    out.print(queries)
    out.print(f"start-up: `obsconsole --help` {result.startup.help_s:.2f} s (median of 5); first dashboard paint "
              f"{result.startup.first_paint_ms:.0f} ms after the connection is made", markup=False, highlight=False)


def print_startup(measured: Startup, launched: Launch) -> None:
    """`bench --startup`: from the launch, then `--help`, then the first paint on an open connection."""
    runs = ", ".join(f"{first:.2f}/{drawn:.2f}" for first, drawn in launched.runs)
    for line in (f"obsconsole launched {len(launched.runs)} times in a {LAUNCH_SIZE[1]}x{LAUNCH_SIZE[0]} terminal: "
                 f"first frame {launched.first_frame_s:.2f} s, five panes drawn {launched.panes_drawn_s:.2f} s "
                 f"after the launch (medians; each run: {runs} s)",
                 f"`obsconsole --help` {measured.help_s:.2f} s (median of {HELP_RUNS})",
                 f"first dashboard paint {measured.first_paint_ms:.0f} ms after the connection is made"):
        typer.echo("\n".join(fold(line, width())))


MEMORY_ROWS = 24  # samples printed at most (the JSON file has them all)


def _fleet_cpu(cpu: Cpu) -> str:
    server = "server n/a" if cpu.backends_ms is None or cpu.postmaster_ms is None else (
        f"server {cpu.backends_ms + cpu.postmaster_ms:,.0f} ms (backends {cpu.backends_ms:,.0f}, "
        f"postmaster {cpu.postmaster_ms:,.0f})")
    return f"this process {cpu.client_ms:,.0f} ms, {server}"


def _ms(spread: Spread | None) -> str:
    return f"{spread.p50_ms:,.1f} / {spread.p95_ms:,.1f}" if spread else "-"


def _cpu(value: float | None) -> str:
    return f"{value:,.1f}" if value is not None else "n/a"


def print_scale(result: ScaleResult) -> None:
    """Per catalog size: the panes' refresh beside the psql floor, statements and server CPU; per pane; memory."""
    out = Console()

    def say(text: str) -> None:
        out.print(text, markup=False, highlight=False)

    say(f"target   {result.target} ({result.engine})")
    say(f"scratch  a {result.scratch_kind} created and dropped by bench; {result.migrated}")
    table = Table("chunks", "build s", "panes ms p50/p95", "floor ms p50/p95", "ratio", "stmts", "CPU ms",
                  "floor CPU ms", title=f"five-pane refresh vs the psql floor ({result.repeat} runs, after a warm-up)")
    for point in result.points:
        ratio = f"{point.ratio_p50:.1f}x" if point.ratio_p50 is not None else "-"
        table.add_row(f"{point.total_chunks:,}", f"{point.build_s:,.1f}", _ms(point.refresh), _ms(point.floor.refresh),
                      ratio, f"{point.statements_per_refresh:g} + {point.floor.statements_per_refresh}",
                      _cpu(point.server_cpu_ms), _cpu(point.floor.server_cpu_ms))
    out.print(table)
    panes = Table("pane", *[f"{p.total_chunks:,} chunks p50 / p95 ms" for p in result.points], "status (largest)",
                  title="each pane within the refresh")
    names = [f.pane for f in result.points[0].panes] if result.points else []
    for name in names:
        figures = [next((f for f in p.panes if f.pane == name), None) for p in result.points]
        last = figures[-1]
        panes.add_row(name, *[_ms(f.timing) if f else "-" for f in figures], last.status if last else "-")
    out.print(panes)
    cold = Table("chunks", "refreshes until every size measured", "their p50 / p95 ms",
                 f"cold share per {DASHBOARD_REFRESH_S:g} s refresh", "ms per cold chunk", "≈ ms per refresh",
                 title="cold chunk sizes: first measured within a time budget per refresh, then again when old")
    for point in result.points:
        share = point.cold.share(DASHBOARD_REFRESH_S)
        cold.add_row(f"{point.total_chunks:,}", str(point.cold.refreshes), _ms(point.cold.timing), f"{share:.1f}",
                     f"{point.cold.ms_per_chunk:.2f}", f"{share * point.cold.ms_per_chunk:.1f}")
    out.print(cold)
    if result.points:
        point = result.points[-1]
        say(f"cold: each refresh measures the hot chunks, then cold ones for up to {point.cold.budget_ms:g} ms until "
            f"all are measured; each is measured again {point.cold.ttl_s / 60:g} min later")
        say("ratio: the panes' p50 over the floor's; stmts: statements per refresh, the panes' + the floor's (the "
            "panes add a BEGIN/COMMIT each); CPU ms: server CPU per refresh")
        say(f"server CPU: {point.cpu_note}")
        say(f"floor: {point.floor.skipped or point.floor.what}")
    if result.memory is not None:
        _print_memory(out, result.memory)


def _print_memory(out: Console, memory: Memory) -> None:
    table = Table("minute", "refreshes", "RSS MiB",
                  title=f"TUI memory, headless, {memory.chunks:,} chunks, refresh {memory.refresh_s:g} s")
    step = max(1, len(memory.samples) // MEMORY_ROWS)
    shown = memory.samples[::step] + ([memory.samples[-1]] if (len(memory.samples) - 1) % step else [])
    for sample in shown:
        table.add_row(f"{sample.seconds / 60:.1f}", str(sample.refreshes), f"{sample.rss_mib:.1f}")
    out.print(table)
    first, settled, last = memory.samples[0], memory.settled, memory.samples[-1]
    rate = memory.growth_mib_per_hour
    trend = (f"; over the second half {last.rss_mib - settled.rss_mib:+.1f} MiB, i.e. {rate:+.1f} MiB per hour "
             "(extrapolated)") if rate is not None else ""
    out.print(f"RSS {first.rss_mib:.1f} -> {last.rss_mib:.1f} MiB over {memory.minutes:g} min and {last.refreshes} "
              f"refreshes{trend}", markup=False, highlight=False)


def print_fleet(result: FleetBenchResult) -> None:
    """The fleet's refresh over N clones: cold, then p50/p95 over kept connections, and memory."""
    out = Console()
    table = Table("databases", "concurrency", "cold refresh ms", "refresh ms p50/p95", "reachable", "RSS MiB",
                  "peak RSS MiB", title=f"fleet refresh ({result.repeat} runs after the cold one)")
    table.add_row(str(result.databases), str(result.concurrency), f"{result.cold_ms:,.0f}", _ms(result.refresh),
                  f"{result.reachable}/{result.databases}", f"{result.rss_mib:.1f}", f"{result.peak_rss_mib:.1f}")
    out.print(f"target   {result.target}", markup=False, highlight=False)
    out.print(f"clones   {result.databases} (CREATE DATABASE … TEMPLATE in {result.clone_s:.1f} s), "
              f"{result.migrated}; all dropped", markup=False, highlight=False)
    out.print(table)
    phase = result.connect
    out.print(f"CPU      cold refresh: {_fleet_cpu(result.cold_cpu)}\n"
              f"         one later refresh (median): {_fleet_cpu(result.refresh_cpu)}\n"
              f"         connecting alone, before (the first {result.databases} connections to the new clones, "
              f"concurrency {result.concurrency}): "
              f"{phase.wall_ms:,.0f} ms wall; {_fleet_cpu(phase.cpu)}\n"
              f"         ({result.server_cpu}; a shared machine inflates wall time, not CPU)",
              markup=False, highlight=False)
