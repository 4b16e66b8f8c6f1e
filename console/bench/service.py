"""`obsconsole bench`: span ingest through the seeder's bulk path against a psql \\copy baseline, pane-style query
latency (p50/p95) and the index each sample query uses (EXPLAIN).

It empties llm_traces (TRUNCATE) before each load, so it is for staging databases: on a table that holds spans
it refuses unless told `--yes`. The spans stay loaded afterwards (the baseline's copy of them).
Baseline: the rows the seeder wrote are exported as CSV (COPY TO STDOUT), the table is emptied and psql loads the
file with `\\copy` (one COPY FROM STDIN in text/CSV form). The tsl engine crashes on COPY FROM STDIN, so there the
baseline is skipped and the reason reported.
"""

from __future__ import annotations

import json
import math
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from console.bench import startup
from console.bench.explain import PlanSummary, summarize
from console.bench.psql import find_psql, psql_command
from console.infra.db import Conn, Timeouts, connect, outside_transaction
from console.infra.dsn import ResolvedDsn, scrub
from console.infra.errors import ConsoleError
from console.infra.prepared import prepare_when_direct
from console.infra.queries import query
from console.infra.server import server_info
from console.infra.write_gate import Need, require
from console.panes import PaneOptions, refresh_all
from console.panes.catalog.cache import PaneCache
from console.seed.service import Reporter, SilentReporter, load_prices, spec_for, target_info, write

BENCH_TIMEOUTS = Timeouts(statement_ms=3_600_000, lock_ms=10_000)
BENCH_SEED = 1
BENCH_DAYS = 10
EXPLAIN_PREFIX = "EXPLAIN (FORMAT JSON) "  # put before a sample query's own SQL file
# (name, query file, kind): catalog queries as the panes run them, then the sample queries of the spec's indexes.
QUERIES = (
    ("chunks", "bench/q_chunks", "catalog"),
    ("hypertable_detailed_size", "bench/q_hypertable_size", "catalog"),
    ("jobs", "bench/q_jobs", "catalog"),
    ("approximate_row_count", "bench/q_approx_rows", "catalog"),
    ("by provider and time", "bench/q_by_provider", "sample"),
    ("by trace_id", "bench/q_by_trace", "sample"),
    ("errors", "bench/q_errors", "sample"),
    ("expensive", "bench/q_expensive", "sample"),
    ("cost by model over a time range", "bench/q_cost_by_model", "sample"),
)
TSL_NO_BASELINE = ("psql \\copy sends COPY FROM STDIN, which crashes the tsl engine (PGlite/WASM): "
                   "baseline skipped")


@dataclass(frozen=True)
class BenchOptions:
    """The user's choices."""

    spans: int = 100_000
    workers: int = 1
    repeat: int = 20
    yes: bool = False
    baseline: bool = True


@dataclass(frozen=True)
class Ingest:
    """The seeder's bulk path, end to end (generation included)."""

    path: str
    workers: int
    spans: int
    seconds: float
    generate_s: float
    spans_per_s: float


@dataclass(frozen=True)
class Baseline:
    """psql \\copy of the same rows from a CSV file into the emptied table; or why it was skipped."""

    skipped: str | None = None
    csv_bytes: int = 0
    export_s: float = 0.0
    seconds: float = 0.0
    spans: int = 0
    spans_per_s: float = 0.0
    ratio: float | None = None  # seeder spans/s divided by psql \copy spans/s


@dataclass(frozen=True)
class QueryTiming:
    """Latency of one query over `runs` runs after a warm-up, in milliseconds, and its plan if it is a sample."""

    name: str
    kind: str  # panes | catalog | sample
    runs: int
    rows: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    plan: PlanSummary | None = None


@dataclass(frozen=True)
class BenchResult:
    """Everything bench measured."""

    target: str
    engine: str
    started_at: datetime
    ingest: Ingest
    baseline: Baseline
    queries: list[QueryTiming]
    parameters: dict[str, str]
    startup: startup.Startup


def validate(options: BenchOptions) -> None:
    """Raise ConsoleError (exit 2, one line) for impossible flags."""
    if not 1 <= options.spans <= 100_000_000:
        raise ConsoleError(f"--spans must be between 1 and 100,000,000 (got {options.spans})")
    if not 1 <= options.workers <= 32:
        raise ConsoleError(f"--workers must be between 1 and 32 (got {options.workers})")
    if not 1 <= options.repeat <= 10_000:
        raise ConsoleError(f"--repeat must be between 1 and 10,000 (got {options.repeat})")


