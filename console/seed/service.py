"""`obsconsole seed`: check the target, settle the prices, generate and write, then the Community aftercare."""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

import psycopg
from psycopg.rows import class_row

from console.actions import audit
from console.infra import boundary, durations, write_gate
from console.infra.db import Conn, Timeouts, connect, outside_transaction, wasm_engine
from console.infra.dsn import ResolvedDsn
from console.infra.errors import EXIT_FAILED, ConsoleError, server_words
from console.infra.queries import query
from console.infra.server import server_info
from console.seed import aftercare, pricing
from console.seed.generator import (
    ModelSpec,
    SeedSpec,
    generate,
    iter_hours,
    model_specs,
    most_used_priced_model,
    spans_per_hour,
    window,
)
from console.seed.pricing import Price, PriceBook, PriceChange
from console.seed.writers import CopyWriter, InsertWriter, WriteStats

SEED_TIMEOUTS = Timeouts(statement_ms=1_800_000, lock_ms=10_000)
DEFAULT_DAYS = 10
DEFAULT_RATE = 250.0  # spans per hour: 60,000 spans over the default 10 days
MAX_SPANS = 100_000_000
MAX_DAYS = 3_650
MAX_WORKERS = 32
BLOCK_SPANS = 20_000  # spans generated and written per unit of work (one COPY per table per block)


class Reporter(Protocol):
    """Where the service reports progress (the CLI draws a rich progress bar on stderr)."""

    def begin(self, total_spans: int, description: str) -> None: ...

    def advance(self, spans: int) -> None: ...

    def note(self, message: str) -> None: ...

    def end(self) -> None: ...


class SilentReporter:
    """A Reporter that reports nothing."""

    def begin(self, total_spans: int, description: str) -> None:
        pass

    def advance(self, spans: int) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def end(self) -> None:
        pass


@dataclass(frozen=True)
class SeedOptions:
    """The user's choices (validated by `validate`)."""

    days: int = DEFAULT_DAYS
    spans: int | None = None
    rate: float | None = None
    seed: int = 1
    end: datetime | None = None  # None: now, truncated to the hour
    workers: int = 1
    aftercare: bool = True


@dataclass(frozen=True)
class TargetInfo:
    """The connected server as the seeder sees it."""

    version: str
    license: str | None
    has_traces: bool
    has_logs: bool
    has_metrics: bool
    has_pricing: bool
    has_cache_prices: bool

    @property
    def wasm(self) -> bool:
        return wasm_engine(self.version)

    @property
    def community(self) -> bool:
        return self.license == "timescale"

    @property
    def label(self) -> str:
        engine = "tsl engine (PGlite, WASM)" if self.wasm else "PostgreSQL"
        edition = {"timescale": "Community", "apache": "Apache"}.get(self.license or "", self.license or "no")
        return f"{engine}, TimescaleDB {edition} edition"


@dataclass(frozen=True)
class WriteOutcome:
    """How the rows went in."""

    path: str
    workers: int
    stats: WriteStats
    traces: int
    generate_s: float  # summed over workers
    seconds: float  # wall clock, generation + writing

    @property
    def spans_per_s(self) -> float:
        return self.stats.spans / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class SeedResult:
    """What `seed` did."""

    target: str
    engine: str
    seed: int
    window_start: datetime
    window_end: datetime
    path: str
    workers: int
    spans: int
    traces: int
    logs: int
    metrics: int
    seconds: float
    spans_per_s: float
    prices_source: str
    price_change: PriceChange | None
    price_change_note: str
    models: list[str]
    unpriced_models: list[str]
    aftercare: aftercare.AftercareReport | None
    aftercare_note: str
    notes: list[str] = field(default_factory=list)


def validate(options: SeedOptions) -> None:
    """Raise ConsoleError (exit 2, one line) for impossible flags, before connecting."""
    if options.days < 1:
        raise ConsoleError(f"--days must be at least 1 (got {options.days})")
    if options.days > MAX_DAYS:
        raise ConsoleError(f"--days must be at most {MAX_DAYS} (got {options.days})")
    if options.spans is not None and options.rate is not None:
        raise ConsoleError("give either --spans or --rate, not both")
    if options.spans is not None and not 1 <= options.spans <= MAX_SPANS:
        raise ConsoleError(f"--spans must be between 1 and {MAX_SPANS:,} (got {options.spans})")
    if options.rate is not None and not (math.isfinite(options.rate) and options.rate > 0):
        raise ConsoleError(f"--rate must be a positive number of spans per hour (got {options.rate})")
    if options.rate is not None and options.rate * options.days * 24 > MAX_SPANS:
        raise ConsoleError(f"--rate {options.rate:g} over {options.days} days is more than {MAX_SPANS:,} spans")
    if not 1 <= options.workers <= MAX_WORKERS:
        raise ConsoleError(f"--workers must be between 1 and {MAX_WORKERS} (got {options.workers})")
    if options.end is not None:
        durations.reach_back(options.end, timedelta(days=options.days + 1), "--end",
                             f"{options.end.isoformat()} with --days {options.days}")


