"""`obsconsole bench --record`: what a recording costs and how fast it replays, measured on the target.

1. Record `snapshots` real snapshots of the target back to back, as `obsconsole record` takes them (one
   read-only session, the dashboard's pane cache, zstd with the dictionary trained after the first 32), into a
   scratch file; bytes per snapshot is the file's growth (SQLite pages, index and WAL checkpointed) over the
   snapshots compressed with the dictionary, divided by their number; the week figure is that times 10,080
   (a week of 1-minute snapshots) plus a dictionary a day.
2. Fill a week: the recorded snapshots' compressed rows copied at 1-minute steps until the file holds a week
   (10,080 snapshots), then the file's size, and seeking to random moments of it as the replay console does
   (the index probe, zstd, msgspec, the panes' views built): p50 / p95 / max.
The scratch files are deleted afterwards."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from console.infra import clock
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.session import Disconnected, Session
from console.panes import CostWindow, PaneOptions
from console.panes.catalog.cache import PaneCache
from console.recording import codec
from console.recording.recorder import Recorder, Schedule
from console.recording.refresh import refresher
from console.recording.replay import Timeline
from console.recording.store import Reader

WEEK = 7 * 24 * 60  # 1-minute snapshots
SEEKS = 200


@dataclass(frozen=True)
class RecordBench:
    snapshots: int
    with_dictionary: int
    raw_bytes_per_snapshot: float  # MessagePack before zstd (median)
    payload_bytes_per_snapshot: float  # zstd with the dictionary (median)
    file_bytes_per_snapshot: float  # the file's growth per snapshot
    dictionary_bytes: int
    week_estimate_bytes: float  # file_bytes_per_snapshot * WEEK + a dictionary a day
    write_ms_p50: float  # refresh, facts, encode, compress, commit
    week_file_bytes: int  # the filled week, measured
    week_snapshots: int
    seek_ms_first: float  # the first seek of a fresh reader: it also loads the dictionary
    seek_ms_p50: float  # the others
    seek_ms_p95: float
    seek_ms_max: float
    seek_cpu_ms_max: float  # the CPU time of the slowest seek (the wall time also counts waiting for a core)


def bench_record(target: ResolvedDsn, snapshots: int, say: Callable[[str], None]) -> RecordBench:
    if snapshots < codec.TRAIN_AFTER + 8:
        raise ConsoleError(f"--snapshots must be at least {codec.TRAIN_AFTER + 8} (the dictionary is trained after "
                           f"{codec.TRAIN_AFTER})")
    with tempfile.TemporaryDirectory(prefix="obsconsole-bench-record-") as scratch:
        path = Path(scratch) / "bench.obsrec"
        recorder = Recorder(path, target, Schedule(every=timedelta(minutes=1), verify_every=None))
        session = Session(target)
        options = PaneOptions(window=CostWindow.last("24h"), cache=PaneCache())
        writes: list[float] = []
        sizes: list[int] = []
        try:
            for index in range(snapshots):
                started = clock.counter()
                try:
                    session.call(refresher(options, recorder))
                except Disconnected as exc:
                    raise ConsoleError(exc.message) from None
                writes.append(clock.elapsed_ms(started))
                recorder.writer.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                sizes.append(path.stat().st_size)
                if (index + 1) % 10 == 0:
                    say(f"recorded {index + 1} of {snapshots} snapshots")
        finally:
            session.close()
            recorder.close()
        stats = _payload_stats(path)
        first_trained = snapshots - stats.with_dictionary
        growth = (sizes[-1] - sizes[first_trained]) / max(1, stats.with_dictionary - 1)
        week_path = Path(scratch) / "week.obsrec"
        week_size, week_count = _fill_week(path, week_path)
        say(f"filled a week: {week_count:,} snapshots, {week_size:,} bytes; seeking {SEEKS} times")
        seeks, cpu = _seeks(week_path)
    return RecordBench(snapshots, stats.with_dictionary, stats.raw, stats.payload, growth, stats.dictionary,
                       growth * WEEK + stats.dictionary * 7, statistics.median(writes), week_size, week_count,
                       seeks[0], statistics.median(seeks[1:]), _p95(seeks[1:]), max(seeks[1:]), max(cpu[1:]))


@dataclass(frozen=True)
class _Payloads:
    with_dictionary: int
    raw: float
    payload: float
    dictionary: int


def _payload_stats(path: Path) -> _Payloads:
    import sqlite3

    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT raw_bytes, length(payload) FROM snapshots WHERE dictionary IS NOT NULL").fetchall()
        dictionary = db.execute("SELECT coalesce(max(length(data)), 0) FROM dictionaries").fetchone()[0]
    if not rows:
        raise ConsoleError("zstd could not train a dictionary on these snapshots")
    return _Payloads(len(rows), statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows),
                     int(dictionary))


def _fill_week(source: Path, week: Path) -> tuple[int, int]:
    """A week's file from the recorded (dictionary-compressed) rows, copied at 1-minute steps."""
    import shutil
    import sqlite3

    shutil.copy(source, week)
    with sqlite3.connect(week, isolation_level=None) as db:
        db.execute("PRAGMA journal_mode=WAL")
        rows = db.execute("SELECT dictionary, payload, raw_bytes FROM snapshots WHERE dictionary IS NOT NULL "
                          "ORDER BY at").fetchall()
        start = db.execute("SELECT max(at) FROM snapshots").fetchone()[0]
        count = db.execute("SELECT count(*) FROM snapshots").fetchone()[0]
        minute = 60_000_000
        db.execute("BEGIN")
        for step in range(1, WEEK - count + 1):
            dictionary, payload, raw = rows[step % len(rows)]
            db.execute("INSERT INTO snapshots (at, dictionary, payload, raw_bytes) VALUES (?,?,?,?)",
                       (start + step * minute, dictionary, payload, raw))
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = db.execute("SELECT count(*) FROM snapshots").fetchone()[0]
    return week.stat().st_size, int(total)


def _seeks(path: Path) -> tuple[list[float], list[float]]:
    """Milliseconds (wall, CPU) to show a random moment of the week, as the replay console does (a fresh reader:
    no cache)."""
    with Reader(path) as reader:
        timeline = Timeline(reader)
        span = (reader.last - reader.first).total_seconds()
        generator = random.Random(25)
        times: list[float] = []
        cpu: list[float] = []
        for _ in range(SEEKS):
            started, cpu_started = clock.counter(), time.process_time()
            timeline.seek(reader.first + timedelta(seconds=generator.uniform(0, span)))
            moment = timeline.moment()
            assert moment.snapshot is not None and len(moment.snapshot.views) == 5
            times.append(clock.elapsed_ms(started))
            cpu.append((time.process_time() - cpu_started) * 1000)
    return times, cpu


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
