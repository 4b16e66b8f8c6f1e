"""Printing bench results: rich tables on stdout, JSON to a file."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from console.bench.service import BenchResult
from console.infra.json_out import plain


def write_json(result: BenchResult, path: Path) -> None:
    """The whole result as indented JSON in `path`."""
    path.write_text(json.dumps(plain(result), indent=2) + "\n", encoding="utf-8")


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
