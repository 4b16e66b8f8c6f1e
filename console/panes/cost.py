"""Cost per model pane, from the continuous aggregate cost_analysis_hourly only (never the raw llm_traces): cost,
requests, tokens, cost per 1k tokens, share of total and change vs the previous window of equal length, an
hourly series for charts, unpriced requests, and the aggregate's freshness (watermark and refresh policy).

The change compares like with like: bucket k of the window with bucket k of the previous window, only where both
hold data, and says over how many ("vs 72 of 168 buckets"); when data covers under half of the previous window
there is no baseline to speak of and the change is "n/a (baseline partial)"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from psycopg import sql

from console.infra import fmt
from console.infra.db import Conn
from console.infra.fmt import duration_words, interval_words
from console.infra.server import ServerInfo
from console.panes.common import (
    DEFAULT_TIMEOUT_MS,
    Pane,
    PaneData,
    PaneResult,
    Unavailable,
    run_pane,
    status_view,
    unavailable,
    unavailable_reason,
)
from console.panes.rows import Row, fetch
from console.panes.view import LineChart, PaneView
from console.panes.window import CostWindow
from console.view import Align, Cell, Column, Style, ViewRow

NAME = "cost"
BUCKET = timedelta(hours=1)
TITLE = "Cost per model"
VIEW = "cost_analysis_hourly"
CURRENCY = "USD"
PER_1K_PLACES = Decimal("1e-10")
MIN_BASELINE = 0.5  # the share of the previous window's buckets that must hold data for a change to be shown
BASELINE_PARTIAL = "n/a (baseline partial)"

@dataclass(frozen=True)
class ModelCost:
    """One provider/model in the window. Costs in USD; None means no known price (never shown as 0)."""

    provider: str
    model: str
    cost_usd: Decimal | None
    requests: int
    unpriced_requests: int  # spans with no known price (their cost is not in cost_usd)
    input_tokens: int
    output_tokens: int
    cost_per_1k_tokens: Decimal | None  # cost_usd / (input + output tokens) * 1000
    share_pct: float | None  # of the window's total priced cost
    paired_cost_usd: Decimal | None  # its cost over the window's buckets that have a counterpart with data before
    previous_cost_usd: Decimal | None  # over those counterparts
    previous_requests: int  # over those counterparts
    change_pct: float | None  # paired vs previous; None when it had no cost before or the baseline is partial


@dataclass(frozen=True)
class CostPoint:
    """One hourly bucket of one model, for charts."""

    bucket: datetime
    provider: str
    model: str
    cost_usd: Decimal | None
    requests: int


@dataclass(frozen=True)
class CostFreshness:
    """How far the aggregate is materialized, and the refresh policy keeping it so."""

    view: str  # schema.name
    materialized_only: bool  # True: rows past the watermark are not visible until the next refresh
    watermark: datetime | None  # end of the last materialized bucket; None when never refreshed
    never_refreshed: bool
    lag: timedelta | None  # now - watermark (0 when the current bucket is materialized)
    watermark_in_future: bool  # past the end of the current bucket: a clock or data problem
    refresh_job_id: int | None
    refresh_scheduled: bool
    refresh_schedule: timedelta | None
    refresh_window: str | None  # "refresh from 2 days to 1 hour ago"
    expected_max_lag: timedelta | None  # end_offset + schedule_interval + one bucket
    stale: bool  # never refreshed, or lag beyond expected_max_lag
    last_refresh: datetime | None  # the policy's last successful run (None on a server without a scheduler)
    next_refresh: datetime | None
    note: str  # one line for the pane: "materialized to 10:00 (1 hour 20 minutes ago)", "never refreshed"


@dataclass(frozen=True)
class CostSummary:
    """The window, totals, the hourly series and the aggregate's freshness."""

    window_start: datetime
    window_end: datetime
    previous_start: datetime
    length: timedelta
    buckets: int  # whole hourly buckets in the window (and in the previous one it is compared with)
    currency: str
    total_cost_usd: Decimal | None
    paired_total_cost_usd: Decimal | None  # the window's cost over the paired buckets
    previous_total_cost_usd: Decimal | None  # the previous window's cost over the paired buckets
    previous_buckets: int  # buckets of the previous window that hold data
    paired_buckets: int  # buckets k holding data in both windows: what the change compares
    change_pct: float | None  # None when there is nothing to compare or the baseline is partial
    requests: int
    unpriced_requests: int
    unpriced_models: list[str]  # models with requests but no price in the window
    freshness: CostFreshness
    source: CostSource
    series: list[CostPoint] = field(default_factory=list)

    @property
    def baseline_partial(self) -> bool:
        """Under half of the previous window's buckets hold data: no change is shown."""
        return _partial(self.previous_buckets, self.buckets)

    def basis(self) -> str:
        """What the change compares: '+3.1% vs 72 of 168 buckets', or why it shows none."""
        if self.baseline_partial:
            return (f"{BASELINE_PARTIAL}: {self.previous_buckets} of the {self.buckets} buckets before hold "
                    "data")
        return f"{fmt.change(self.change_pct)} vs {self.paired_buckets} of {self.buckets} buckets"


