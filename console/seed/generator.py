"""Deterministic synthetic LLM traffic: spans (llm_traces), correlated logs (llm_logs), hourly metrics (llm_metrics).

Pure: no I/O, no clock, only `random.Random`. The window is cut into hours; the number of spans per hour is fixed
up front (diurnal and weekly curve, largest-remainder rounding to exactly the requested total) and each hour is
generated from its own generator seeded with (seed, hour). So the same seed and end give the same rows whatever
the order, the process or the number of workers that generates the hours, and a slice of hours can be generated
alone (parallel COPY workers).

Realism: models and providers come from the price list (plus one model with no price, whose cost stays NULL);
token counts are lognormal (heavy-tailed; a few long-context calls), latency and time to first token depend on
the model; each provider has error bursts (rate limits, overloads) on top of a small base error rate; end users
and sessions follow a Zipf-like skew; environments production/staging/dev; traces of 1-4 calls that stay inside
their hour. Every log belongs to a generated span; the metrics of an hour x provider x model are exact sums of
its spans. Rows respect the CHECK constraints of migration 001 (cache and reasoning tokens are subsets).
"""

from __future__ import annotations

import hashlib
import math
import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from console.seed.pricing import Price, PriceBook, costs

Row = tuple[Any, ...]

TRACE_COLUMNS = (
    "ts", "trace_id", "span_id", "parent_span_id", "span_name", "span_kind", "service_name", "operation_name",
    "provider", "request_model", "model", "response_id", "input_tokens", "output_tokens", "total_tokens",
    "cache_read_input_tokens", "cache_creation_input_tokens", "reasoning_output_tokens", "input_cost_usd",
    "output_cost_usd", "total_cost_usd", "duration_ms", "time_to_first_token_ms", "finish_reason", "status",
    "error_type", "error_message", "user_id", "session_id", "environment", "server_address", "attributes", "tags",
)
TRACE_TYPES = (
    "timestamptz", "text", "text", "text", "text", "text", "text", "text",
    "text", "text", "text", "text", "int4", "int4", "int4",
    "int4", "int4", "int4", "numeric",
    "numeric", "numeric", "float8", "float8", "text", "text",
    "text", "text", "text", "text", "text", "text", "jsonb", "text[]",
)
# Positions in a span row (checked against TRACE_COLUMNS below).
TS, TRACE_ID, SPAN_ID, SPAN_NAME, SERVICE, OPERATION, PROVIDER, MODEL = 0, 1, 2, 4, 6, 7, 8, 10
INPUT_TOKENS, OUTPUT_TOKENS, TOTAL_COST, DURATION, STATUS, ERROR_TYPE, ERROR_MESSAGE = 12, 13, 20, 21, 24, 25, 26
assert [TRACE_COLUMNS[i] for i in (SPAN_NAME, SERVICE, OPERATION, PROVIDER, MODEL, INPUT_TOKENS, OUTPUT_TOKENS,
                                   TOTAL_COST, DURATION, STATUS, ERROR_TYPE, ERROR_MESSAGE)] == [
    "span_name", "service_name", "operation_name", "provider", "model", "input_tokens", "output_tokens",
    "total_cost_usd", "duration_ms", "status", "error_type", "error_message"]
LOG_COLUMNS = ("ts", "trace_id", "span_id", "service_name", "provider", "model", "log_level", "message", "attributes")
LOG_TYPES = ("timestamptz", "text", "text", "text", "text", "text", "text", "text", "jsonb")
METRIC_COLUMNS = (
    "ts", "metric_name", "provider", "model", "metric_type", "unit", "environment", "value", "sample_count",
    "min_value", "max_value", "attributes",
)
METRIC_TYPES = ("timestamptz", "text", "text", "text", "text", "text", "text", "float8", "int8", "float8", "float8",
                "jsonb")

# Metric names written per hour x provider x model (value = exact sums of that hour's spans).
METRIC_REQUESTS = "llm.requests"  # counter: spans; sample_count = spans
METRIC_ERRORS = "llm.errors"  # counter: spans with status 'error'
METRIC_INPUT_TOKENS = "gen_ai.client.token.usage.input"  # counter: sum(input_tokens)
METRIC_OUTPUT_TOKENS = "gen_ai.client.token.usage.output"  # counter: sum(output_tokens)
METRIC_COST = "llm.cost"  # counter, USD: sum(total_cost_usd); absent when the model has no price
METRIC_DURATION = "gen_ai.client.operation.duration"  # histogram, s: sum/count/min/max of duration_ms / 1000

