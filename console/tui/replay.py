"""Opening the replay console on a recording."""

from __future__ import annotations

from pathlib import Path


def run_replay(path: Path) -> None:
    """Run the replay console on `path` (RecordingError, exit 2, for a file that is not a readable recording)."""
    raise NotImplementedError(path)