COST_COLUMNS = ("total_cost_usd", "cost_usd", "total_cost", "cost")
REQUEST_COLUMNS = ("request_count", "requests", "count")
LOOKED_FOR = (f"looked for {VIEW}, or a continuous aggregate with a 1-hour bucket and the columns provider, model, "
              f"a cost ({', '.join(COST_COLUMNS)}) and a request count ({', '.join(REQUEST_COLUMNS)})")


@dataclass(frozen=True)
class CostSource:
    """The hourly continuous aggregate the pane reads, and the columns it recognised there."""

    schema: str
    view: str
    mat_hypertable_id: int
    bucket: str
    cost: str
    requests: str
    unpriced: str | None  # unpriced_request_count where the source has it
    input_tokens: str | None
    output_tokens: str | None

    @property
    def label(self) -> str:
        return self.view if self.view == VIEW else f"{self.view}: {self.bucket}, provider, model, {self.cost}, " \
            f"{self.requests}" + "".join(f", {c}" for c in (self.unpriced, self.input_tokens, self.output_tokens) if c)

    def template(self) -> dict[str, sql.Composable]:
        def column(name: str | None) -> sql.Composable:
            return sql.SQL("c.{}").format(sql.Identifier(name)) if name else sql.SQL("0")

        return {"view": sql.Identifier(self.schema, self.view), "bucket": sql.Identifier(self.bucket),
                "provider": sql.Identifier("provider"), "model": sql.Identifier("model"),
                "cost": sql.Identifier(self.cost), "requests": column(self.requests),
                "unpriced": column(self.unpriced), "input_tokens": column(self.input_tokens),
                "output_tokens": column(self.output_tokens)}


def find_source(rows: list[Row]) -> CostSource | None:
    """The first candidate (cost_analysis_hourly first) carrying provider, model, a cost and a request count."""
    for row in rows:
        columns = set(row["columns"])
        cost = next((c for c in COST_COLUMNS if c in columns), None)
        requests = next((c for c in REQUEST_COLUMNS if c in columns), None)
        if {"provider", "model"} <= columns and cost and requests:
            def optional(name: str, found: set[str] = columns) -> str | None:
                return name if name in found else None

            return CostSource(row["view_schema"], row["view_name"], row["mat_hypertable_id"], row["bucket_column"],
                              cost, requests, optional("unpriced_request_count"), optional("input_tokens"),
                              optional("output_tokens"))
    return None


