"""How fast the console opens: `obsconsole --help` wall time, and the dashboard's first paint (all five panes
drawn) counted from the moment the app starts on an open connection, measured by the TUI shell."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from console.infra.dsn import ResolvedDsn

HELP_RUNS = 5


@dataclass(frozen=True)
class Startup:
    """Median `--help` seconds over HELP_RUNS runs, and the first dashboard paint in milliseconds."""

    help_s: float
    first_paint_ms: float


FirstPaint = Callable[[ResolvedDsn], float]


def measure(target: ResolvedDsn, first_paint: FirstPaint) -> Startup:
    """`--help` wall time, and `first_paint(target)` (the TUI shell passes its own measurement in)."""
    return Startup(_help_seconds(), first_paint(target))


def _help_seconds() -> float:
    script = Path(sys.executable).with_name("obsconsole")
    argv = [str(script), "--help"] if script.exists() else [sys.executable, "-m", "console", "--help"]
    samples = []
    for _ in range(HELP_RUNS):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