SEED_TAG = "obsconsole-seed"  # on every seeded span's tags; attributes carry "obsconsole.seed": <seed>
UNPRICED_MODEL = ("mistral_ai", "codestral")  # no row in the price list: its spans show cost NULL (unknown)
MAX_SPAN_MS = 600_000.0  # client timeout: no call lasts longer (keeps every trace inside its hour)

ENVIRONMENTS = (("production", 0.78), ("staging", 0.15), ("dev", 0.07))
SERVICES = (  # service.name, weight, tag
    ("support-bot", 0.34, "support"),
    ("search-api", 0.22, "search"),
    ("code-assistant", 0.18, "coding"),
    ("doc-summarizer", 0.14, "summaries"),
    ("agent-runner", 0.12, "agents"),
)
SPANS_PER_TRACE = ((1, 0.58), (2, 0.24), (3, 0.12), (4, 0.06))
SERVER_ADDRESS = {
    "openai": "api.openai.com", "anthropic": "api.anthropic.com", "gcp.gemini": "generativelanguage.googleapis.com",
    "mistral_ai": "api.mistral.ai", "groq": "api.groq.com", "deepseek": "api.deepseek.com",
    "cohere": "api.cohere.com",
}
RESPONSE_PREFIX = {"openai": "chatcmpl-", "anthropic": "msg_", "mistral_ai": "cmpl-", "groq": "chatcmpl-",
                   "deepseek": "chatcmpl-", "cohere": "gen-", "gcp.gemini": "resp-"}
# error.type -> message. Bursts draw from BURST_ERRORS, the background rate from BASE_ERRORS.
ERROR_MESSAGES = {
    "rate_limit_exceeded": "429 Too Many Requests: rate limit reached for requests",
    "overloaded": "529 Overloaded: the provider is temporarily overloaded",
    "server_error": "500 Internal Server Error while processing the request",
    "timeout": "request timed out after 600 s",
    "context_length_exceeded": "400 Bad Request: the prompt exceeds the model's context window",
    "content_filter": "400 Bad Request: the response was blocked by the content filter",
}
BURST_ERRORS = ("rate_limit_exceeded", "overloaded", "server_error", "timeout")
BASE_ERRORS = (("server_error", 0.35), ("timeout", 0.25), ("context_length_exceeded", 0.25), ("content_filter", 0.15))
BASE_ERROR_RATE = 0.008


@dataclass(frozen=True)
class Profile:
    """How a model behaves: popularity, token scale, speed, time to first token, reasoning tokens."""

    weight: float
    ttft_ms: float  # median time to first token
    ms_per_token: float  # median decode time per output token
    input_median: float = 1_100.0
    output_median: float = 260.0
    reasoning: bool = False


# Known models (migration 006's list); a priced model not listed here gets DEFAULT_PROFILE.
PROFILES: dict[str, Profile] = {
    "gpt-4o": Profile(14, 450, 11), "gpt-4o-mini": Profile(22, 300, 7), "gpt-4.1": Profile(6, 500, 12),
    "gpt-4.1-mini": Profile(8, 350, 8), "o3": Profile(2, 2_500, 14, output_median=700, reasoning=True),
    "o4-mini": Profile(4, 1_500, 9, output_median=600, reasoning=True),
    "gpt-5": Profile(6, 1_800, 12, output_median=650, reasoning=True),
    "gpt-5-mini": Profile(9, 900, 8, output_median=500, reasoning=True),
    "claude-3-5-haiku": Profile(5, 500, 9), "claude-sonnet-4": Profile(8, 900, 16),
    "claude-opus-4": Profile(1, 1_400, 28, input_median=2_500), "claude-opus-4-1": Profile(1.5, 1_400, 28,
                                                                                           input_median=2_500),
    "claude-sonnet-4-5": Profile(10, 900, 15), "claude-haiku-4-5": Profile(6, 450, 8),
    "gemini-2.5-pro": Profile(4, 1_800, 10, output_median=600, reasoning=True),
    "gemini-2.5-flash": Profile(8, 500, 5, reasoning=True), "gemini-2.5-flash-lite": Profile(5, 300, 3),
    "mistral-large": Profile(2, 500, 14), "mistral-small": Profile(3, 250, 6),
    "llama-3.3-70b-versatile": Profile(4, 150, 3), "deepseek-chat": Profile(4, 800, 15),
    "deepseek-reasoner": Profile(2, 2_500, 16, output_median=900, reasoning=True),
    "command-a": Profile(1.5, 500, 13), "command-r": Profile(1.5, 300, 7), "codestral": Profile(1.5, 300, 6),
}
DEFAULT_PROFILE = Profile(1, 600, 12)


