"""Golden screens, compared cell by cell (text and colours) with the SVGs in tests/__snapshots__/test_tui_golden/
by pytest-textual-snapshot. On a seeded tsl engine, each at 80x24, 120x36 and 160x48: the dashboard, the Migrations
screen, the Jobs screen with a job selected and that job's detail (Enter), the Verify screen after its run, the `?`
overlay on the dashboard, the command palette (Ctrl+P) opened and with "ver" typed, and the replay console on a
recording of that engine (a snapshot with its event; at 120x36 also an outage). With NO_COLOR at 80x24: the
dashboard and the Verify screen (asserted colourless too). On the native Apache edition at 80x24: the
dashboard, top and scrolled to the compression pane. The fleet screen at 80x24 over both engines and an
unreachable port, then filtered by tag. Two engines serve them all (module-scoped fixtures).

What moves between runs is pinned, nothing is masked:
- the data: `obsconsole seed --seed 7 --end 2026-01-10T12:00Z` (deterministic rows) with its aftercare;
- the server's clock: libfaketime preloaded into the engine process stops its wall clock at FROZEN, five minutes
  after the seed's end (monotonic clocks untouched, so node's and PostgreSQL's timers still run); every age,
  watermark and "next start" the panes show is counted from the server's now();
- the migrations' durations: `obsconsole migrate` runs with its monotonic clocks stopped too (libfaketime), so
  the ledger says every migration took 0 ms;
- the console's clock: console.infra.clock pinned to FROZEN, its counter standing still, so "refreshed 12:05:00
  UTC in 0 ms", every pane's "0 ms", and the chunk-size budget (no time passes: every size is measured at once);
- the endpoint in the header: each engine listens on a fixed port (a lock file serializes concurrent runs);
- on the native cluster autovacuum is off (a visibility map appearing mid-run would change the sizes);
- what a screen is waiting for: each test waits for its data (the dashboard's snapshot, the tables' rows, the
  Verify report, the palette's gathering done) and for the header to say "connected" (it redraws once a second);
- the palette input's blinking cursor: its blink is turned off (the cursor stays shown), as a blink's phase is
  the moment's.

After an intended change of a screen: `.venv/bin/pytest tests/test_tui_golden.py --snapshot-update`, then look
at the SVGs (`git diff`, or any browser) before committing them."""

from __future__ import annotations

import fcntl
import glob
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from rich.color import blend_rgb
from rich.terminal_theme import SVG_EXPORT_THEME
from textual.command import CommandInput, CommandList, CommandPalette
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from console.engines import native, tsl
from console.engines.process import RunningEngine
from console.fleet.probe import FleetMonitor
from console.fleet.targets import Target
from console.infra import clock
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.session import Session
from console.panes import CostWindow, PaneOptions
from console.panes.catalog.cache import PaneCache
from console.recording.recorder import Recorder, Schedule
from console.recording.refresh import refresher
from console.recording.replay import Timeline
from console.recording.store import Reader
from console.tui.app import ObsConsoleApp
from console.tui.replay import ReplayApp
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.fleet import FleetScreen
from console.tui.screens.help import HelpScreen
from console.tui.screens.jobs import JobDetailScreen, JobsScreen
from console.tui.screens.migrations import MigrationsScreen
from console.tui.screens.replay import ReplayScreen
from console.tui.screens.verify import VerifyScreen
from console.tui.widgets.pane_box import PaneBox
from console.tui.widgets.server_header import ServerHeader
from tests.conftest import IN_CI, OBSCONSOLE, record_output, register_dsn_password
from tests.tui_helpers import rows_that_fit, wait_for

SnapCompare = Callable[..., bool]
# Under pytest-xdist all on one worker: the module's engines are started once, on fixed ports. `slow` as a whole
# (the one module conftest's measured tier does not split): its module fixtures, two engines under a frozen clock,
# seeded, are what its tests cost, and a measurement charges them to whichever test runs first.
pytestmark = [pytest.mark.xdist_group("golden"), pytest.mark.slow]

