"""A refresh of the five panes that is also recorded when a recording is open. Kept apart from the recorder (and
its SQLite, zstd and msgspec imports) so the dashboard's first frame waits for none of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from console.infra.db import Conn
from console.infra.server import ServerInfo
from console.infra.session import endpoint
from console.panes import PaneOptions, Snapshot, refresh_all


class Capture(Protocol):
    """What a refresh hands each snapshot to (console.recording.recorder.Recorder)."""

    def capture(self, conn: Conn, info: ServerInfo, snapshot: Snapshot, endpoint: str) -> None: ...


def refresher(options: PaneOptions, recorder: Capture | None) -> Callable[[Conn, ServerInfo], Snapshot]:
    """A refresh of the five panes for Session.call; with a recorder (`obsconsole --record FILE`) the snapshot is
    written too, as the dashboard is about to show it."""
    def refresh(conn: Conn, info: ServerInfo) -> Snapshot:
        snapshot = refresh_all(conn, info, options)
        if recorder is not None:
            recorder.capture(conn, info, snapshot, endpoint(conn))
        return snapshot
    return refresh
