"""Golden screens: the dashboard at 80x24, 120x36 and 160x48 on a seeded tsl engine, the dashboard on the native
Apache edition at 80x24, the Verify screen and the `?` overlay, compared cell by cell (text and colours) with the
SVGs in tests/__snapshots__/test_tui_golden/ by pytest-textual-snapshot.

What moves between runs is pinned, nothing is masked:
- the data: `obsconsole seed --seed 7 --end 2026-01-10T12:00Z` (deterministic rows) with its aftercare;
- the server's clock: libfaketime preloaded into the engine process stops its wall clock at FROZEN, five minutes
  after the seed's end (monotonic clocks untouched, so node's and PostgreSQL's timers still run); every age,
  watermark and "next start" the panes show is counted from the server's now();
- the console's clock: console.infra.clock pinned to FROZEN, its counter standing still, so "refreshed 12:05:00
  UTC in 0 ms", every pane's "0 ms", and the chunk-size budget (no time passes: every size is measured at once);
- the endpoint in the header: each engine listens on a fixed port (a lock file serializes concurrent runs);
- on the native cluster autovacuum is off (a visibility map appearing mid-run would change the sizes).

After an intended change of a screen: `.venv/bin/pytest tests/test_tui_golden.py --snapshot-update`, then look
at the SVGs (`git diff`, or any browser) before committing them."""

from __future__ import annotations

import fcntl
import glob
import os
import subprocess
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from textual.pilot import Pilot

from console.engines import native, tsl
from console.engines.process import RunningEngine
from console.infra import clock
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.verify import VerifyScreen
from console.tui.widgets.pane_box import PaneBox
from tests.conftest import IN_CI, OBSCONSOLE, record_output, register_dsn_password
from tests.tui_helpers import wait_for

SnapCompare = Callable[..., bool]

SEED_END = "2026-01-10T12:00Z"
FROZEN = datetime(2026, 1, 10, 12, 5, tzinfo=UTC)
TSL_PORT = 29563  # below the ephemeral range, so no engine another test starts can take it
NATIVE_PORT = 29564
LOCK = Path(tempfile.gettempdir()) / "obsconsole-golden-screens.lock"


def _libfaketime() -> str:
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketimeMT.so.1"))
    if not found:
        message = "libfaketime is not installed (run `make setup`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found[0]


@contextmanager
def _frozen_server_clock() -> Iterator[None]:
    """The environment an engine process is started in (it inherits ours): its wall clock stands at FROZEN."""
    frozen = {"LD_PRELOAD": _libfaketime(), "FAKETIME": FROZEN.strftime("%Y-%m-%d %H:%M:%S"),
              "FAKETIME_DONT_FAKE_MONOTONIC": "1", "TZ": "UTC"}
    saved = {key: os.environ.get(key) for key in frozen}
    os.environ.update(frozen)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def golden_lock() -> Iterator[None]:
    """The fixed ports belong to one run at a time on this machine."""
    with LOCK.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _start(kind: str, start: Callable[[], RunningEngine]) -> RunningEngine:
    try:
        with _frozen_server_clock():
            engine = start()
    except ConsoleError as exc:
        if IN_CI:
            pytest.fail(f"{kind} engine unavailable in CI: {exc.message}")
        pytest.skip(f"{kind} engine unavailable: {exc.message}")
    register_dsn_password(engine.dsn)
    return engine