SEED_END = "2026-01-10T12:00Z"
FROZEN = datetime(2026, 1, 10, 12, 5, tzinfo=UTC)
TSL_PORT = 29563  # below the ephemeral range, so no engine another test starts can take it
NATIVE_PORT = 29564
GONE_PORT = 29565  # nothing listens there: the fleet's unreachable database
JOB_ROW = 2  # the job the Jobs screen's tests select
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
def _frozen_clock(*, monotonic: bool = False) -> Iterator[None]:
    """The environment a process is started in (it inherits ours): its wall clock stands at FROZEN, and with
    `monotonic` its monotonic clocks stand still too."""
    frozen = {"LD_PRELOAD": _libfaketime(), "FAKETIME": FROZEN.strftime("%Y-%m-%d %H:%M:%S"), "TZ": "UTC"}
    if not monotonic:
        frozen["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    saved = {key: os.environ.get(key) for key in [*frozen, "FAKETIME_DONT_FAKE_MONOTONIC"]}
    for key in saved:
        os.environ.pop(key, None)
    os.environ.update(frozen)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _frozen_server_clock() -> AbstractContextManager[None]:
    """For an engine: its wall clock frozen, its monotonic clocks running (node's and PostgreSQL's timers)."""
    return _frozen_clock()


def _migrate(state: Path, dsn: str, *args: str) -> None:
    """`obsconsole migrate` with its clocks stopped: each migration's duration in the ledger (what the Migrations
    screen shows) is 0 ms, not what this machine took."""
    with _frozen_clock(monotonic=True):
        _obsconsole(state, "migrate", "--dsn", dsn, *args)


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
        _migrate(state, engine.dsn)
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
        _migrate(state, engine.dsn, "--to", "003")
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


async def _connected(pilot: Pilot[None]) -> None:
    """The header says so, with the server's versions: it redraws from the session's state once a second, and the
    Migrations and Jobs screens can show their data before its first redraw after connecting (or before the
    versions were read: the header then still fits on one line at 80 columns)."""
    header = pilot.app.screen.query_one(ServerHeader)
    await wait_for(pilot, lambda: "● connected" in str(header.content) and " · PG " in str(header.content),
                   timeout=30)


async def _dashboard_loaded(pilot: Pilot[None]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    await wait_for(pilot, lambda: screen.last_snapshot is not None, timeout=60)
    await wait_for(pilot, lambda: all(_rows_said(pane) for pane in screen.query(PaneBox)))
    await pilot.pause(0.3)


def _rows_said(pane: PaneBox) -> bool:
    """The pane's subtitle counts the rows its table shows at its final height (it is said again once the table
    has it: a screenshot between the two would catch the first count)."""
    table, view = pane.table, pane.view
    visible = rows_that_fit(table)
    if view is None or not table.display or not table.size.height or len(view.rows) <= visible:
        return True
    return f"{visible} of {len(view.rows)} rows" in str(pane.border_subtitle)


async def _verify_done(pilot: Pilot[None]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, VerifyScreen)
    await wait_for(pilot, lambda: screen.report is not None, timeout=60)
    await _connected(pilot)
    await pilot.pause(0.3)


def _compare(snap_compare: SnapCompare, app: ObsConsoleApp, size: tuple[int, int],
             run_before: Callable[[Pilot[None]], Awaitable[None]], press: tuple[str, ...] = ()) -> None:
    assert snap_compare(app, terminal_size=size, run_before=run_before, press=press)


SIZES = [(80, 24), (120, 36), (160, 48)]


def _size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


@pytest.mark.parametrize("size", SIZES, ids=_size_id)
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


@pytest.mark.parametrize("size", SIZES, ids=_size_id)
def test_verify_screen(snap_compare: SnapCompare, golden_tsl: str, size: tuple[int, int]) -> None:
    """The Verify screen after its run: the checks table and every finding that did not pass."""
    _compare(snap_compare, _app(golden_tsl, "verify"), size, _verify_done)


@pytest.mark.parametrize("size", SIZES, ids=_size_id)
def test_help_overlay(snap_compare: SnapCompare, golden_tsl: str, size: tuple[int, int]) -> None:
    """`?` on the dashboard: the screen's own keys first."""

    async def helped(pilot: Pilot[None]) -> None:
        await _dashboard_loaded(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause(0.1)

    _compare(snap_compare, _app(golden_tsl), size, helped)


@pytest.mark.parametrize("size", SIZES, ids=_size_id)
def test_migrations_screen(snap_compare: SnapCompare, golden_tsl: str, size: tuple[int, int]) -> None:
    """The Migrations screen: every migration applied, with its checksum verified."""

    async def loaded(pilot: Pilot[None]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, MigrationsScreen)
        table = screen.query_one("#migrations-table", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0, timeout=60)
        await _connected(pilot)
        await pilot.pause(0.3)

    _compare(snap_compare, _app(golden_tsl, "migrations"), size, loaded)


async def _jobs_loaded(pilot: Pilot[None]) -> JobsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, JobsScreen)
    table = screen.query_one("#jobs-table", DataTable)
    await wait_for(pilot, lambda: table.row_count > JOB_ROW, timeout=60)
    await _connected(pilot)
    table.move_cursor(row=JOB_ROW, animate=False)
    await pilot.pause(0.3)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=_size_id)
def test_jobs_screen(snap_compare: SnapCompare, golden_tsl: str, size: tuple[int, int]) -> None:
    """The Jobs screen with a job selected (the cursor on its row)."""

    async def selected(pilot: Pilot[None]) -> None:
        await _jobs_loaded(pilot)

    _compare(snap_compare, _app(golden_tsl, "jobs"), size, selected)


@pytest.mark.parametrize("size", SIZES, ids=_size_id)
def test_job_detail(snap_compare: SnapCompare, golden_tsl: str, size: tuple[int, int]) -> None:
    """Enter on the selected job: its config, statistics, last error and logged runs."""

    async def detail(pilot: Pilot[None]) -> None:
        await _jobs_loaded(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, JobDetailScreen), timeout=30)
        await pilot.pause(0.3)

    _compare(snap_compare, _app(golden_tsl, "jobs"), size, detail)


