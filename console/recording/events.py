"""The events between two consecutive snapshots, found by comparing them: chunks created, dropped, compressed
and decompressed per hypertable (chunk counts), job runs and failures (the jobs pane's run counters, or the job
history where the server keeps it), migrations applied (the ledger), verify statuses that changed."""

from __future__ import annotations

from datetime import datetime

from console.recording.model import Event, Kind, Stored


def between(before: Stored | None, after: Stored, at: datetime) -> list[Event]:
    """What changed from `before` to `after` (recorded at `at`); nothing for the first snapshot."""
    if before is None:
        return []
    return [*_chunks(before, after, at), *_jobs(before, after, at), *_migrations(before, after, at),
            *_verify(before, after, at)]


def _chunk_counts(stored: Stored) -> dict[str, tuple[int, int]]:
    """Per hypertable (and aggregate): (chunks, compressed chunks), from the chunks pane."""
    pane = stored.panes.chunks
    if pane is None or not pane.ok:
        return {}
    return {f"{h.schema}.{h.name}": (h.chunk_count, h.compressed_chunks) for h in pane.rows}


def _chunks(before: Stored, after: Stored, at: datetime) -> list[Event]:
    old, new = _chunk_counts(before), _chunk_counts(after)
    events = []
    for name in sorted(old.keys() & new.keys()):
        (count0, comp0), (count1, comp1) = old[name], new[name]
        for delta, grew, shrank, what in ((count1 - count0, Kind.CHUNKS_CREATED, Kind.CHUNKS_DROPPED, "chunk"),
                                          (comp1 - comp0, Kind.CHUNKS_COMPRESSED, Kind.CHUNKS_DECOMPRESSED,
                                           "compressed chunk")):
            if delta:
                kind = grew if delta > 0 else shrank
                events.append(Event(at, kind, name, f"{name}: {abs(delta)} {kind.value.split()[1]} "
                                                    f"({what}s {count0 if what == 'chunk' else comp0} -> "
                                                    f"{count1 if what == 'chunk' else comp1})", abs(delta)))
    return events


def _jobs(before: Stored, after: Stored, at: datetime) -> list[Event]:
    old_pane, new_pane = before.panes.jobs, after.panes.jobs
    if old_pane is None or new_pane is None or not new_pane.ok:
        return []
    old = {j.job_id: j for j in old_pane.rows}
    logged = {r.job_id for r in after.facts.job_runs if not r.succeeded}
    events = [Event(r.started_at, Kind.JOB_FAILED, f"job {r.job_id}", f"job {r.job_id} failed: {r.message or '?'}")
              for r in after.facts.job_runs if not r.succeeded]
    for job in new_pane.rows:
        previous = old.get(job.job_id)
        if previous is None:
            continue
        failures = job.total_failures - previous.total_failures
        runs = job.total_runs - previous.total_runs
        name = f"job {job.job_id}"
        if failures > 0 and job.job_id not in logged:
            message = job.last_error.message if job.last_error and job.last_error.message else "no message kept"
            events.append(Event(job.last_run_started_at or at, Kind.JOB_FAILED, name,
                                f"{name} ({job.name}) failed {failures}x: {message}"))
        if runs - max(failures, 0) > 0:
            events.append(Event(job.last_run_started_at or at, Kind.JOB_RUN, name,
                                f"{name} ({job.name}) ran {runs - max(failures, 0)}x: "
                                f"{job.last_run_status or 'no status'}"))
    return events


def _migrations(before: Stored, after: Stored, at: datetime) -> list[Event]:
    known = {m.version for m in before.facts.migrations}
    return [Event(m.installed_on, Kind.MIGRATION, f"{m.version:03d}",
                  f"migration {m.version:03d} {m.description} applied{'' if m.success else ' (FAILED)'}")
            for m in after.facts.migrations if m.version not in known]


def _verify(before: Stored, after: Stored, at: datetime) -> list[Event]:
    old, new = before.facts.verify, after.facts.verify
    if old is None or new is None:
        return []
    return [Event(at, Kind.VERIFY, check, f"verify {check}: {old.get(check, 'absent')} -> {status}")
            for check, status in sorted(new.items()) if old.get(check) != status]
