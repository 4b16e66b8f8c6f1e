"""The console's two clocks, read in one place: `now()`, the wall clock (UTC) for the times the screens show, and
`counter()`, a monotonic counter for the durations they show ("in 12 ms") and the time budgets they keep. Every
figure on the dashboard and the Verify screen that depends on the machine's clock comes from here (the server's
own times come from its now()), so a run can be pinned: the golden screen tests (tests/test_tui_golden.py)
freeze both."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now() -> datetime:
    """The current time, UTC."""
    return datetime.now(UTC)


def counter() -> float:
    """Seconds on a monotonic counter, for durations only (its zero means nothing)."""
    return time.perf_counter()


def elapsed_ms(started: float) -> float:
    """Milliseconds since `started`, a reading of counter()."""
    return (counter() - started) * 1000
