"""What `replay` asks of a recording: the moment at or before a time (the live console's Snapshot, built by the
panes' own views from the recorded results, with the events since the previous snapshot), and the diff of two
moments."""

from __future__ import annotations

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
    """A recorded moment as the console showed it: `at` is the snapshot's time; `outage` the reason the server
    could not be read at the moment asked (the snapshot is then the last one before the outage)."""

    at: datetime
    snapshot: Snapshot
    endpoint: str
    events: list[Event]
    outage: str | None = None


def at(reader: Reader, when: datetime, only: Iterable[str] | None = None) -> Moment:
    """The moment at or before `when` (RecordingError outside the recording)."""
    try:
        chosen = set(select_panes(only or None))
    except ValueError as exc:
        raise ConsoleError(f"--pane: {exc}") from None
    frame = reader.at(when)
    outage = frame.error
    shown = frame if frame.stored is not None else reader.last_good(frame.at)
    if shown is None or shown.stored is None:
        raise RecordingError(f"the server was unreachable from the start of the recording to {when:%Y-%m-%d %H:%M:%S}"
                             f" UTC ({outage}): no snapshot to show")
    previous = reader.previous_time(frame.at)
    events = reader.events(previous or EPOCH, frame.at)
    snapshot = shown.stored.snapshot()
    snapshot = Snapshot(snapshot.info, [r for r in snapshot.refreshed if r.result.pane in chosen], snapshot.elapsed_ms)
    return Moment(shown.at, snapshot, shown.stored.facts.endpoint, events, outage)


def diff(reader: Reader, first: datetime, second: datetime) -> diffing.Diff:
    if second <= first:
        raise ConsoleError("--diff: T2 must be later than T1")
    one, two = at(reader, first), at(reader, second)
    frame_one, frame_two = reader.last_good(one.at), reader.last_good(two.at)
    assert frame_one is not None and frame_one.stored is not None
    assert frame_two is not None and frame_two.stored is not None
    return diffing.diff(one.at, frame_one.stored, two.at, frame_two.stored, reader.events(one.at, two.at))
