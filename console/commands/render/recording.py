"""Printing what `obsconsole replay` answers: a recording's span, a recorded moment (as `snapshot` prints it),
the events of a period, and the diff of two moments."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.text import Text

from console.bench.recording import WEEK, RecordBench
from console.commands.render.panes import print_snapshot, snapshot_dict
from console.infra import fmt, json_out
from console.infra.fmt import printable
from console.panes import Snapshot
from console.recording.diff import Diff
from console.recording.model import Event, RecordingInfo


def utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def print_info(info: RecordingInfo, *, as_json: bool) -> None:
    if as_json:
        json_out.print_json({"first": info.first, "last": info.last, "snapshots": info.snapshots,
                             "outages": info.outages, "bytes": info.bytes, "server": info.server,
                             "schema_version": info.schema_version, "dictionaries": info.dictionaries})
        return
    out = Console(highlight=False)
    per = info.bytes / info.snapshots if info.snapshots else 0
    for label, value in (("file", info.path), ("server", info.server), ("first", utc(info.first)),
                         ("last", utc(info.last)), ("snapshots", f"{info.snapshots:,} ({info.outages:,} outage "
                                                                  f"ticks)"),
                         ("bytes", f"{info.bytes:,} ({fmt.size(info.bytes)}, {fmt.size(per)} per snapshot)"),
                         ("schema", f"version {info.schema_version}, {info.dictionaries} zstd dictionary(ies)")):
        out.print(Text(printable(f"{label:<10} {value}")))


def moment_dict(snapshot: Snapshot, at: datetime, outage: str | None) -> dict[str, Any]:
    """`snapshot --json`'s shape, plus when it was recorded (and the outage at the moment asked, if any)."""
    return snapshot_dict(snapshot) | {"recorded_at": at.astimezone(UTC).isoformat()} | (
        {"outage": outage} if outage else {})


def print_moment(snapshot: Snapshot, at: datetime, outage: str | None, endpoint: str, events: list[Event], *,
                 as_json: bool, wide: bool) -> None:
    if as_json:
        json_out.print_json(moment_dict(snapshot, at, outage))
        return
    out = Console(highlight=False)
    out.print(Text(f"REPLAY: recorded {utc(at)}", style="bold"))
    if outage:
        out.print(Text(printable(f"server unreachable at the moment asked ({outage}); the last snapshot before it:"),
                       style="bold red"))
    print_snapshot(snapshot, endpoint, out, wide=wide)
    print_events(events, out)


def print_events(events: list[Event], out: Console) -> None:
    out.print()
    out.print(Text(f"events since the previous snapshot: {len(events) or 'none'}", style="bold"))
    for event in events:
        out.print(Text(printable(f"  {event.at.astimezone(UTC):%H:%M:%S} {event.kind.value:<20} {event.detail}")))


def _usd(value: Decimal | None) -> str:
    return fmt.usd(value) if value is not None else "—"


def print_diff(result: Diff, *, as_json: bool) -> None:
    if as_json:
        json_out.print_json(result)
        return
    out = Console(highlight=False)
    out.print(Text(f"from {utc(result.first)} to {utc(result.second)} ({result.events} events in between)",
                   style="bold"))
    lines = ["", "chunks per hypertable (chunks before -> after; created, dropped, compressed, decompressed):"]
    lines += [f"  {c.hypertable}: {c.chunks_before} -> {c.chunks_after}; +{c.created} -{c.dropped} "
              f"compressed {c.compressed} decompressed {c.decompressed}" for c in result.chunks]
    before, after = result.overall_ratio
    lines += ["", f"compression ratio: {fmt.ratio(before)} -> {fmt.ratio(after)}"]
    lines += [f"  {r.hypertable}: {fmt.ratio(r.before)} -> {fmt.ratio(r.after)}" for r in result.compression
              if r.before != r.after]
    lines += ["", f"jobs newly failing: {len(result.jobs_newly_failing) or 'none'}"]
    lines += [f"  job {j.job_id} {j.name} ({j.consecutive_failures} in a row): {j.message or 'no message'}"
              for j in result.jobs_newly_failing]
    lines += ["", f"retention overdue: {'none' if not result.retention_overdue else ''}".rstrip()]
    lines += [f"  {o.object}: {o.overdue_before} -> {o.overdue_after} chunk(s) overdue" for o in
              result.retention_overdue]
    lines += ["", "cost per model (the 24 h window before each moment):"]
    lines += [f"  {c.model}: {_usd(c.before_usd)} -> {_usd(c.after_usd)}" for c in result.cost]
    for line in lines:
        out.print(Text(printable(line)))


def print_bench(result: RecordBench) -> None:
    """`bench --record`'s figures, one per line."""
    out = Console(highlight=False)
    lines = [
        f"recorded {result.snapshots} snapshots of the target ({result.with_dictionary} compressed with the "
        f"trained dictionary of {fmt.size(result.dictionary_bytes)})",
        f"one snapshot: {fmt.size(result.raw_bytes_per_snapshot)} MessagePack -> "
        f"{fmt.size(result.payload_bytes_per_snapshot)} zstd with the dictionary (median)",
        f"bytes per snapshot (the file's growth): {result.file_bytes_per_snapshot:,.0f}",
        f"a week of 1-minute snapshots ({WEEK:,}): {fmt.size(result.week_estimate_bytes)} "
        f"(bytes per snapshot x {WEEK:,} + a dictionary a day)",
        f"a week filled and measured: {result.week_snapshots:,} snapshots, {fmt.size(result.week_file_bytes)}",
        f"seek to a random moment of the week ({result.week_snapshots:,} snapshots; index probe, zstd, msgspec, the "
        f"five views): first {result.seek_ms_first:.1f} ms (loads the dictionary), then p50 "
        f"{result.seek_ms_p50:.1f} ms, p95 {result.seek_ms_p95:.1f} ms, max {result.seek_ms_max:.1f} ms "
        f"(the most CPU time a seek took: {result.seek_cpu_ms_max:.1f} ms)",
        f"one snapshot written (refresh, facts, encode, compress, commit): p50 {result.write_ms_p50:.0f} ms",
    ]
    for line in lines:
        out.print(Text(line))