@dataclass(frozen=True)
class ModelSpec:
    """A model the generator uses: who serves it and how it behaves."""

    provider: str
    model: str
    profile: Profile


@dataclass(frozen=True)
class Burst:
    """A provider's error burst: from start to end (seconds since the window start), this error rate and type."""

    provider: str
    start_s: float
    end_s: float
    rate: float
    error_type: str


@dataclass(frozen=True)
class SeedSpec:
    """Everything the rows depend on; picklable. Same spec, same rows."""

    seed: int
    start: datetime  # aware, UTC, on the hour
    hours: int
    spans: int
    models: tuple[ModelSpec, ...]
    prices: PriceBook
    with_logs: bool = True
    with_metrics: bool = True

    @property
    def end(self) -> datetime:
        return self.start + timedelta(hours=self.hours)


@dataclass
class HourRows:
    """The rows generated for a run of hours."""

    traces: list[Row] = field(default_factory=list)
    logs: list[Row] = field(default_factory=list)
    metrics: list[Row] = field(default_factory=list)
    trace_count: int = 0


def model_specs(book: PriceBook, until: date) -> tuple[ModelSpec, ...]:
    """The models to seed: every priced model of PROFILES (served by a provider of SERVER_ADDRESS) with a price
    effective by `until`, plus UNPRICED_MODEL. A synced catalog prices hundreds of models, some under several
    providers (o4-mini on Azure too); the seeder keeps to the ones whose behaviour it knows."""
    chosen = [(p, m) for p, m in book.models()
              if p in SERVER_ADDRESS and m in PROFILES and (book.first_date(p, m) or until) <= until]
    if UNPRICED_MODEL not in chosen and book.first_date(*UNPRICED_MODEL) is None:
        chosen.append(UNPRICED_MODEL)
    return tuple(ModelSpec(p, m, PROFILES.get(m, DEFAULT_PROFILE)) for p, m in sorted(chosen))


def most_used_priced_model(models: tuple[ModelSpec, ...], book: PriceBook) -> ModelSpec | None:
    """The priced model with the largest weight (ties: by name): where the synthetic price change goes."""
    priced = [m for m in models if book.first_date(m.provider, m.model) is not None]
    return min(priced, key=lambda m: (-m.profile.weight, m.provider, m.model)) if priced else None


def spans_per_hour(spec: SeedSpec) -> list[int]:
    """Exactly spec.spans spread over the hours by a diurnal (peak 15:00 UTC) and weekly (quiet weekend) curve."""
    weights = []
    for hour in range(spec.hours):
        moment = spec.start + timedelta(hours=hour)
        peak = math.exp(-(((moment.hour - 15) / 4.5) ** 2))  # US/EU overlap
        night_batch = 0.35 * math.exp(-(((moment.hour - 4) / 2.5) ** 2))  # nightly batch jobs
        diurnal = 0.3 + peak + night_batch
        weekly = 0.55 if moment.weekday() >= 5 else 1.0
        weights.append(diurnal * weekly)
    total = sum(weights)
    exact = [spec.spans * w / total for w in weights]
    counts = [int(x) for x in exact]
    remainder = spec.spans - sum(counts)
    by_fraction = sorted(range(spec.hours), key=lambda h: (counts[h] - exact[h], h))
    for hour in by_fraction[:remainder]:
        counts[hour] += 1
    return counts