def cost_per_model(
    conn: Conn, info: ServerInfo, window: CostWindow | None = None, *, timeout_ms: int = DEFAULT_TIMEOUT_MS
) -> PaneResult[ModelCost, CostSummary]:
    """The cost pane, from cost_analysis_hourly or another hourly cost aggregate (find_source). Unavailable on the
    Apache edition (continuous aggregates are a Community feature) and where no hourly cost aggregate exists."""
    reason = unavailable_reason(info, "cost per model (an hourly continuous aggregate)", community=True)
    if reason:
        return unavailable(NAME, TITLE, reason)
    wanted = window or CostWindow()

    def body(conn: Conn) -> PaneData[ModelCost, CostSummary]:
        source = find_source(fetch(conn, "panes/cost_source"))
        if source is None:
            raise Unavailable(f"no hourly cost aggregate in this database ({LOOKED_FOR})")
        fresh = fetch(conn, "panes/cost_freshness", {"view_schema": source.schema, "view_name": source.view})[0]
        template = source.template()
        start, end = wanted.bounds(fresh["db_now"], fresh["watermark"], BUCKET)
        previous_start = start - (end - start)
        params = {"start": start, "end": end, "previous_start": previous_start,
                  "mat_hypertable_id": fresh["mat_hypertable_id"]}
        models = fetch(conn, "panes/cost_by_model", params, template=template)
        series = [CostPoint(r["bucket"], r["provider"], r["model"], r["cost_usd"], r["requests"])
                  for r in fetch(conn, "panes/cost_series", params, template=template)]
        total = _sum(r["cost_usd"] for r in models)
        paired_total = _sum(r["paired_cost_usd"] for r in models)
        previous_total = _sum(r["previous_cost_usd"] for r in models)
        buckets = (end - start) // BUCKET
        previous_buckets = models[0]["previous_buckets"] if models else 0
        baseline = not _partial(previous_buckets, buckets)
        rows = [_model(r, total, baseline) for r in models if r["requests"]]
        freshness = _freshness(fresh)
        summary = CostSummary(
            window_start=start,
            window_end=end,
            previous_start=previous_start,
            length=end - start,
            buckets=buckets,
            currency=CURRENCY,
            total_cost_usd=total,
            paired_total_cost_usd=paired_total,
            previous_total_cost_usd=previous_total,
            previous_buckets=previous_buckets,
            paired_buckets=models[0]["paired_buckets"] if models else 0,
            change_pct=_change(paired_total, previous_total) if baseline else None,
            requests=sum(r.requests for r in rows),
            unpriced_requests=sum(r.unpriced_requests for r in rows),
            unpriced_models=sorted({r.model for r in rows if r.unpriced_requests}),
            freshness=freshness,
            source=source,
            series=series,
        )
        empty = f"no LLM requests in the window ({freshness.note})"
        return PaneData(rows, summary, empty)

    return run_pane(conn, NAME, TITLE, timeout_ms, body)


def _model(row: Row, total: Decimal | None, baseline: bool) -> ModelCost:
    cost: Decimal | None = row["cost_usd"]
    tokens = row["input_tokens"] + row["output_tokens"]
    return ModelCost(
        provider=row["provider"],
        model=row["model"],
        cost_usd=cost,
        requests=row["requests"],
        unpriced_requests=row["unpriced_requests"],
        input_tokens=row["input_tokens"],
        output_tokens=row["output_tokens"],
        cost_per_1k_tokens=(cost * 1000 / tokens).quantize(PER_1K_PLACES) if cost is not None and tokens else None,
        share_pct=float(100 * cost / total) if cost is not None and total else None,
        paired_cost_usd=row["paired_cost_usd"],
        previous_cost_usd=row["previous_cost_usd"],
        previous_requests=row["previous_requests"],
        change_pct=_change(row["paired_cost_usd"] or Decimal(0), row["previous_cost_usd"]) if baseline else None,
    )


def _freshness(row: Row) -> CostFreshness:
    lag: timedelta | None = row["lag"]
    expected: timedelta | None = row["expected_max_lag"]
    never = bool(row["never_refreshed"])
    stale = never or (lag is not None and expected is not None and lag > expected)
    start, end = interval_words(row["start_offset_text"]), interval_words(row["end_offset_text"])
    window = None
    if row["policy_job_id"] is not None:
        window = f"refresh from {start or 'the beginning'} to {end + ' ago' if end else 'now'}"
    if never:
        note = "never refreshed: the aggregate holds no data yet"
    else:
        watermark = row["watermark"]
        note = f"materialized to {fmt.when(watermark)}"
        note += f" ({duration_words(lag)} ago)" if lag else " (up to date)"
        if row["watermark_in_future"]:
            note += "; the watermark is in the future"
    if row["policy_job_id"] is None:
        note += "; no refresh policy: refreshed only by hand"
    elif stale and not never:
        note += f"; stale: more than the expected {duration_words(expected)}" if expected else "; stale"
    if row["materialized_only"]:
        note += "; materialized only: newer hours appear after the next refresh"
    return CostFreshness(
        view=f"{row['view_schema']}.{row['view_name']}",
        materialized_only=bool(row["materialized_only"]),
        watermark=row["watermark"],
        never_refreshed=never,
        lag=lag,
        watermark_in_future=bool(row["watermark_in_future"]),
        refresh_job_id=row["policy_job_id"],
        refresh_scheduled=bool(row["policy_scheduled"]),
        refresh_schedule=row["schedule_interval"],
        refresh_window=window,
        expected_max_lag=expected,
        stale=stale,
        last_refresh=row["last_refresh"],
        next_refresh=row["next_refresh"],
        note=note,
    )


