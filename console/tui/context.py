"""What every screen reads from the app, as one object the app owns (screens never import the app module)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from console.fleet.probe import FleetMonitor
from console.infra.session import Session
from console.recording.recorder import Recorder

MIN_REFRESH_S = 1.0
MAX_REFRESH_S = 60.0


@dataclass
class ConsoleContext:
    """The one Session, the migrations folder, the dashboard's refresh interval (changed by `+`/`-`), whether
    operator actions are hidden (read-only mode), in the fleet the monitor of every database, and the recorder
    the dashboard writes each refresh to (`obsconsole --record FILE`)."""

    session: Session
    migrations_dir: Path
    refresh_s: float = 5.0
    read_only: bool = False
    fleet: FleetMonitor | None = None  # `obsconsole fleet`: the fleet screen first, `session` the opened database
    recorder: Recorder | None = None

    def __post_init__(self) -> None:
        self.refresh_s = min(max(self.refresh_s, MIN_REFRESH_S), MAX_REFRESH_S)


class HasContext:
    """Mixin for the app: the context screens reach through `self.app`."""

    context: ConsoleContext
