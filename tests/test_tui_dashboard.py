"""Pilot tests of the dashboard and the Jobs screen against real engines, and the layout at 80x24 / 160x48."""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from textual.widgets import DataTable
from textual.widgets._toast import Toast

from console.engines import native
from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.panes.view import LineChart
from console.tui.app import ObsConsoleApp
from console.tui.screens.action_confirm import ActionConfirmScreen
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.jobs import JobDetailScreen
from console.tui.widgets import charts as plotext_charts
from console.tui.widgets.line_fit import Part
from console.tui.widgets.pane_box import LABEL_MARGIN, PaneBox
from console.tui.widgets.server_header import ServerHeader
from tests.conftest import CliResult, TestDb, _tsl_on_copy
from tests.tui_helpers import row_cells, rows_in_view, rows_that_fit, screen_lines, wait_for, words_whole

Cli = Callable[..., CliResult]
PANES = ("cost", "chunks", "compression", "jobs", "retention")


@pytest.fixture(scope="module")
def seeded_tsl(tsl_templates: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDb]:
    """One tsl engine, migrated and seeded (`seed --days 9 --rate 40`, on a copy of the template), shared by this
    module's tests that only read it (panes, layout, a job's detail): an engine each cost 2-3 s. The test that
    runs a job has one of its own (`tsl_seeded_db`)."""
    yield from _tsl_on_copy(tsl_templates("seeded"), tmp_path_factory.mktemp("dashboard"))


def _pane(app: ObsConsoleApp, name: str) -> PaneBox:
    return app.screen.query_one(f"#pane-{name}", PaneBox)


def _index(pane: PaneBox, header: str) -> int:
    return [str(c.label) for c in pane.table.columns.values()].index(header)


def _column(table: DataTable[Any], index: int) -> list[str]:
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


def test_dashboard_shows_the_five_panes_with_the_seeded_numbers(seeded_tsl: TestDb) -> None:
    with psycopg.connect(seeded_tsl.dsn, prepare_threshold=None) as conn:
        conn.execute("SET default_transaction_read_only = off")
        models = {f"{p}/{m}" for p, m in conn.execute(
            "SELECT DISTINCT provider, model FROM cost_analysis_hourly WHERE bucket >= now() - interval '24 hours'"
            " AND bucket < _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark("
            "(SELECT mat_hypertable_id FROM _timescaledb_catalog.continuous_agg"
            " WHERE user_view_name = 'cost_analysis_hourly')))")}
        hypertables = conn.execute("SELECT (SELECT count(*) FROM timescaledb_information.hypertables)"
                                   " + (SELECT count(*) FROM timescaledb_information.continuous_aggregates)").fetchone()
        jobs = conn.execute("SELECT count(*) FROM timescaledb_information.jobs").fetchone()

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(seeded_tsl.dsn, "test")), refresh_s=60)
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for(pilot, lambda: all(_pane(app, p).table.row_count > 0 for p in PANES), timeout=60)
            cost = _pane(app, "cost")
            assert set(_column(cost.table, 0)) == models
            assert re.match(r"24 h to \d{4}-\d\d-\d\d \d\d:00 UTC \(24 buckets\): \$", str(cost.border_subtitle))
            assert _pane(app, "chunks").table.row_count == hypertables[0]  # type: ignore[index]
            assert _pane(app, "jobs").table.row_count == jobs[0]  # type: ignore[index]
            assert "compressed" in str(_pane(app, "compression").border_subtitle)
            compression = _pane(app, "compression")
            ratios = _column(compression.table, _index(compression, "ratio"))
            assert any(r.endswith("x") and float(r[:-1]) > 1 for r in ratios), ratios
            assert "with a policy" in str(_pane(app, "retention").border_subtitle)
            header = str(app.screen.query_one(".server-header").render())
            assert "● connected" in header and "TimescaleDB 2.23.0-dev community" in header
            assert re.search(r"refreshed \d\d:\d\d:\d\d UTC in \d+ ms", header)
            assert re.search(r"127\.0\.0\.1:\d+/\w+", header)  # the server, as connected
            await pilot.press("q")

    asyncio.run(scenario())