def _obsconsole(state: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
    proc = subprocess.run([OBSCONSOLE, *args], capture_output=True, text=True, timeout=600,
                          env={**env, "XDG_STATE_HOME": str(state), "COLUMNS": "200"})
    record_output(args, proc.stdout, proc.stderr)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def golden_tsl(golden_lock: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A tsl engine (Community) migrated and seeded with fixed rows, its clock frozen: the DSN."""
    engine = _start("tsl", lambda: tsl.start(port=TSL_PORT))
    try:
        state = tmp_path_factory.mktemp("golden-tsl")
        _obsconsole(state, "migrate", "--dsn", engine.dsn)
        _obsconsole(state, "seed", "--dsn", engine.dsn, "--days", "9", "--rate", "40", "--seed", "7",
                    "--end", SEED_END)
        yield engine.dsn
    finally:
        engine.stop()


@pytest.fixture(scope="module")
def golden_native(golden_lock: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A native cluster (Apache edition) migrated as far as it goes (003) and seeded, its clock frozen: the DSN."""
    engine = _start("native", lambda: native.start(port=NATIVE_PORT))
    try:
        with psycopg.connect(engine.dsn, autocommit=True) as conn:  # no visibility map appearing mid-run
            conn.execute("ALTER SYSTEM SET autovacuum = off")
            conn.execute("SELECT pg_reload_conf()")
        state = tmp_path_factory.mktemp("golden-native")
        _obsconsole(state, "migrate", "--dsn", engine.dsn, "--to", "003")
        _obsconsole(state, "seed", "--dsn", engine.dsn, "--days", "9", "--rate", "40", "--seed", "7",
                    "--end", SEED_END)
        yield engine.dsn
    finally:
        engine.stop()


@pytest.fixture(autouse=True)
def frozen_console_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The console's own clock stands at FROZEN and no time passes on its counter; colours on."""
    monkeypatch.setattr(clock, "now", lambda: FROZEN)
    monkeypatch.setattr(clock, "counter", lambda: 0.0)
    monkeypatch.delenv("NO_COLOR", raising=False)


def _app(dsn: str, start_mode: str = "dashboard") -> ObsConsoleApp:
    return ObsConsoleApp(Session(ResolvedDsn(dsn, "--dsn")), refresh_s=60, start_mode=start_mode)


async def _dashboard_loaded(pilot: Pilot[None]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    await wait_for(pilot, lambda: screen.last_snapshot is not None, timeout=60)
    await pilot.pause(0.3)


async def _verify_done(pilot: Pilot[None]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, VerifyScreen)
    await wait_for(pilot, lambda: screen.report is not None, timeout=60)
    await pilot.pause(0.3)


def _compare(snap_compare: SnapCompare, app: ObsConsoleApp, size: tuple[int, int],
             run_before: Callable[[Pilot[None]], Awaitable[None]], press: tuple[str, ...] = ()) -> None:
    assert snap_compare(app, terminal_size=size, run_before=run_before, press=press)


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard_community(snap_compare: SnapCompare, golden_tsl: str, size: tuple[int, int]) -> None:
    """The five panes with data: stacked and scrolling below 140 columns, two columns with charts above."""
    _compare(snap_compare, _app(golden_tsl), size, _dashboard_loaded)


@pytest.mark.parametrize("pane", ["cost", "compression"])
def test_dashboard_apache_edition(snap_compare: SnapCompare, golden_native: str, pane: str) -> None:
    """The Apache edition at 80x24, where the panes stack: the top (cost, chunk sizes), then scrolled down to the
    compression pane (chunk sizes above it), each pane saying what the edition lacks. Not the jobs pane, nor the
    retention pane below it: TimescaleDB's scheduler runs the edition's own jobs (job 3 fails at once, "apache
    license") on the server's real clock, because libfaketime does not reach the processes PostgreSQL 15's
    postmaster forks from a signal handler (background workers: its `select` wrapper is interrupted there),
    so their times differ on every run."""

    async def scrolled(pilot: Pilot[None]) -> None:
        await _dashboard_loaded(pilot)
        pilot.app.screen.query_one(f"#pane-{pane}", PaneBox).scroll_visible(animate=False)
        await pilot.pause(0.1)

    _compare(snap_compare, _app(golden_native), (80, 24), scrolled)


def test_verify_screen(snap_compare: SnapCompare, golden_tsl: str) -> None:
    """The Verify screen after its run: the checks table and every finding that did not pass."""
    _compare(snap_compare, _app(golden_tsl, "verify"), (120, 36), _verify_done)


def test_help_overlay(snap_compare: SnapCompare, golden_tsl: str) -> None:
    """`?` on the dashboard: the screen's own keys first."""
    _compare(snap_compare, _app(golden_tsl), (120, 36), _dashboard_loaded, press=("question_mark",))