def _working(node: DOMNode) -> bool:
    """Whether a worker of `node` (the palette gathering its commands) is still to finish."""
    return any(worker.node is node and not worker.is_finished for worker in node.app.workers)


@pytest.mark.parametrize("typed", ["", "ver"], ids=["opened", "ver"])
@pytest.mark.parametrize("size", SIZES, ids=_size_id)
def test_command_palette(snap_compare: SnapCompare, golden_tsl: str, size: tuple[int, int], typed: str) -> None:
    """Ctrl+P on the dashboard: every command it offers, then those matching a typed query."""

    async def palette(pilot: Pilot[None]) -> None:
        await _dashboard_loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        palette = pilot.app.screen
        assert isinstance(palette, CommandPalette)
        # The input's cursor blinks on a half-second timer: shown or not depended on the moment. It stays shown.
        palette.query_one(CommandInput).cursor_blink = False
        if typed:
            await pilot.press(*typed)
        results = palette.query_one(CommandList)
        await wait_for(pilot, lambda: palette.query_one(CommandInput).value == typed and palette.has_class("-ready")
                       and results.option_count > 0 and not _working(palette), timeout=30)
        await pilot.pause(0.3)

    _compare(snap_compare, _app(golden_tsl), size, palette)


@pytest.mark.parametrize("mode", ["dashboard", "verify"])
def test_no_color(snap_compare: SnapCompare, golden_tsl: str, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """NO_COLOR at 80x24, the dashboard and the Verify screen: no colour at all, only the terminal's own foreground
    on its background and that foreground dimmed (every state is said in words too)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = _app(golden_tsl, mode)
    assert app.no_color
    loaded = _dashboard_loaded if mode == "dashboard" else _verify_done

    async def uncoloured(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        theme = SVG_EXPORT_THEME  # what the screenshot draws the terminal's default colours with
        plain = {theme.foreground_color.hex, theme.background_color.hex,
                 blend_rgb(theme.foreground_color, theme.background_color, 0.4).hex}  # Rich's dim
        colours = set(re.findall(r"(?:fill|color):\s*(#[0-9a-fA-F]{6})", pilot.app.export_screenshot()))
        assert colours <= plain, colours - plain

    _compare(snap_compare, app, (80, 24), uncoloured)


@pytest.mark.parametrize("typed", ["", "apache"], ids=["all", "filtered"])
def test_fleet_screen(snap_compare: SnapCompare, golden_tsl: str, golden_native: str, typed: str) -> None:
    """`obsconsole fleet` at 80x24: an unreachable database first, then the Apache and the Community ones, with a
    problem of the input above them; then `/` and a filter typed (by tag)."""
    targets = [Target("tsl-eu", ResolvedDsn(golden_tsl, "test"), ("community", "eu")),
               Target("native-us", ResolvedDsn(golden_native, "test"), ("apache", "us")),
               Target("gone", ResolvedDsn(f"postgresql://obsconsole@127.0.0.1:{GONE_PORT}/gone?sslmode=disable",
                                          "test"), ("apache",))]
    monitor = FleetMonitor(targets, problems=["service file /etc/pg_service.conf: unknown service 'staging'"],
                           timeout_s=10)
    app = ObsConsoleApp(Session(targets[0].dsn), refresh_s=60, start_mode="fleet", fleet=monitor)

    async def loaded(pilot: Pilot[None]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, FleetScreen)
        table = screen.query_one("#fleet-table", DataTable)
        await wait_for(pilot, lambda: screen.report is not None and table.row_count == 3, timeout=60)
        # The down row says since when once its cells are drawn from the report (a screenshot before that caught
        # the table's first, narrower layout).
        await wait_for(pilot, lambda: any("since" in str(cell) for cell in table.get_row_at(0)), timeout=60)
        if typed:
            screen.query_one("#fleet-filter", Input).cursor_blink = False  # a blink's phase is the moment's
            await pilot.press("slash", *typed)
            await wait_for(pilot, lambda: table.row_count == 2)
        await pilot.pause(0.3)

    try:
        _compare(snap_compare, app, (80, 24), loaded)
    finally:
        monitor.close()
# --- the replay console (obsconsole replay FILE) -----------------------------------------------------------------


def _golden_recording(dsn: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three moments of the frozen engine, recorded as `obsconsole record` records them, one minute apart: a
    snapshot at FROZEN, one at FROZEN + 1 min after an operator action the audit log holds (FROZEN + 30 s), then
    an outage at FROZEN + 2 min. Times come from the console's clock, pinned to each moment."""
    target = ResolvedDsn(dsn, "--dsn")
    state = folder / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    path = folder / "golden.obsrec"
    recorder = Recorder(path, target, Schedule(every=timedelta(minutes=1), verify_every=None))
    session = Session(target)
    options = PaneOptions(window=CostWindow.last("24h"), cache=PaneCache())
    try:
        session.call(refresher(options, recorder))
        (state / "obsconsole").mkdir(parents=True)
        (state / "obsconsole" / "audit.jsonl").write_text(json.dumps({
            "time": (FROZEN + timedelta(seconds=30)).isoformat(timespec="milliseconds"), "user": "oncall",
            "server": target.masked, "action": "chunk compress llm_logs older than 7 days", "sql": "",
            "outcome": "done", "duration_ms": 120.0, "touches": []}) + "\n")
        monkeypatch.setattr(clock, "now", lambda: FROZEN + timedelta(minutes=1))
        session.call(refresher(options, recorder))
        monkeypatch.setattr(clock, "now", lambda: FROZEN + timedelta(minutes=2))
        recorder.outage(f"cannot reach the server at 127.0.0.1:{TSL_PORT}: connection refused")
    finally:
        session.close()
        recorder.close()
    return path


async def _replay_shown(pilot: Pilot[None]) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReplayScreen)
                   and pilot.app.screen.current is not None)
    await pilot.pause(0.3)


@pytest.mark.parametrize("size", SIZES, ids=_size_id)
def test_replay_console(snap_compare: SnapCompare, golden_tsl: str, size: tuple[int, int], tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`obsconsole replay FILE` at the second moment: REPLAY and the recorded time in the header, the dashboard's
    panes as recorded, the operator action of the minute before listed under them."""
    reader = Reader(_golden_recording(golden_tsl, tmp_path, monkeypatch))
    timeline = Timeline(reader)
    timeline.step(-1)
    try:
        assert snap_compare(ReplayApp(timeline), terminal_size=size, run_before=_replay_shown)
    finally:
        reader.close()


def test_replay_console_outage(snap_compare: SnapCompare, golden_tsl: str, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The last moment, an outage, at 120x36: the header says the server was unreachable and which snapshot is
    shown, the panes keep it dimmed, the outage is the moment's event."""
    reader = Reader(_golden_recording(golden_tsl, tmp_path, monkeypatch))
    try:
        assert snap_compare(ReplayApp(Timeline(reader)), terminal_size=(120, 36), run_before=_replay_shown)
    finally:
        reader.close()
