"""Live health checks beside the schema checks (the spec's QUICK_REFERENCE health checks): failing or overdue
jobs, continuous aggregates lagging their refresh window, compression backlog, chunks past retention, chunk
skew. They read the same pane services the dashboard draws, so verify and the console never disagree; chunk skew
judges sizes as the chunks pane does but reads them from catalog statistics (verify/chunk_sizes), since measuring
every chunk would exceed the check's timeout at 10,000 chunks."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from console.infra import fmt
from console.panes import HypertableCompression, Job, PaneResult, PaneStatus, RetentionWindow
from console.panes.chunks import SKEW_FACTOR, SKEW_MIN_CHUNKS
from console.panes.compression import compression
from console.panes.jobs import jobs
from console.panes.retention import retention
from console.verify.model import CheckResult, Status, longer_timeout
from console.verify.schema_checks import Context

# The built-in job that Apache builds run and fail forever, which cannot be disabled (timescale/timescaledb#10191).
APACHE_HISTORY_JOB = "policy_job_stat_history_retention"


def _not_shown(check_id: str, name: str, expected: str, result: PaneResult[Any, Any],
               timeout_ms: int) -> CheckResult | None:
    if result.status is PaneStatus.UNAVAILABLE:
        return CheckResult(check_id, name, Status.SKIP, expected, "not checked", result.reason or "unavailable")
    if result.status is PaneStatus.TIMEOUT:  # out of time says nothing about the database: not a failure
        return CheckResult(check_id, name, Status.COULD_NOT_CHECK, expected, result.reason or "timeout",
                           longer_timeout(timeout_ms))
    return None


def check_jobs(ctx: Context, timeout_ms: int) -> CheckResult:
    name, expected = "Background jobs healthy", "no job failing, none overdue"
    result = jobs(ctx.probe.conn, ctx.probe.info, timeout_ms=timeout_ms)
    if (shown := _not_shown("H01", name, expected, result, timeout_ms)) is not None:
        return shown
    rows: list[Job] = result.rows
    failing = [j for j in rows if j.last_run_status == "Failed"]
    known = [j for j in failing if not ctx.probe.info.community and j.proc.endswith(APACHE_HISTORY_JOB)]
    real = [j for j in failing if j not in known]
    overdue = [j for j in rows if j.overdue_by is not None or j.next_start_stuck]

    def failure(job: Job) -> str:
        error = f": {job.last_error.message}" if job.last_error and job.last_error.message else ""
        return f"job {job.job_id} {job.proc} ({job.target_name or 'no target'}) failed{error}"

    if real:
        return CheckResult("H01", name, Status.FAIL, expected, "; ".join(failure(j) for j in real),
                           "read the error, fix its cause, then `CALL run_job(<id>)` or wait for the next run",
                           [failure(j) for j in real])
    edition = ctx.probe.info.edition
    findings = [f"licence refusal: {failure(j)} (a built-in job the {edition} edition cannot run; "
                "timescale/timescaledb#10191)" for j in known]
    findings += [f"job {j.job_id} {j.proc} overdue by {fmt.short_duration(j.overdue_by)}"
                 if not j.next_start_stuck else f"job {j.job_id} {j.proc} stuck (next_start -infinity)"
                 for j in overdue]
    summary = result.summary
    not_scheduled = summary is not None and bool(summary.not_scheduled)
    if summary is not None and summary.not_scheduled:
        findings.insert(0, summary.not_scheduled)
    unknown = summary.scheduler_unknown if summary is not None else None
    if unknown and not findings:
        what, _, grant = unknown.partition(": ")
        return CheckResult("H01", name, Status.COULD_NOT_CHECK, expected,
                           f"could not check: {len(rows)} jobs, none failing, but the role {what}", grant)
    remedies = []
    if known:  # the cause is the licence, not the scheduler: say so, and where the job does run
        ids = ", ".join(str(j.job_id) for j in known)
        remedies.append(f"a licence refusal, not a fault: job {ids} runs only on the TimescaleDB Community edition "
                        f"(timescaledb.license=timescale); on this {edition} server it fails on every run")
    if overdue or not_scheduled:
        remedies.append("overdue or not scheduled: check that timescaledb is in shared_preload_libraries and "
                        "timescaledb.max_background_workers covers every database's scheduler and its jobs")
    if unknown:
        findings.append(unknown)
        remedies.append(unknown.partition(": ")[2])
    if findings:
        return CheckResult("H01", name, Status.WARN, expected, "; ".join(findings), "; ".join(remedies))
    return CheckResult("H01", name, Status.PASS, expected, f"{len(rows)} jobs, none failing or overdue")


def check_cagg_lag(ctx: Context, timeout_ms: int) -> CheckResult:
    name, expected = "Continuous aggregates fresh", "lag within end_offset + schedule + one bucket"
    if not ctx.probe.info.community:
        return CheckResult("H02", name, Status.SKIP, expected, "not checked",
                           f"{ctx.probe.info.edition} edition: continuous aggregates unavailable")
    rows = ctx.probe.rows("verify/cagg_lag")
    if not rows:
        return CheckResult("H02", name, Status.SKIP, expected, "not checked", "no continuous aggregates")
    late = [f"{r['view_name']} never refreshed" if r["lag"] is None else
            f"{r['view_name']} lags {fmt.short_duration(r['lag'])} (allowed {fmt.short_duration(r['allowed_lag'])})"
            for r in rows if r["lag"] is None or (r["allowed_lag"] is not None and r["lag"] > r["allowed_lag"])]
    if late:
        views = [r["view_name"] for r in rows
                 if r["lag"] is None or (r["allowed_lag"] is not None and r["lag"] > r["allowed_lag"])]
        calls = "; ".join(f"CALL refresh_continuous_aggregate('{v}', NULL, NULL)" for v in views)
        return CheckResult("H02", name, Status.WARN, expected, "; ".join(late),
                           f"{calls}; then check each one's refresh job (obsconsole snapshot --pane jobs)")
    return CheckResult("H02", name, Status.PASS, expected, f"{len(rows)} aggregates within their refresh window")


def check_compression_backlog(ctx: Context, timeout_ms: int) -> CheckResult:
    name, expected = "Compression keeping up", "no chunk older than compress_after left uncompressed"
    result = compression(ctx.probe.conn, ctx.probe.info, timeout_ms=timeout_ms)
    if (shown := _not_shown("H03", name, expected, result, timeout_ms)) is not None:
        return shown
    rows: list[HypertableCompression] = result.rows
    behind = [f"{r.name}: {r.backlog_chunks} chunks (oldest {fmt.short_duration(r.oldest_backlog_age)} old)"
              for r in rows if r.backlog_chunks]
    if behind:
        return CheckResult("H03", name, Status.WARN, expected, "; ".join(behind),
                           "run the table's compression job (CALL run_job(<id>)) and check why it fell behind")
    return CheckResult("H03", name, Status.PASS, expected, f"{len(rows)} hypertables, no backlog")


def check_retention_overdue(ctx: Context, timeout_ms: int) -> CheckResult:
    name, expected = "Retention keeping up", "no chunk older than drop_after still present"
    result = retention(ctx.probe.conn, ctx.probe.info, timeout_ms=timeout_ms)
    if (shown := _not_shown("H04", name, expected, result, timeout_ms)) is not None:
        return shown
    rows: list[RetentionWindow] = result.rows
    if not any(r.drop_after for r in rows):
        return CheckResult("H04", name, Status.SKIP, expected, "not checked", "no retention policies")
    overdue = [f"{r.name}: {len(r.overdue)} chunks past {fmt.short_duration(r.drop_after)}" for r in rows if r.overdue]
    if overdue:
        return CheckResult("H04", name, Status.WARN, expected, "; ".join(overdue),
                           "run the retention job (CALL run_job(<id>)) and check why it did not drop them")
    return CheckResult("H04", name, Status.PASS, expected, "no chunk past its retention window")


def check_chunk_skew(ctx: Context, timeout_ms: int) -> CheckResult:
    """Skew as the chunks pane judges it (a chunk over SKEW_FACTOR x the median of its siblings in the same
    compression state), on sizes read cheaply (verify/chunk_sizes: statistics for settled chunks, exact for hot
    ones), so it stays fast at 10,000+ chunks."""
    name, expected = "Chunk sizes even", "no chunk far bigger than the median of its hypertable"
    rows = ctx.probe.chunk_sizes
    siblings: dict[tuple[str, str, bool], list[tuple[str, int]]] = {}
    for row in rows:
        key = (row["object_schema"], row["object_name"], bool(row["is_compressed"]))
        siblings.setdefault(key, []).append((row["chunk_name"], int(row["total_bytes"] or 0)))
    skewed = []
    for (_schema, table, _compressed), chunks in siblings.items():
        if len(chunks) < SKEW_MIN_CHUNKS:
            continue
        median = statistics.median(size for _name, size in chunks)
        skewed += [f"{table}: {chunk} {fmt.size(size)} = {size / median:.1f}x the median"
                   for chunk, size in chunks if median > 0 and size > SKEW_FACTOR * median]
    if skewed:
        return CheckResult("H05", name, Status.WARN, expected, "; ".join(skewed),
                           "look for a traffic burst or a chunk-interval change; consider set_chunk_time_interval")
    return CheckResult("H05", name, Status.PASS, expected, f"{len(rows)} chunks, none skewed")


HEALTH_CHECKS: list[tuple[str, str, Callable[[Context, int], CheckResult]]] = [
    ("H01", "Background jobs healthy", check_jobs),
    ("H02", "Continuous aggregates fresh", check_cagg_lag),
    ("H03", "Compression keeping up", check_compression_backlog),
    ("H04", "Retention keeping up", check_retention_overdue),
    ("H05", "Chunk sizes even", check_chunk_skew),
]
