"""What every screen reads from the app, as one object the app owns (screens never import the app module)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from console.infra.session import Session
from console.tui.settings import ConsoleSettings

if TYPE_CHECKING:
    from console.fleet.probe import FleetMonitor
    from console.recording.recorder import Recorder


@dataclass
class ConsoleContext:
    """The one Session, the migrations folder, the settings the console was opened with, the dashboard's refresh
    interval (from the settings, changed by `+`/`-`), in the fleet the monitor of every database, and the
    recorder the dashboard writes each refresh to (`obsconsole --record FILE`)."""

    session: Session
    migrations_dir: Path
    settings: ConsoleSettings
    fleet: FleetMonitor | None = None  # `obsconsole fleet`: the fleet screen first, `session` the opened database
    recorder: Recorder | None = None
    refresh_s: float = field(init=False)

    def __post_init__(self) -> None:
        self.refresh_s = self.settings.refresh_s

    @property
    def read_only(self) -> bool:
        """Operator actions hidden, no key that writes bound (read-only mode)."""
        return self.settings.read_only


class HasContext:
    """Mixin for the app: the context screens reach through `self.app`."""

    context: ConsoleContext
