"""What `replay` asks of a recording: the moment at or before a time (the live console's Snapshot, built by the
panes' own views from the recorded results, with the events since the previous snapshot), and the diff of two
moments."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from console.infra.errors import ConsoleError
from console.panes import Snapshot, select_panes
from console.recording import diff as diffing
from console.recording.model import Event
from console.recording.store import Reader, RecordingError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Moment:
    """A recorded moment as the console showed it. `recorded` is the moment's own time; `at` the time of the
    snapshot shown (the last one before it when the server could not be read then: `outage` says why), None
    when there is none yet; `events` are those since the moment recorded before it."""

    recorded: datetime
    at: datetime | None
    snapshot: Snapshot | None
    endpoint: str
    events: list[Event]
    outage: str | None = None


def moment(reader: Reader, when: datetime, only: Iterable[str] | None = None) -> Moment:
    """The moment recorded at or before `when` (RecordingError outside the recording)."""
    try:
        chosen = set(select_panes(only or None))
    except ValueError as exc:
        raise ConsoleError(f"--pane: {exc}") from None
    frame = reader.at(when)
    shown = frame if frame.stored is not None else reader.last_good(frame.at)
    previous = reader.previous_time(frame.at)
    events = reader.events(previous or EPOCH, frame.at)
    if shown is None or shown.stored is None:
        return Moment(frame.at, None, None, reader.meta.get("server", "?"), events, frame.error)
    snapshot = shown.stored.snapshot()
    snapshot = Snapshot(snapshot.info, [r for r in snapshot.refreshed if r.result.pane in chosen], snapshot.elapsed_ms)
    return Moment(frame.at, shown.at, snapshot, shown.stored.facts.endpoint, events, frame.error)


def at(reader: Reader, when: datetime, only: Iterable[str] | None = None) -> Moment:
    """As `moment`, refusing (RecordingError) a moment with no snapshot at or before it."""
    found = moment(reader, when, only)
    if found.snapshot is None:
        raise RecordingError(f"the server was unreachable from the start of the recording to {when:%Y-%m-%d %H:%M:%S}"
                             f" UTC ({found.outage}): no snapshot to show")
    return found


class Timeline:
    """Every recorded moment of a file, in order, and where the replay stands (stepping, seeking by time)."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.times = reader.times()
        self.index = len(self.times) - 1

    @property
    def now(self) -> datetime:
        return self.times[self.index]

    def step(self, by: int) -> bool:
        """Move `by` moments (clamped to the recording); whether it moved."""
        target = max(0, min(len(self.times) - 1, self.index + by))
        moved = target != self.index
        self.index = target
        return moved

    def seek(self, when: datetime) -> None:
        """To the moment at or before `when` (RecordingError outside the recording)."""
        self.reader.check_within(when)  # the same bounds as --at
        self.index = max(0, bisect.bisect_right(self.times, when) - 1)

    def moment(self) -> Moment:
        return moment(self.reader, self.now)

    def gap(self) -> float:
        """Seconds of recorded time to the next moment (0 at the end)."""
        if self.index + 1 >= len(self.times):
            return 0.0
        return (self.times[self.index + 1] - self.now).total_seconds()


def diff(reader: Reader, first: datetime, second: datetime) -> diffing.Diff:
    if second <= first:
        raise ConsoleError("--diff: T2 must be later than T1")
    one, two = at(reader, first), at(reader, second)
    frame_one, frame_two = reader.last_good(one.recorded), reader.last_good(two.recorded)
    assert frame_one is not None and frame_one.stored is not None
    assert frame_two is not None and frame_two.stored is not None
    return diffing.diff(frame_one.at, frame_one.stored, frame_two.at, frame_two.stored,
                        reader.events(one.recorded, two.recorded))
