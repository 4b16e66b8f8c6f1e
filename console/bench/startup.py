"""How fast the console opens: `obsconsole --help` wall time, the dashboard's first paint (all five panes
drawn) counted from the moment the app starts on an open connection, measured by the TUI shell, and (`bench
--startup`) `obsconsole` launched in a pseudo-terminal as a user launches it: its first frame and the five panes
drawn, counted from the launch."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError

HELP_RUNS = 5
LAUNCH_RUNS = 5
LAUNCH_SIZE = (48, 160)  # rows, columns of the pseudo-terminal
LAUNCH_TIMEOUT_S = 60.0
FIRST_FRAME = "obsconsole · "  # the header, drawn in the first frame
PANES_DRAWN = "refreshed "  # the header's note once the five panes are drawn
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]")


@dataclass(frozen=True)
class Startup:
    """Median `--help` seconds over HELP_RUNS runs, and the first dashboard paint in milliseconds."""

    help_s: float
    first_paint_ms: float


FirstPaint = Callable[[ResolvedDsn], float]


def measure(target: ResolvedDsn, first_paint: FirstPaint) -> Startup:
    """`--help` wall time, and `first_paint(target)` (the TUI shell passes its own measurement in)."""
    return Startup(_help_seconds(), first_paint(target))


@dataclass(frozen=True)
class Launch:
    """Medians over LAUNCH_RUNS launches of `obsconsole` in a pseudo-terminal: seconds to its first frame and to
    the five panes drawn; every run's pair."""

    first_frame_s: float
    panes_drawn_s: float
    runs: list[tuple[float, float]]


def launch(target: ResolvedDsn, runs: int = LAUNCH_RUNS) -> Launch:
    """Launch `obsconsole` (the DSN in its environment, never in its arguments) `runs` times, one after another."""
    samples = [_launch_once(target) for _ in range(runs)]
    return Launch(statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples), samples)


def _launch_once(target: ResolvedDsn) -> tuple[float, float]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *LAUNCH_SIZE, 0, 0))
    env = os.environ | {"OBSCONSOLE_DSN": target.dsn, "TERM": "xterm-256color", "LINES": str(LAUNCH_SIZE[0]),
                        "COLUMNS": str(LAUNCH_SIZE[1])}
    started = time.perf_counter()
    proc = subprocess.Popen(_argv(), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    shown, first = b"", None
    try:
        while True:
            shown += _read(master, 0.005)
            text = _ESCAPES.sub(b"", shown).decode("utf-8", "replace")
            if first is None and FIRST_FRAME in text:
                first = time.perf_counter() - started
            if first is not None and PANES_DRAWN in text:
                return first, time.perf_counter() - started
            if proc.poll() is not None or time.perf_counter() - started > LAUNCH_TIMEOUT_S:
                raise ConsoleError(f"bench --startup: the console drew no dashboard: {text.strip()[-300:]}")
    finally:
        with contextlib.suppress(OSError):
            os.write(master, b"q")
        with contextlib.suppress(subprocess.TimeoutExpired):
            deadline = time.perf_counter() + 20
            while proc.poll() is None and time.perf_counter() < deadline:
                _read(master, 0.05)  # drain, or the console blocks writing its last frame
            proc.wait(5)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)


def _read(fd: int, wait_s: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], wait_s)
    if not ready:
        return b""
    try:
        return os.read(fd, 1 << 16)
    except OSError:  # the console has gone and closed its side
        return b""


def _argv() -> list[str]:
    script = Path(sys.executable).with_name("obsconsole")
    return [str(script)] if script.exists() else [sys.executable, "-m", "console"]


def _help_seconds() -> float:
    argv = [*_argv(), "--help"]
    samples = []
    for _ in range(HELP_RUNS):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