def bursts(spec: SeedSpec) -> tuple[Burst, ...]:
    """Each provider's error bursts over the window (about one every 2.5 days, 15-90 minutes each)."""
    rng = random.Random(f"obsconsole-seed:{spec.seed}:bursts")
    window_s = spec.hours * 3600.0
    result = []
    for provider in sorted({m.provider for m in spec.models}):
        for _ in range(max(1, round(spec.hours / 60))):
            start = rng.uniform(0, window_s)
            result.append(Burst(provider, start, start + rng.uniform(900, 5_400), rng.uniform(0.25, 0.6),
                                rng.choice(BURST_ERRORS)))
    return tuple(result)


class _Tables:
    """Cumulative weights for fast weighted picks (bisect), shared by all hours of a spec."""

    def __init__(self, spec: SeedSpec) -> None:
        self.models = spec.models
        self.model_cum = list(accumulate(m.profile.weight for m in spec.models))
        users = max(20, min(20_000, spec.spans // 150))
        self.users = [f"user-{k:05d}" for k in range(1, users + 1)]
        self.user_cum = list(accumulate(1.0 / k**1.1 for k in range(1, users + 1)))  # Zipf-like, s = 1.1
        self.env_cum = list(accumulate(w for _e, w in ENVIRONMENTS))
        self.service_cum = list(accumulate(w for _s, w, _t in SERVICES))
        self.length_cum = list(accumulate(w for _n, w in SPANS_PER_TRACE))
        self.base_error_cum = list(accumulate(w for _e, w in BASE_ERRORS))
        self.bursts = bursts(spec)


def generate(spec: SeedSpec, first_hour: int, last_hour: int, per_hour: list[int] | None = None) -> HourRows:
    """The rows of hours [first_hour, last_hour): spans sorted by time, their logs, their hourly metrics."""
    out = HourRows()
    for rows in iter_hours(spec, first_hour, last_hour, per_hour):
        out.traces.extend(rows.traces)
        out.logs.extend(rows.logs)
        out.metrics.extend(rows.metrics)
        out.trace_count += rows.trace_count
    return out


def iter_hours(spec: SeedSpec, first_hour: int, last_hour: int, per_hour: list[int] | None = None
               ) -> Iterator[HourRows]:
    """The rows of hours [first_hour, last_hour), one hour at a time (for streaming into a COPY)."""
    counts = per_hour if per_hour is not None else spans_per_hour(spec)
    tables = _Tables(spec)
    for hour in range(first_hour, last_hour):
        out = HourRows()
        _generate_hour(spec, tables, hour, counts[hour], out)
        yield out


def _pick(rng: random.Random, cum: list[float]) -> int:
    return min(bisect(cum, rng.random() * cum[-1]), len(cum) - 1)


def _generate_hour(spec: SeedSpec, tables: _Tables, hour: int, count: int, out: HourRows) -> None:
    if count == 0:
        return
    rng = random.Random(f"obsconsole-seed:{spec.seed}:{hour}")
    hour_start = spec.start + timedelta(hours=hour)
    day = hour_start.date()
    hour_s = hour * 3600.0
    prices = {(m.provider, m.model): spec.prices.at(m.provider, m.model, day) for m in tables.models}
    hour_bursts = [b for b in tables.bursts if b.start_s < hour_s + 3600 and b.end_s > hour_s]
    spans: list[Row] = []
    logs: list[Row] = []
    attributes_base = {"obsconsole.seed": spec.seed}
    left = count
    while left > 0:
        length = min(SPANS_PER_TRACE[_pick(rng, tables.length_cum)][0], left)
        left -= length
        trace_spans = _trace(spec, tables, rng, hour_start, hour_s, day, length, prices, hour_bursts, attributes_base)
        spans.extend(trace_spans)
        out.trace_count += 1
        if spec.with_logs:
            logs.extend(_logs(rng, trace_spans, spec.seed))
    spans.sort(key=lambda r: (r[TS], r[TRACE_ID], r[SPAN_ID]))
    out.traces.extend(spans)
    if spec.with_logs:
        logs.sort(key=lambda r: (r[TS], r[TRACE_ID], r[SPAN_ID]))
        out.logs.extend(logs)
    if spec.with_metrics:
        out.metrics.extend(_metrics(hour_start, spans, spec.seed))


def _trace(
    spec: SeedSpec, tables: _Tables, rng: random.Random, hour_start: datetime, hour_s: float, day: date,
    length: int, prices: dict[tuple[str, str], Price | None], hour_bursts: list[Burst],
    attributes_base: dict[str, int],
) -> list[Row]:
    user_index = _pick(rng, tables.user_cum)
    user = tables.users[user_index]
    session_number = min(int(rng.expovariate(1.2)), 6)
    session = hashlib.blake2b(f"{spec.seed}:{user}:{day}:{session_number}".encode(), digest_size=8).hexdigest()
    environment = ENVIRONMENTS[_pick(rng, tables.env_cum)][0]
    service, _weight, service_tag = SERVICES[_pick(rng, tables.service_cum)]
    trace_id = f"{rng.getrandbits(128):032x}"
    root_span: str | None = None
    long_context = rng.random() < 0.03
    streaming = rng.random() < 0.6
    model = tables.models[_pick(rng, tables.model_cum)]
    # (offset in microseconds from the hour start, duration_ms, fields...) first; shifted to fit the hour below.
    drafts: list[list[Any]] = []
    offset_us = int(rng.random() * 3_600_000_000)
    for position in range(length):
        if position and rng.random() < 0.3:
            model = tables.models[_pick(rng, tables.model_cum)]
        profile = model.profile
        span_id = f"{rng.getrandbits(64):016x}"
        at_s = hour_s + offset_us / 1e6
        error_type = None
        for burst in hour_bursts:
            if burst.provider == model.provider and burst.start_s <= at_s < burst.end_s and rng.random() < burst.rate:
                error_type = burst.error_type
                break
        if error_type is None and rng.random() < BASE_ERROR_RATE:
            error_type = BASE_ERRORS[_pick(rng, tables.base_error_cum)][0]
        input_median = profile.input_median * (1 + 0.6 * position) * (25 if long_context else 1)
        input_tokens = max(1, min(200_000, int(rng.lognormvariate(math.log(input_median), 0.9 if long_context
                                                                                               else 1.1))))
        max_tokens = 16_384 if profile.reasoning else 4_096
        raw_output = int(rng.lognormvariate(math.log(profile.output_median), 0.9))
        output_tokens = max(1, min(max_tokens, raw_output))
        finish: str | None = "length" if raw_output >= max_tokens else (
            "tool_calls" if rng.random() < 0.12 else "stop")
        cache_read = int(input_tokens * rng.uniform(0.3, 0.9)) if input_tokens > 1024 and rng.random() < 0.35 else 0
        cache_write = 0
        if model.provider == "anthropic" and rng.random() < 0.1:
            cache_write = int((input_tokens - cache_read) * rng.uniform(0.2, 0.8))
        reasoning = int(output_tokens * rng.uniform(0.2, 0.75)) if profile.reasoning else 0
        first_token_ms = profile.ttft_ms * rng.lognormvariate(0.0, 0.35)
        duration = first_token_ms + output_tokens * profile.ms_per_token * rng.lognormvariate(0.0, 0.25)
        ttft = round(first_token_ms, 3) if streaming else None  # only streaming calls report a first chunk
        status = "ok" if rng.random() < 0.9 else "unset"
        if error_type is not None:
            input_tokens = output_tokens = cache_read = cache_write = reasoning = 0
            finish = None
            status = "error"
            duration = MAX_SPAN_MS if error_type == "timeout" else rng.uniform(40, 900)
            ttft = None
        duration = round(min(duration, MAX_SPAN_MS), 3)
        input_cost, output_cost, total_cost = costs(prices[(model.provider, model.model)], input_tokens,
                                                    output_tokens, cache_read, cache_write)
        attributes = {**attributes_base, "gen_ai.request.temperature": rng.choice((0, 0.2, 0.7, 1)),
                      "gen_ai.request.max_tokens": max_tokens, "gen_ai.output.type": "text"}
        operation = "chat" if service != "doc-summarizer" or position else "text_completion"
        response_id = (None if error_type else
                       f"{RESPONSE_PREFIX.get(model.provider, 'resp-')}{rng.getrandbits(96):024x}")
        drafts.append([
            offset_us, trace_id, span_id, root_span, f"{operation} {model.model}", "client", service, operation,
            model.provider, model.model, model.model, response_id, input_tokens, output_tokens,
            input_tokens + output_tokens, cache_read, cache_write, reasoning, input_cost, output_cost, total_cost,
            duration, ttft, finish, status, error_type,
            ERROR_MESSAGES[error_type] if error_type else None, user, f"sess-{session}", environment,
            SERVER_ADDRESS.get(model.provider), attributes, [SEED_TAG, service_tag, environment],
        ])
        root_span = root_span or span_id
        offset_us += int(duration * 1000) + rng.randint(5_000, 800_000)
    # Keep the whole trace (every span's end) inside its hour: the hourly metrics then cover whole traces.
    last_end_us = drafts[-1][TS] + int(drafts[-1][DURATION] * 1000) + 2  # + 2: its end-of-span log stays inside too
    shift = max(0, last_end_us - 3_600_000_000)
    for draft in drafts:
        draft[TS] = hour_start + timedelta(microseconds=draft[TS] - shift)
    return [tuple(d) for d in drafts]


def _logs(rng: random.Random, spans: list[Row], seed: int) -> list[Row]:
    """Logs for some spans: an info line at the start, an error or slow-call warning at the end."""
    logs: list[Row] = []
    for span in spans:
        ts, trace_id, span_id, duration = span[TS], span[TRACE_ID], span[SPAN_ID], span[DURATION]
        service, provider, model = span[SERVICE], span[PROVIDER], span[MODEL]
        end = ts + timedelta(microseconds=int(duration * 1000) + 1)
        attributes = {"obsconsole.seed": seed, "gen_ai.operation.name": span[OPERATION]}
        if rng.random() < 0.15:
            logs.append((ts, trace_id, span_id, service, provider, model, "info",
                         f"{span[SPAN_NAME]}: sending request ({span[INPUT_TOKENS]} input tokens)", attributes))
        if span[STATUS] == "error":
            logs.append((end, trace_id, span_id, service, provider, model, "error",
                         f"{provider} {model} failed: {span[ERROR_MESSAGE]}",
                         {**attributes, "error.type": span[ERROR_TYPE]}))
        elif duration > 20_000:
            logs.append((end, trace_id, span_id, service, provider, model, "warn",
                         f"slow LLM call: {duration / 1000:.1f} s for {span[OUTPUT_TOKENS]} output tokens",
                         attributes))
    return logs


def _metrics(hour_start: datetime, spans: list[Row], seed: int) -> list[Row]:
    """Per provider x model: requests, errors, input/output token sums, cost sum, duration histogram."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for span in spans:
        groups.setdefault((span[PROVIDER], span[MODEL]), []).append(span)
    rows: list[Row] = []
    attributes = {"obsconsole.seed": seed, "aggregation": "1h"}
    for (provider, model), members in sorted(groups.items()):
        n = len(members)
        errors = sum(1 for s in members if s[STATUS] == "error")
        seconds = [s[DURATION] / 1000 for s in members]
        priced = [s[TOTAL_COST] for s in members if s[TOTAL_COST] is not None]

        def counter(name: str, unit: str, value: float, extra: dict[str, Any] | None = None,
                    key: tuple[str, str, int] = (provider, model, n)) -> Row:
            # key: this group's provider, model and count, bound now (not late, as a closure would).
            return (hour_start, name, key[0], key[1], "counter", unit, None, value, key[2], None, None,
                    {**attributes, **(extra or {})})

        rows.append(counter(METRIC_REQUESTS, "{request}", float(n)))
        rows.append(counter(METRIC_ERRORS, "{request}", float(errors)))
        rows.append(counter(METRIC_INPUT_TOKENS, "{token}", float(sum(s[INPUT_TOKENS] for s in members)),
                            {"gen_ai.token.type": "input"}))
        rows.append(counter(METRIC_OUTPUT_TOKENS, "{token}", float(sum(s[OUTPUT_TOKENS] for s in members)),
                            {"gen_ai.token.type": "output"}))
        if priced:
            total: Decimal = sum(priced, Decimal(0))
            rows.append(counter(METRIC_COST, "USD", float(total), {"unpriced_requests": n - len(priced)}))
        rows.append((hour_start, METRIC_DURATION, provider, model, "histogram", "s", None, math.fsum(seconds), n,
                     min(seconds), max(seconds), attributes))
    return rows


def window(end: datetime, days: int) -> tuple[datetime, int]:
    """(start, hours) of the window of `days` days ending at `end` (UTC, floored to the hour)."""
    end = end.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return end - timedelta(days=days), days * 24
