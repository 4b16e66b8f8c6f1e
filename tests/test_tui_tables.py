"""Issue 23, point 5: the screens' tables at 80x24, 120x36 and 160x48. Kinds, schedules, configs, refusals and
findings wrap at their spaces instead of being cut; whole low-priority columns give way first and "N of M" stays
in view; a job without a hypertable says what it does, on the Jobs screen (its kind and its proc), in the
dashboard's jobs pane and in `obsconsole snapshot` (its kind). (The Verify screen's first screen:
test_tui_screens.py; the Drift tab: test_drift.py.)"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

import pytest
from textual.widgets import Static

from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.panes.jobs import COLUMNS
from console.tui.app import ObsConsoleApp
from console.tui.screens.jobs import JobsScreen
from console.tui.widgets.fitted_table import FittedTable
from console.tui.widgets.pane_box import PaneBox
from console.tui.widgets.wrapped_log import WrappedLog
from tests.conftest import CliResult, TestDb
from tests.known_data import connect, wait_for_builtin_job_failure
from tests.tui_helpers import row_cells, rows_in_view, screen_lines, wait_for, width_is, words_whole

Cli = Callable[..., CliResult]
SIZES = [(80, 24), (120, 36), (160, 48)]
JOB_3 = "job history retention: policy_job_stat_history_retention"  # on the Jobs screen
JOB_3_PANE = "job history retention"  # in the dashboard's pane and `snapshot` (a pane's 72 columns at 80)


def _whole(text: str, shown: str) -> bool:
    """Every word of `text` in `shown`, whole and in order (wrapped lines joined with a space)."""
    return " ".join(text.split()) in shown


def test_jobs_screen_wraps_kinds_schedules_and_configs_at_three_sizes(tsl_migrated_db: TestDb) -> None:
    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_migrated_db.dsn, "test")), start_mode="jobs")
        async with app.run_test(size=SIZES[0]) as pilot:
            screen = app.screen
            assert isinstance(screen, JobsScreen)
            table = screen.query_one("#jobs-table", FittedTable)
            await wait_for(pilot, lambda: table.row_count == 15, timeout=60)
            shown_at = {}
            for size in SIZES:
                await pilot.resize_terminal(*size)
                await wait_for(pilot, width_is(table, size[0]))
                await pilot.pause()
                headers = [str(column.label) for column in table.columns.values()]
                shown_at[size] = headers
                in_view = rows_in_view(table)
                summary = str(screen.query_one("#jobs-summary", Static).render())
                assert f"{len(in_view)} of 15 jobs" in summary, (size, summary)
                assert len(in_view) >= 12, (size, in_view)
                for index in in_view:
                    row = table.view_rows[index]
                    shown = dict(zip(headers, row_cells(app, table, index), strict=True))
                    for cell, column in zip(row.cells, COLUMNS, strict=True):
                        if column.name in headers:  # every shown cell whole, wrapped at its spaces
                            assert shown[column.name] == " ".join(cell.text.split()), (size, column.name, shown)
                    if row.key == "3":
                        assert shown["target"] == JOB_3, (size, shown)
            # The key columns at every size; the kind from 120, schedule and config at 160; lower ones give way.
            assert shown_at[(80, 24)][:5] == ["id", "target", "status", "last run", "next start"]
            assert {"kind", "fails/runs"} <= set(shown_at[(120, 36)])
            assert {"kind", "fails/runs", "schedule", "config"} <= set(shown_at[(160, 48)])
            assert "last success" not in shown_at[(160, 48)]  # the lowest priority gives way first

    asyncio.run(scenario())


@pytest.mark.native
def test_failing_builtin_job_says_what_it_is_on_the_dashboard_at_80_and_in_snapshot(cli: Cli,
                                                                                     native_db: TestDb) -> None:
    assert cli("migrate", "--dsn", native_db.dsn, "--to", "3").code == 0
    with connect(native_db.dsn) as conn:
        wait_for_builtin_job_failure(conn)  # job 3 fails on Apache ("apache license")

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_db.dsn, "test")), refresh_s=60)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = app.screen.query_one("#pane-jobs", PaneBox)
            await wait_for(pilot, lambda: pane.table.row_count > 0, timeout=60)
            pane.scroll_visible(animate=False)
            assert pane.view is not None
            index = [row.key for row in pane.view.rows].index("3")
            await wait_for(pilot, lambda: row_cells(app, pane.table, index)[0] == "3")  # scrolled into view
            headers = [str(column.label) for column in pane.table.columns.values()]
            shown = dict(zip(headers, row_cells(app, pane.table, index), strict=True))
            # Not '3 - Scheduled Failed': what it does and its proc, whole, then its state and its failing run.
            assert (shown["id"], shown["target"], shown["status"]) == ("3", JOB_3_PANE, "Scheduled"), shown
            assert re.fullmatch(r"Failed x\d+ in a row", shown["last run"]), shown

    asyncio.run(scenario())
    snapshot = cli("snapshot", "--dsn", native_db.dsn, "--pane", "jobs", extra_env={"COLUMNS": "80"})
    assert snapshot.code == 0, snapshot.output
    row = next(line.split() for line in snapshot.stdout.splitlines() if line.split()[:1] == ["3"])
    assert " ".join(row[1:5]) == f"{JOB_3_PANE} Scheduled", snapshot.stdout  # as the pane says it


@pytest.mark.native
def test_migrations_refusal_wraps_whole_at_80_and_160(native_db: TestDb) -> None:
    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_db.dsn, "test")), start_mode="migrations")
        async with app.run_test(size=(80, 24)) as pilot:
            summary = app.screen.query_one("#migrations-summary", Static)
            await wait_for(pilot, lambda: "apply not offered" in str(summary.render()), timeout=60)
            await pilot.press("p")
            log = app.screen.query_one("#migrations-log", WrappedLog)
            await wait_for(pilot, lambda: any(line.startswith("refused:") for line in log.lines), timeout=60)
            refusal = next(line for line in log.lines if line.startswith("refused:"))
            assert "apache edition" in refusal and "nothing was applied" in refusal, refusal
            for size in [(80, 24), (160, 48)]:
                await pilot.resize_terminal(*size)
                await wait_for(pilot, width_is(log, size[0]))
                await pilot.pause()
                lines = screen_lines(app)
                said = str(summary.render())
                assert "this server runs the apache edition" in said, said
                assert words_whole(said, lines), (size, said, lines)  # the summary's refusal, every word whole
                log_lines = [line for line in lines if line.strip()]
                start = next(i for i, line in enumerate(log_lines) if line.startswith("refused:"))
                assert _whole(refusal, " ".join(" ".join(log_lines[start:]).split())), (size, refusal, log_lines)

    asyncio.run(scenario())