def bench(target: ResolvedDsn, options: BenchOptions, first_paint: startup.FirstPaint,
          reporter: Reporter | None = None) -> BenchResult:
    """Empty llm_traces, load spans with the seeder's bulk path, then the psql baseline, then time queries."""
    validate(options)
    report = reporter or SilentReporter()
    started_at = datetime.now(UTC)
    with connect(target, read_only=False, timeouts=BENCH_TIMEOUTS) as conn:
        require(conn, "bench", [Need("TRUNCATE", "table", "llm_traces"), Need("INSERT", "table", "llm_traces")])
        info = target_info(conn)
        if not info.has_traces:
            raise ConsoleError("llm_traces missing in this database: run `obsconsole migrate` first; nothing was done")
        if conn.execute(query("bench/has_spans")).fetchone() == (True,) and not options.yes:
            raise ConsoleError("llm_traces already holds spans and bench empties it (TRUNCATE): "
                               "run it on a staging database and pass --yes; nothing was done")
        conn.execute(query("bench/truncate"))
        book, _source = load_prices(conn, info)
        end = started_at.replace(minute=0, second=0, microsecond=0)
        spec = spec_for(book, BENCH_SEED, end, BENCH_DAYS, options.spans, logs=False, metrics=False)
        workers = 1 if info.wasm else options.workers
        report.begin(options.spans, f"bench: loading {options.spans:,} spans")
        try:
            outcome = write(conn, target, spec, wasm=info.wasm, workers=workers, on_spans=report.advance)
        finally:
            report.end()
        ingest = Ingest(outcome.path, outcome.workers, outcome.stats.spans, outcome.seconds, outcome.generate_s,
                        outcome.spans_per_s)
        if info.wasm:
            baseline = Baseline(skipped=TSL_NO_BASELINE)
        elif not options.baseline:
            baseline = Baseline(skipped="--no-baseline")
        else:
            report.note("baseline: exporting the same rows to CSV and loading them with psql \\copy ...")
            baseline = _baseline(conn, target, ingest)
        report.note("timing queries ...")
        with outside_transaction(conn):
            conn.execute(query("bench/vacuum"))
        params = _parameters(conn)
        timings = [_time_panes(conn, options.repeat)]
        timings += [_time_query(conn, name, file, kind, params, options.repeat) for name, file, kind in QUERIES]
    report.note("timing the console's start-up ...")
    return BenchResult(target.masked, info.label, started_at, ingest, baseline, timings,
                       {k: str(v) for k, v in params.items()}, startup.measure(target, first_paint))


def _baseline(conn: Conn, target: ResolvedDsn, ingest: Ingest) -> Baseline:
    psql = find_psql()
    if psql is None:
        return Baseline(skipped="psql not found (PATH, $OBSCONSOLE_PG_BIN, /usr/lib/postgresql/*/bin): "
                                "baseline skipped")
    with tempfile.TemporaryDirectory(prefix="obsconsole-bench-") as tmp:
        csv_path = Path(tmp) / "spans.csv"
        started = time.perf_counter()
        with csv_path.open("wb") as out, conn.cursor() as cur, cur.copy(query("bench/export_csv")) as copy:
            for chunk in copy:
                out.write(chunk)
        export_s = time.perf_counter() - started
        conn.execute(query("bench/truncate"))
        quoted = str(csv_path).replace("'", "''")
        argv, env = psql_command(psql, target, "-c", f"\\copy llm_traces FROM '{quoted}' WITH (FORMAT csv)")
        started = time.perf_counter()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            detail = (proc.stderr.strip().splitlines() or ["no message"])[-1]
            raise ConsoleError(f"psql \\copy baseline failed (exit {proc.returncode}): {scrub(detail, target.dsn)}")
        row = conn.execute(query("bench/count")).fetchone()
        loaded = int(str(row[0])) if row else 0
        rate = loaded / seconds if seconds > 0 else 0.0
        return Baseline(None, csv_path.stat().st_size, export_s, seconds, loaded, rate,
                        ingest.spans_per_s / rate if rate > 0 else None)


def _parameters(conn: Conn) -> dict[str, Any]:
    cur = conn.execute(query("bench/params"))
    row = cur.fetchone()
    names = [d.name for d in cur.description or []]
    return dict(zip(names, row or (), strict=False))


def _time_query(conn: Conn, name: str, file: str, kind: str, params: dict[str, Any], repeat: int) -> QueryTiming:
    sql = query(file)
    conn.execute(sql, params).fetchall()  # warm-up (catalog caches, plan, buffers)
    samples: list[float] = []
    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = len(conn.execute(sql, params).fetchall())
        samples.append((time.perf_counter() - started) * 1000)
    plan = None
    if kind == "sample":
        explained = conn.execute(EXPLAIN_PREFIX + sql, params).fetchone()
        value = explained[0] if explained else None
        plan = summarize(json.loads(value) if isinstance(value, str) else value)
    ordered = sorted(samples)
    return QueryTiming(name, kind, repeat, rows, _percentile(ordered, 50), _percentile(ordered, 95), ordered[-1], plan)


def _time_panes(conn: Conn, repeat: int) -> QueryTiming:
    """A full refresh of the five panes on one connection: the unit the dashboard repeats."""
    info = server_info(conn)
    prepare_when_direct(conn)  # as the dashboard's session does
    options = PaneOptions(cache=PaneCache())  # as the dashboard refreshes: catalog and sizes kept between refreshes
    refresh_all(conn, info, options)  # warm-up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        snapshot = refresh_all(conn, info, options)
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    rows = sum(len(p.rows) for p in snapshot.panes)
    return QueryTiming("full refresh of the five panes", "panes", repeat, rows, _percentile(ordered, 50),
                       _percentile(ordered, 95), ordered[-1])


def _percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]