def test_cost_pane_total_matches_the_aggregate(seeded_tsl: TestDb) -> None:
    async def scenario() -> Decimal:
        app = ObsConsoleApp(Session(ResolvedDsn(seeded_tsl.dsn, "test")), refresh_s=60)
        async with app.run_test(size=(160, 48)) as pilot:
            cost = _pane(app, "cost")
            await wait_for(pilot, lambda: cost.table.row_count > 0, timeout=60)
            match = re.search(r"\(24 buckets\): \$([0-9.]+)", str(cost.border_subtitle))
            assert match, cost.border_subtitle
            return Decimal(match.group(1))

    shown = asyncio.run(scenario())
    with psycopg.connect(seeded_tsl.dsn, prepare_threshold=None) as conn:
        # 24 whole hourly buckets ending at the last complete, materialized hour.
        row = conn.execute(
            "WITH w AS (SELECT LEAST(time_bucket('1 hour', now()), time_bucket('1 hour',"
            " _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark((SELECT mat_hypertable_id"
            " FROM _timescaledb_catalog.continuous_agg WHERE user_view_name = 'cost_analysis_hourly'))))) AS e)"
            " SELECT sum(total_cost_usd), count(DISTINCT bucket) FROM cost_analysis_hourly, w"
            " WHERE bucket >= w.e - interval '24 hours' AND bucket < w.e"
        ).fetchone()
    assert row is not None and row[0] is not None and row[1] > 12
    assert shown == Decimal(row[0]).quantize(Decimal("0.0001"))


def test_jobs_screen_details_and_run_now(tsl_seeded_db: TestDb, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    seeded_tsl = tsl_seeded_db  # it runs a job: an engine of its own
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))  # the action's audit line goes there

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(seeded_tsl.dsn, "test")), start_mode="jobs")
        async with app.run_test(size=(160, 48)) as pilot:
            table = app.screen.query_one("#jobs-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 14)
            ids = _column(table, 0)
            kinds = _column(table, [str(c.label) for c in table.columns.values()].index("kind"))
            row = next(i for i, kind in enumerate(kinds) if kind == "compression")
            table.focus()
            table.move_cursor(row=row)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, JobDetailScreen))
            detail = app.screen
            assert isinstance(detail, JobDetailScreen) and detail.job.kind == "compression"
            assert "compress_after" in str(detail.job.config)
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, JobDetailScreen))
            last_run = [str(c.label) for c in table.columns.values()].index("last run")
            assert _column(table, last_run)[row] == "never ran"
            await pilot.press("n")
            await wait_for(pilot, lambda: isinstance(app.screen, ActionConfirmScreen))
            await pilot.press("y")
            await wait_for(pilot, lambda: any(f"job run {ids[row]}: done in" in str(n.message)
                                              for n in app._notifications), timeout=60)
            # The manual run's result shows in the row (it said "never ran" before).
            await wait_for(pilot, lambda: _column(table, last_run)[row].startswith("Success"), timeout=30)

    asyncio.run(scenario())


def test_enter_on_a_dashboard_job_opens_its_detail(seeded_tsl: TestDb) -> None:
    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(seeded_tsl.dsn, "test")), refresh_s=60)
        async with app.run_test(size=(160, 48)) as pilot:
            jobs = _pane(app, "jobs")
            await wait_for(pilot, lambda: jobs.table.row_count >= 14, timeout=60)
            jobs.table.focus()
            jobs.table.move_cursor(row=2)
            wanted = _column(jobs.table, 0)[2]
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, JobDetailScreen))
            assert isinstance(app.screen, JobDetailScreen) and str(app.screen.job.job_id) == wanted
            await pilot.press("escape")
            # At 80x24 the detail of the job with the longest name and proc folds its words, none cut.
            await pilot.resize_terminal(80, 24)
            await wait_for(pilot, lambda: not isinstance(app.screen, JobDetailScreen) and app.size == (80, 24))
            jobs.table.move_cursor(row=_column(jobs.table, 0).index("3"))
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, JobDetailScreen))
            await pilot.pause()
            detail = app.screen
            assert isinstance(detail, JobDetailScreen)
            job, lines = detail.job, screen_lines(app)
            assert job.proc == "_timescaledb_functions.policy_job_stat_history_retention", job
            for text in (f"job {job.job_id} {job.name}", job.proc, job.schedule, job.config_text):
                assert words_whole(text, lines), (text, lines)
            assert not any("…" in line for line in lines), lines

    asyncio.run(scenario())


def _screen_text(app: ObsConsoleApp) -> str:
    return app.export_screenshot()


@pytest.mark.parametrize(("size", "cost_chart", "no_color"),
                         [((80, 24), False, False), ((120, 36), None, False), ((160, 48), True, False),
                          ((160, 48), True, True)])