def _partial(previous_buckets: int, buckets: int) -> bool:
    return previous_buckets < MIN_BASELINE * buckets


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _change(now: Decimal | None, before: Decimal | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return float(100 * (now - before) / before)


COLUMNS = (
    Column("model", 0, identifier=True),
    Column("cost $", 0, Align.RIGHT),
    Column("requests", 1, Align.RIGHT),
    Column("share", 1, Align.RIGHT),
    Column("vs before", 2, Align.RIGHT),
    Column("$/1k tok", 2, Align.RIGHT),
    Column("unpriced", 2, Align.RIGHT),
    Column("in tokens", 3, Align.RIGHT),
    Column("out tokens", 3, Align.RIGHT),
)
COST_PLACES = 4
PER_1K_SHOWN = 6
TOP_CHARTED = 5


def window_label(summary: CostSummary) -> str:
    """'24 h to 14:00 UTC (24 buckets)'."""
    hours = summary.length / timedelta(hours=1)
    length = f"{hours:.0f} h" if hours < 48 else f"{hours / 24:g} d"
    end = fmt.when(summary.window_end)
    return f"{length} to {end} ({summary.buckets} buckets)"


def view(result: PaneResult[ModelCost, CostSummary]) -> PaneView:
    """A row per model, the window in whole buckets vs as many before, freshness, unpriced requests, and an
    hourly line chart of the top models."""
    summary = result.summary
    if summary is None:
        return status_view(result, COLUMNS)
    rows = tuple(ViewRow(f"{m.provider}/{m.model}", (
        Cell.of(f"{m.provider}/{m.model}"),
        Cell.of(fmt.usd(m.cost_usd, COST_PLACES), Style.WARN if m.cost_usd is None else Style.PLAIN),
        Cell.of(f"{m.requests:,}"), Cell.of(fmt.pct(m.share_pct)), _change_cell(m, summary),
        Cell.of(fmt.usd(m.cost_per_1k_tokens, PER_1K_SHOWN) if m.cost_per_1k_tokens is not None else ""),
        Cell.of("n/a", Style.DIM) if summary.source.unpriced is None else
        Cell.of(f"{m.unpriced_requests:,}", Style.WARN if m.unpriced_requests else Style.PLAIN),
        Cell.of(f"{m.input_tokens:,}"), Cell.of(f"{m.output_tokens:,}"),
    )) for m in result.rows)
    total = fmt.usd(summary.total_cost_usd, COST_PLACES)
    line = f"{window_label(summary)}: ${total} ({summary.basis()}) · {summary.requests:,} requests"
    notes = [Cell.of(f"{summary.freshness.view}: {summary.freshness.note}",
                     Style.WARN if summary.freshness.stale else Style.DIM)]
    if summary.unpriced_requests:
        notes.append(Cell.of(f"{summary.unpriced_requests:,} requests without a price "
                             f"({', '.join(summary.unpriced_models)}): `obsconsole prices sync --models-seen` adds "
                             "the catalog's prices for the models it knows (spans already stored keep NULL costs)",
                             Style.WARN))
    message = None if result.rows else Cell.of(result.reason or "", Style.DIM)
    if summary.source.unpriced is None:
        notes.append(Cell.of(f"{summary.source.view} has no unpriced_request_count: requests without a price are "
                             "not counted apart", Style.DIM))
    title = f"{TITLE} ({summary.source.label})"
    return PaneView(NAME, title, result.status.value, COLUMNS, rows, line, message, tuple(notes), _chart(summary),
                    result.elapsed_ms)


def _change_cell(model: ModelCost, summary: CostSummary) -> Cell:
    if summary.baseline_partial:
        return Cell.of(BASELINE_PARTIAL, Style.DIM)
    return Cell.of(fmt.change(model.change_pct))


def _chart(summary: CostSummary) -> LineChart:
    totals: dict[str, Decimal] = {}
    series: dict[str, list[tuple[datetime, float]]] = {}
    for point in summary.series:
        totals[point.model] = totals.get(point.model, Decimal(0)) + (point.cost_usd or Decimal(0))
        series.setdefault(point.model, []).append((point.bucket, float(point.cost_usd or 0)))
    top = sorted(totals, key=lambda m: totals[m], reverse=True)[:TOP_CHARTED]
    return LineChart("hourly cost $ (top models)", {m: series[m] for m in top})


PANE = Pane(NAME, TITLE, lambda conn, info, options: cost_per_model(conn, info, options.window,
                                                                    timeout_ms=options.timeout_for(NAME)), view)