def parse_end(text: str | None) -> datetime | None:
    """--end as an aware UTC datetime ('2026-11-25T00:00Z', '2026-11-25 00:00+01:00', '2026-11-25'); naive = UTC."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConsoleError(f"--end {text!r} is not an ISO 8601 date or time (e.g. 2026-11-25T00:00Z)") from None
    return durations.in_range(moment, "--end", text)


def target_info(conn: Conn) -> TargetInfo:
    """Engine build, edition and which tables exist (one query)."""
    with conn.cursor(row_factory=class_row(TargetInfo)) as cur:
        row = cur.execute(query("seed/target")).fetchone()
    assert row is not None
    return row


# What the seeder writes: spans, logs, metrics and the synthetic price change (a missing table is its own line).
SEED_NEEDS = [write_gate.Need("INSERT", "table", name)
              for name in ("llm_traces", "llm_logs", "llm_metrics", "model_pricing")]


def seed(target: ResolvedDsn, options: SeedOptions, reporter: Reporter | None = None) -> SeedResult:
    """Seed [end - days, end) of spans, logs and metrics; on Community refresh the caggs and run the policy jobs."""
    validate(options)
    report = reporter or SilentReporter()
    end = options.end or datetime.now(UTC)
    start, hours = window(end, options.days)
    end = start + timedelta(hours=hours)
    write_gate.refuse_read_only("seed")
    with connect(target, read_only=False, timeouts=SEED_TIMEOUTS) as conn:
        write_gate.require(conn, "seed", SEED_NEEDS)
        info = target_info(conn)
        missing = [t for t, ok in (("llm_traces", info.has_traces), ("llm_logs", info.has_logs),
                                   ("llm_metrics", info.has_metrics)) if not ok]
        if missing:
            hint = "`obsconsole migrate`" if info.community else "`obsconsole migrate --to 3` (Apache edition)"
            raise ConsoleError(f"{', '.join(missing)} missing in this database: run {hint} first; nothing was seeded")
        row = conn.execute(query("seed/window_taken"), {"start": start, "end": end}).fetchone()
        taken = list(row[0]) if row and isinstance(row[0], list) else []
        if taken:
            raise ConsoleError(
                f"{', '.join(taken)} already {'holds' if len(taken) == 1 else 'hold'} rows between {_iso(start)} and "
                f"{_iso(end)}: seeding again would collide; choose another --end or --days, or empty the tables "
                "first; nothing was seeded"
            )
        book, source, change, change_note = _prices(conn, info, start, end)
        models = model_specs(book, end.date())
        total = options.spans if options.spans is not None else round((options.rate or DEFAULT_RATE) * hours)
        spec = SeedSpec(seed=options.seed, start=start, hours=hours, spans=max(1, total), models=models, prices=book)
        notes = _cache_price_note(book, models, end.date())
        workers = options.workers
        if info.wasm and workers > 1:
            notes.append(f"--workers {workers} ignored: the tsl engine serves one connection at a time")
            workers = 1
        report.begin(spec.spans, f"seeding {spec.spans:,} spans")
        try:
            outcome = write(conn, target, spec, wasm=info.wasm, workers=workers, on_spans=report.advance)
        finally:
            report.end()
        boundary.note_done(f"seeded {outcome.stats.spans:,} spans")  # an aftercare error after it: exit 1
        care: aftercare.AftercareReport | None = None
        if not info.community:
            care_note = (f"skipped: the {info.license or 'unknown'} edition has no continuous aggregates, compression "
                         "or policy jobs")
        elif not options.aftercare:
            care_note = "skipped (--no-aftercare)"
        else:
            server_id = server_info(conn).server_id
            with outside_transaction(conn):
                care = aftercare.run(conn, start, end, report.note, lambda step: _audit_run(target, step, server_id))
            care_note = (f"refreshed {sum(s.action == 'refresh' for s in care.steps)} continuous aggregates, ran "
                         f"{sum(s.action == 'run_job' for s in care.steps)} policy jobs"
                         + (f"; {len(care.failed)} failed" if care.failed else ""))
    return SeedResult(
        target=target.masked, engine=info.label, seed=options.seed, window_start=start, window_end=end,
        path=outcome.path, workers=outcome.workers, spans=outcome.stats.spans, traces=outcome.traces,
        logs=outcome.stats.logs, metrics=outcome.stats.metrics, seconds=outcome.seconds,
        spans_per_s=outcome.spans_per_s, prices_source=source, price_change=change, price_change_note=change_note,
        models=[f"{m.provider}/{m.model}" for m in models],
        unpriced_models=[f"{m.provider}/{m.model}" for m in models if book.first_date(m.provider, m.model) is None],
        aftercare=care, aftercare_note=care_note, notes=notes,
    )


def _audit_run(target: ResolvedDsn, step: aftercare.Step, server_id: str | None) -> None:
    """A policy job the aftercare ran, in the audit log as `obsconsole job run` logs one (TimescaleDB keeps no
    statistics for it, and the jobs pane reads it from there); a log that cannot be written does not stop a seed."""
    with contextlib.suppress(OSError):
        audit.record(target, f"job run {step.job_id}", f"failed: {step.error}" if step.error else "done",
                     sql=f"CALL run_job({step.job_id});", touches=(f"{step.target} (seed aftercare)",),
                     duration_ms=step.seconds * 1000, server_id=server_id)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def load_prices(conn: Conn, info: TargetInfo) -> tuple[PriceBook, str]:
    """The price list to cost spans with (model_pricing, else migration 006's list) and where it came from."""
    if not info.has_pricing:
        return PriceBook(pricing.from_migration()), "migration 006's price list (no model_pricing table here)"
    book = PriceBook(_price_rows(conn))
    if not book.models():
        raise ConsoleError("model_pricing has no rows: apply migration 006 (its seed prices) first; nothing was seeded")
    return book, "model_pricing table"


def _prices(conn: Conn, info: TargetInfo, start: datetime, end: datetime
            ) -> tuple[PriceBook, str, PriceChange | None, str]:
    """The price book to cost spans with, where it came from, and the synthetic mid-window price change."""
    book, source = load_prices(conn, info)
    day = pricing.change_date(start, end)
    chosen = most_used_priced_model(model_specs(book, end.date()), book)
    if day is None or chosen is None:
        why = "the window lies within one UTC day" if day is None else "no priced model"
        return book, source, None, f"none: {why}"
    before = book.at(chosen.provider, chosen.model, day - timedelta(days=1))
    after = pricing.synthetic_change(book, chosen.provider, chosen.model, day)
    if before is None or after is None:
        return book, source, None, f"none: {chosen.model} has no price before {day}"
    inserted = False
    if info.has_pricing:
        returned = conn.execute(query("seed/price_change_cached" if info.has_cache_prices else "seed/price_change"), {
            "provider": after.provider, "model": after.model, "input": after.input_per_1k,
            "output": after.output_per_1k, "cache_read": after.cache_read_per_1k,
            "cache_write": after.cache_write_per_1k, "effective_date": after.effective_date,
        }).fetchone()
        inserted = returned is not None
        book = PriceBook(_price_rows(conn))
    else:
        book = book.with_price(after)
    effective = book.at(chosen.provider, chosen.model, day) or after
    change = PriceChange(chosen.provider, chosen.model, day, before, effective, inserted, info.has_pricing)
    where = ("inserted into model_pricing" if inserted else "already in model_pricing" if info.has_pricing
             else "applied in memory only (no model_pricing table)")
    note = (f"SYNTHETIC price change by obsconsole seed: {chosen.provider}/{chosen.model} from {day} "
            f"input {_usd(before.input_per_1k)} -> {_usd(effective.input_per_1k)}, output "
            f"{_usd(before.output_per_1k)} -> {_usd(effective.output_per_1k)} USD per 1k tokens ({where})")
    return book, source, change, note


def _cache_price_note(book: PriceBook, models: tuple[ModelSpec, ...], day: date) -> list[str]:
    """A note naming how many seeded models have no cache prices (their cached input costs the input rate)."""
    priced = [book.at(m.provider, m.model, day) for m in models]
    without = [p for p in priced if p is not None and p.cache_read_per_1k is None and p.cache_write_per_1k is None]
    if not without:
        return []
    return [f"{len(without)} of {sum(p is not None for p in priced)} priced models have no cache prices in force: "
            "their cached input costs the input rate (`obsconsole prices sync` adds the catalog's)"]


def _usd(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class _PriceRow:
    provider: str
    model: str
    input_price_per_1k_usd: Decimal
    output_price_per_1k_usd: Decimal
    effective_date: date
    cache_read_price_per_1k_usd: Decimal | None
    cache_write_price_per_1k_usd: Decimal | None


def _price_rows(conn: Conn) -> list[Price]:
    with conn.cursor(row_factory=class_row(_PriceRow)) as cur:
        rows = cur.execute(query("seed/pricing_rows")).fetchall()
    return [Price(r.provider, r.model, r.input_price_per_1k_usd, r.output_price_per_1k_usd, r.effective_date,
                  r.cache_read_price_per_1k_usd, r.cache_write_price_per_1k_usd)
            for r in rows]


# --- writing -----------------------------------------------------------------------------------------------------

def blocks(per_hour: list[int], workers: int) -> list[tuple[int, int]]:
    """Consecutive hour ranges of about BLOCK_SPANS spans (smaller when that leaves workers idle)."""
    total = sum(per_hour)
    target = max(1, min(BLOCK_SPANS, math.ceil(total / (4 * workers)) if workers > 1 else BLOCK_SPANS))
    result: list[tuple[int, int]] = []
    first, acc = 0, 0
    for hour, count in enumerate(per_hour):
        acc += count
        if acc >= target:
            result.append((first, hour + 1))
            first, acc = hour + 1, 0
    if first < len(per_hour):
        result.append((first, len(per_hour)))
    return result


def write(conn: Conn, target: ResolvedDsn, spec: SeedSpec, *, wasm: bool, workers: int = 1,
          on_spans: Callable[[int], None] = lambda _n: None) -> WriteOutcome:
    """Generate and write every row of `spec`: INSERT batches on the tsl engine, binary COPY elsewhere."""
    per_hour = spans_per_hour(spec)
    plan = blocks(per_hour, workers)
    stats = WriteStats()
    traces = 0
    generate_s = 0.0
    started = time.perf_counter()
    copier: CopyWriter | None = None
    try:
        if workers > 1 and not wasm:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init,
                                     initargs=(target.dsn, target.source, spec, per_hour)) as pool:
                futures = [pool.submit(_worker_block, first, last) for first, last in plan]
                for future in as_completed(futures):
                    block_stats, block_gen_s, block_traces = future.result()
                    stats.add(block_stats)
                    generate_s += block_gen_s
                    traces += block_traces
                    on_spans(block_stats.spans)
            path = f"binary COPY, {workers} parallel streams"
        elif wasm:
            writer = InsertWriter(conn)
            for first, last in plan:
                gen_started = time.perf_counter()
                rows = generate(spec, first, last, per_hour)
                generate_s += time.perf_counter() - gen_started
                stats.add(writer.write(rows, on_spans))
                traces += rows.trace_count
            path = writer.path
        else:
            copier = CopyWriter(conn)
            for first, last in plan:
                block_stats, block_traces, block_gen_s = copier.write_stream(
                    iter_hours(spec, first, last, per_hour), on_spans)
                stats.add(block_stats)
                traces += block_traces
                generate_s += block_gen_s
            path = copier.path
    except psycopg.Error as exc:
        message = server_words(exc)
        written = copier.committed_spans if copier is not None else stats.spans
        rest = " (the logs and metrics of their last block were not written)" if copier and copier.rest_pending else ""
        raise ConsoleError(f"writing failed after {written:,} spans{rest}: {message}", EXIT_FAILED) from None
    return WriteOutcome(path, workers if not wasm else 1, stats, traces, generate_s, time.perf_counter() - started)


_worker: dict[str, Any] = {}


def _worker_init(dsn: str, source: str, spec: SeedSpec, per_hour: list[int]) -> None:
    _worker["conn"] = connect(ResolvedDsn(dsn, source), read_only=False, timeouts=SEED_TIMEOUTS)
    _worker["spec"] = spec
    _worker["per_hour"] = per_hour


def _worker_block(first: int, last: int) -> tuple[WriteStats, float, int]:
    stats, traces, generate_s = CopyWriter(_worker["conn"]).write_stream(
        iter_hours(_worker["spec"], first, last, _worker["per_hour"]))
    return stats, generate_s, traces


def spec_for(book: PriceBook, seed_value: int, end: datetime, days: int, spans: int, *, logs: bool = True,
             metrics: bool = True) -> SeedSpec:
    """A SeedSpec for `spans` spans over the `days` days before `end` (used by bench: spans only)."""
    start, hours = window(end, days)
    return SeedSpec(seed=seed_value, start=start, hours=hours, spans=spans,
                    models=model_specs(book, (start + timedelta(hours=hours)).date()), prices=book,
                    with_logs=logs, with_metrics=metrics)