def test_dashboard_layout_snapshot(seeded_tsl: TestDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   size: tuple[int, int], cost_chart: bool | None, no_color: bool) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(seeded_tsl.dsn, "test")), refresh_s=60)
        assert app.no_color is no_color
        async with app.run_test(size=size) as pilot:
            await wait_for(pilot, lambda: all(_pane(app, p).table.row_count > 0 for p in PANES), timeout=60)
            await pilot.pause(0.3)
            svg = app.export_screenshot()
            (tmp_path / f"dashboard-{size[0]}x{size[1]}.svg").write_text(svg)
            for name in PANES:
                pane = _pane(app, name)
                pane.scroll_visible(animate=False)  # below 140 columns the panes stack and scroll
                await pilot.pause(0.1)
                region = pane.region
                assert region.width > 0 and region.height >= 4, (name, region)
                assert region.right <= size[0] and region.bottom <= size[1] - 1, (name, region)
                assert pane.title in app.export_screenshot().replace("&#160;", " "), name
                # Tables first: every key column is shown, whole (as wide as its widest value; a wrapping one as
                # its longest word, its words wrapped over the row's lines, none cut)...
                assert pane.view is not None
                shown = {str(c.label): c.content_width for c in pane.table.columns.values()}
                shown_labels = [c.label for c in pane.table.columns.values()]
                for index, column in enumerate(pane.view.columns):
                    if column.priority == 0:
                        assert column.name in shown, (name, column.name, list(shown))
                        cells = [r.cells[index].text for r in pane.view.rows]
                        widest = max(len(word) for text in cells for word in text.split()) if column.wrap else \
                            max(len(text) for text in cells)
                        assert shown[column.name] >= widest, (name, column.name)
                        for row in rows_in_view(pane.table) if column.wrap else []:
                            drawn = dict(zip(map(str, shown_labels), row_cells(app, pane.table, row), strict=True))
                            assert drawn[column.name] == " ".join(cells[row].split()), (name, column.name, drawn)
                # ...and a chart only takes width the table does not need.
                if pane.query_one(".chart").display:
                    assert len(shown) == len(pane.view.columns), (name, list(shown))
            if cost_chart is not None:
                assert _pane(app, "cost").query_one(".chart").display is cost_chart
            for name in PANES:  # every state is said in words too, so it reads without colour
                assert re.search(r"[a-z]{3,}", str(_pane(app, name).border_subtitle)), name
            _assert_chrome_whole(app, size)
            if no_color:  # plotext draws without colour too (markers tell the lines apart)
                points = [(datetime(2026, 1, 1, h), float(h)) for h in range(5)]
                chart = plotext_charts.draw(LineChart("t", {"a": points}), 40, 10)
                assert chart.plain.strip() and not [span for span in chart.spans if span.style]

    asyncio.run(scenario())


def _header_text(app: ObsConsoleApp) -> str:
    return str(app.screen.query_one(ServerHeader).render())


def _assert_chrome_whole(app: ObsConsoleApp, size: tuple[int, int]) -> None:
    """Issue 23 point 5: the header keeps the connection, the refresh's time (UTC) and duration, the interval,
    the edition and versions, in whole words, on the lines it takes; each pane's subtitle fits its border (nothing
    cut with "…") and says how many rows of how many it shows when it cannot show them all."""
    header = app.screen.query_one(ServerHeader)
    lines = screen_lines(app)[:header.region.height]
    assert len(lines) == (1 if size[0] >= 160 else 2), lines  # 80 and 120 columns: a server line, a state line
    said = "\n".join(lines)
    assert "● connected" in said and "every 60 s" in said, said
    assert re.search(r"\brefreshed \d\d:\d\d:\d\d UTC in \d+ ms\b", said), said
    assert re.search(r"\b(TimescaleDB|TSDB) 2\.23\.0-dev community · PG \d+\.\d+\b", said), said
    assert re.search(r"127\.0\.0\.1:\d+/\w+ ", said), said
    assert "…" not in said, said
    for name in PANES:
        pane = _pane(app, name)
        subtitle = str(pane.border_subtitle)
        assert len(subtitle) <= pane.outer_size.width - LABEL_MARGIN, (name, subtitle)
        assert "…" not in subtitle, (name, subtitle)
        heights = [row.height for row in pane.table.ordered_rows]  # a wrapped row takes several lines
        room, visible = pane.table.size.height - pane.table.header_height, rows_that_fit(pane.table)
        if pane.table.display and len(pane.view.rows) > visible:  # type: ignore[union-attr]
            assert f"{visible} of {len(pane.view.rows)} rows" in subtitle, (name, subtitle)  # type: ignore[union-attr]
        if size == (120, 36) and name == "jobs":  # here a row in view wraps: the count is of rows, not lines
            assert visible < room and max(heights[:visible]) > 1, (heights, room)
    assert any(re.search(r"\d+ of \d+ rows", str(_pane(app, name).border_subtitle)) for name in PANES)


