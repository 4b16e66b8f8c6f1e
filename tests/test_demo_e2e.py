"""End to end: the installed `obsconsole demo` in a real terminal (tmux), read back with capture-pane."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import IN_CI, OBSCONSOLE

# What each pane says at the bottom of its box once it has data.
PANES_WITH_DATA = {
    "Cost per model": "(24 buckets): $",
    "Chunk sizes": "chunks in",
    "Compression ratios": "% saved)",
    "Background jobs": "jobs · ",
    "Retention windows": "with a policy",
}


def _engine_pids() -> set[int]:
    out = subprocess.run(["pgrep", "-f", "tsl-server.mjs"], capture_output=True, text=True).stdout
    return {int(pid) for pid in out.split()}


def _demo_engines(pids: set[int]) -> set[int]:
    """The engines among `pids` that an `obsconsole demo` process watches (--watch-pid): other test runs' engines
    on the same machine are not the demo's."""
    mine = set()
    for pid in pids:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
            watched = argv[argv.index("--watch-pid") + 1]
            owner = Path(f"/proc/{watched}/cmdline").read_text().split("\0")
        except (OSError, ValueError, IndexError):
            continue
        if "demo" in owner and any(part.endswith("obsconsole") for part in owner):
            mine.add(pid)
    return mine


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _wait(read: Callable[[], str], condition: Callable[[str], bool], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    screen = read()
    while not condition(screen):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; the screen shows:\n{screen}")
        time.sleep(0.5)
        screen = read()
    return screen


@pytest.mark.tsl
def test_demo_in_a_real_terminal_shows_every_pane_and_quits_cleanly() -> None:
    if shutil.which("tmux") is None:
        if IN_CI:
            pytest.fail("tmux is required in CI (make setup installs it)")
        pytest.skip("tmux not installed")
    session = "e2e"
    tmux = ["tmux", "-L", f"obsconsole-e2e-{os.getpid()}", "-f", "/dev/null"]  # a private tmux server
    before = _engine_pids()
    # The shell stays after the demo exits so its last words can be read.
    command = f"env -u COLUMNS -u LINES {OBSCONSOLE} demo --days 8; echo DEMO-EXIT=$?; sleep 60"
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "160", "-y", "48", command], check=True)

    def read() -> str:
        return subprocess.run([*tmux, "capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout

    try:
        screen = _wait(read, lambda s: "q Quit" in s and all(title in s and marker in s
                                                             for title, marker in PANES_WITH_DATA.items()),
                       timeout=240)
        started = _demo_engines(_engine_pids() - before)
        assert started, "the demo's engine process was not found"
        footer = screen.rstrip().splitlines()[-1]
        assert footer.lstrip().startswith("q Quit  ? Help"), footer  # the keys, discoverable in the footer
        assert "● connected" in screen and "community" in screen
        # Resized while running, the dashboard redraws at once with the key columns whole, at every size.
        for width, height, wanted in ((80, 24, ("model", "cost $", "requests", "share")),
                                      (120, 36, ("model", "cost $", "hypertable", "chunks", "total")),
                                      (160, 48, ("ratio", "backlog", "next start", "next drop", "overdue"))):
            subprocess.run([*tmux, "resize-window", "-t", session, "-x", str(width), "-y", str(height)], check=True)

            def shows(screen: str, words: tuple[str, ...] = wanted) -> bool:
                return all(f" {word} " in screen.replace("│", " ").replace("┃", " ") for word in words)

            resized = _wait(read, shows, timeout=30)
            lines = resized.rstrip("\n").splitlines()
            assert len(lines) <= height and all(len(line) <= width for line in lines), (width, resized)
            assert "…" not in "".join(line for line in lines if line.startswith(("│", "┃"))), resized
            # A cost row (its pane has the focus: a heavy border): the whole provider/model, then its cost to the
            # fourth decimal.
            assert re.search(r"┃ [a-z_.]+/[\w.-]+ +\d+\.\d{4} ", resized), resized
            if width == 160:  # grown again (from 120): every table re-measured, names and ids whole
                assert re.search(r"│ 10\d\d +\S", resized) and " llm_metrics " in resized, resized
        subprocess.run([*tmux, "send-keys", "-t", session, "q"], check=True)
        final = _wait(read, lambda s: "DEMO-EXIT=" in s, timeout=60)
        assert "DEMO-EXIT=0" in final and "tsl engine stopped" in final
        assert not [pid for pid in started if _alive(pid)], "the demo left its engine running"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