def test_chrome_at_80x24_without_colour(seeded_tsl: TestDb, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80x24 under NO_COLOR: the focused pane (the one z/x/e act on) shows in its border and its title; `r`
    says "refreshing…" in the header until the refresh lands; 30 presses of +/- leave one toast of their kind,
    clear of the header."""
    monkeypatch.setenv("NO_COLOR", "1")
    notes: list[str] = []
    note_refresh = ServerHeader.note_refresh

    def heard(header: ServerHeader, parts: Sequence[Part]) -> None:  # what the header said, in order
        note_refresh(header, parts)
        notes.append(str(header.render()))

    monkeypatch.setattr(ServerHeader, "note_refresh", heard)

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(seeded_tsl.dsn, "test")), refresh_s=60)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            assert app.no_color
            await wait_for(pilot, lambda: all(_pane(app, p).table.row_count > 0 for p in PANES), timeout=60)
            cost, chunks = _pane(app, "cost"), _pane(app, "chunks")
            await wait_for(pilot, lambda: cost.border_title == "▶ Cost per model (cost_analysis_hourly)")
            top = screen_lines(app)[cost.region.y]
            assert top.startswith("┏━ ▶ Cost per model (cost_analysis_hourly) ━") and top.rstrip().endswith("┓"), top
            await pilot.press("tab")
            await wait_for(pilot, lambda: chunks.border_title == "▶ Chunk sizes" and cost.border_title
                           == "Cost per model (cost_analysis_hourly)")
            await pilot.pause()
            lines = screen_lines(app)  # the panes stack at 80 columns: the focused one is scrolled into view
            assert any(line.startswith("┏━ ▶ Chunk sizes ━") for line in lines), lines
            assert not any("▶ Cost" in line or line.startswith("┏━ Cost") for line in lines), lines
            assert lines[chunks.region.y + 1].startswith("┃ hypertable"), lines

            notes.clear()
            await pilot.press("r")
            await wait_for(pilot, lambda: len(notes) >= 2 and "refreshed" in notes[-1], timeout=60)
            assert "refreshing…" in notes[0] and "refreshed" not in notes[0], notes
            assert re.search(r"refreshed \d\d:\d\d:\d\d UTC in \d+ ms", notes[-1]), notes

            for step in range(30):
                await pilot.press("plus" if step % 2 else "minus")
            assert "every 60 s" in _header_text(app)  # 60 s: 30 s, 60 s, 30 s, ... 60 s
            await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
            await pilot.pause()
            toasts = list(app.screen.query(Toast))
            about_refresh = [n for n in app._notifications if n.title == "refresh"]
            assert [n.message for n in about_refresh] == ["every 60 s"], about_refresh
            assert len(toasts) == 1, toasts
            # Other kinds stand beside it, each its latest only, none over the header.
            await pilot.press("c", "c", "w")
            await wait_for(pilot, lambda: len(app.screen.query(Toast)) == 3)
            assert sorted((n.title, n.message) for n in app._notifications) == [
                ("charts", "shown"), ("cost window", "last 7d"), ("refresh", "every 60 s")]
            header = app.screen.query_one(ServerHeader).region
            toasts = list(app.screen.query(Toast))
            assert all(t.region.y >= header.bottom for t in toasts), (header, [t.region for t in toasts])

            # A refresh that fails as a whole (the line the screens' error boundary hands over): each pane keeps
            # its data, marked in whole words, the long line giving way to its short form (the toast has it all).
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            long_line = "cannot read the panes: " + "a reason that goes on " * 5 + "and ends here"
            screen.show_error("dashboard", long_line)
            await pilot.pause()
            for name in PANES:
                pane = _pane(app, name)
                assert pane.has_class("-stale") and pane.border_subtitle == "refresh failed · last data shown", name
            assert any(n.message == long_line for n in app._notifications)

    asyncio.run(scenario())


@pytest.mark.native
def test_dashboard_survives_the_server_going_away(tmp_path: Path) -> None:
    parent = Path(tempfile.mkdtemp(prefix="obsconsole-test-"))
    parent.chmod(0o755)
    data = parent / "cluster"
    engine = native.start(data)
    try:
        async def scenario() -> None:
            nonlocal engine
            app = ObsConsoleApp(Session(ResolvedDsn(engine.dsn, "test")), refresh_s=1)
            async with app.run_test(size=(160, 48)) as pilot:
                jobs = _pane(app, "jobs")
                await wait_for(pilot, lambda: jobs.table.row_count > 0, timeout=30)
                engine.stop()
                header = app.screen.query_one(".server-header")
                await wait_for(pilot, lambda: "disconnected since" in str(header.render()), timeout=30)
                assert jobs.has_class("-stale") and jobs.table.row_count > 0  # last data kept, dimmed
                dsn = engine.dsn
                engine = native.start(data)  # the same data dir: the same port and password, so the same DSN
                assert engine.dsn == dsn
                await wait_for(pilot, lambda: "● connected" in str(header.render()) and not jobs.has_class("-stale"),
                               timeout=30)

        asyncio.run(scenario())
    finally:
        engine.stop()
        shutil.rmtree(parent, ignore_errors=True)
