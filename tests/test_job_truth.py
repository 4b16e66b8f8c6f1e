"""Issue 24, point 3: one truth per job. On tsl (no scheduler: TimescaleDB keeps no statistics for a run by hand),
a run made with `obsconsole job run` or from the console shows the same in the snapshot, the Jobs screen's row,
its detail and the dashboard's jobs pane (read from the audit log, for this database only); the Jobs screen
carries the dashboard's "not scheduled" warning, and an empty next start says why."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import DataTable, Static

from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.screens.action_confirm import ActionConfirmScreen
from console.tui.screens.jobs import JobDetailScreen
from console.tui.widgets.pane_box import PaneBox
from tests.conftest import CliResult, TestDb
from tests.known_data import connect
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]
BOOM = """
CREATE PROCEDURE boom(job_id int, config jsonb) LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'boom from job %', job_id; END $$
"""


def _job(conn: Any, proc: str, table: str) -> int:
    row = conn.execute("SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = %s AND hypertable_name = %s",
                       (proc, table)).fetchone()
    assert row is not None
    return int(row[0])


def _snapshot_rows(cli: Cli, dsn: str) -> dict[int, dict[str, Any]]:
    result = cli("snapshot", "--dsn", dsn, "--json", "--pane", "jobs")
    assert result.code == 0, result.output
    return {r["job_id"]: r for r in json.loads(result.stdout)["panes"]["jobs"]["rows"]}


def _text(screen: JobDetailScreen) -> str:
    """What the detail shows, as plain text."""
    out = Console(width=160, record=True, file=io.StringIO())
    for static in screen.query(Static):
        out.print(static.content)
    return out.export_text()


def _column(table: DataTable[Any], name: str) -> dict[str, str]:
    index = [str(c.label) for c in table.columns.values()].index(name)
    return {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[index]) for i in range(table.row_count)}


@pytest.mark.tsl
def test_a_run_by_hand_tells_one_story_everywhere(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # the cli fixture's: one audit log for both
    dsn = tsl_migrated_db.dsn
    with connect(dsn) as conn:
        compress, retention = _job(conn, "policy_compression", "llm_traces"), _job(conn, "policy_retention", "llm_logs")
        by_console = _job(conn, "policy_retention", "llm_traces")
        conn.execute(BOOM)
        row = conn.execute("SELECT add_job('boom', '1 hour')").fetchone()
        assert row is not None
        boom = int(row[0])
        server_id = conn.execute("SELECT system_identifier::text || '/' || (SELECT oid FROM pg_database"
                                 " WHERE datname = current_database()) FROM pg_control_system()").fetchone()
    before = _snapshot_rows(cli, dsn)
    assert before[compress]["last_run_status"] is None and before[compress]["total_runs"] == 0

    assert cli("job", "run", str(compress), "--yes", "--dsn", dsn).code == 0
    failed = cli("job", "run", str(boom), "--yes", "--dsn", dsn)
    assert failed.code == 1 and "boom from job" in failed.output, failed.output
    assert cli("job", "pause", str(retention), "--yes", "--dsn", dsn).code == 0
    # A run of another database at the same address (an engine started again) is not this one's.
    log = tmp_path / "state" / "obsconsole" / "audit.jsonl"
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert server_id is not None and {e["server_id"] for e in entries} == {server_id[0]}
    stranger = {**entries[0], "action": f"job run {by_console}", "outcome": "done", "server_id": "1/1"}
    with log.open("a") as out:
        out.write(json.dumps(stranger) + "\n")

    rows = _snapshot_rows(cli, dsn)
    ran = rows[compress]
    assert (ran["last_run_status"], ran["last_run_by_hand"], ran["total_runs"], ran["hand_runs"]) == (
        "Success", True, 1, 1)
    assert ran["last_success"] is not None and ran["last_run_started_at"] is not None
    assert ran["no_next_start"] == "no scheduler" and ran["next_start"] is None
    broke = rows[boom]
    assert (broke["last_run_status"], broke["total_failures"], broke["hand_failures"]) == ("Failed", 1, 1)
    assert "boom from job" in broke["last_error"]["message"] and broke["last_success"] is None
    assert rows[retention]["no_next_start"] == "paused"
    assert rows[by_console]["last_run_status"] is None and rows[by_console]["total_runs"] == 0
    text = cli("snapshot", "--dsn", dsn, "--pane", "jobs", "--wide").stdout
    assert "Success by hand" in text and "Failed by hand" in text and "no scheduler" in text

    async def jobs_screen() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(dsn, "test")), start_mode="jobs")
        async with app.run_test(size=(160, 48)) as pilot:
            table = app.screen.query_one("#jobs-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 15)
            last_run, next_start = _column(table, "last run"), _column(table, "next start")
            assert last_run[str(compress)] == "Success by hand" and last_run[str(boom)] == "Failed by hand"
            assert next_start[str(compress)] == "no scheduler" and next_start[str(retention)] == "paused"
            warning = app.screen.query_one("#jobs-warning", Static)
            assert warning.display and "jobs are not being scheduled" in str(warning.render())
            # The detail: the same last run, last success and the run itself among the logged runs.
            table.focus()
            table.move_cursor(row=list(_column(table, "id")).index(str(compress)))
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, JobDetailScreen))
            detail = app.screen
            assert isinstance(detail, JobDetailScreen)
            assert [(r.succeeded, r.by_hand) for r in detail.runs] == [(True, True)]
            shown = _text(detail)
            assert "last run Success by hand at" in shown and "never ran" not in shown
            assert "obsconsole (audit log)" in shown and "1 runs, 0 failed" in shown
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, JobDetailScreen))
            # A run from the console: its row says so once done.
            table.move_cursor(row=list(_column(table, "id")).index(str(by_console)))
            await pilot.press("n")
            await wait_for(pilot, lambda: isinstance(app.screen, ActionConfirmScreen))
            await pilot.press("y")
            await wait_for(pilot, lambda: _column(table, "last run")[str(by_console)] == "Success by hand", timeout=60)

    async def dashboard() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(dsn, "test")), refresh_s=60)
        async with app.run_test(size=(160, 48)) as pilot:
            pane = app.screen.query_one("#pane-jobs", PaneBox)
            await wait_for(pilot, lambda: pane.table.row_count >= 15, timeout=60)
            last_run = _column(pane.table, "last run")
            assert last_run[str(compress)] == "Success by hand" and last_run[str(by_console)] == "Success by hand"
            assert last_run[str(boom)] == "Failed by hand"

    asyncio.run(jobs_screen())
    asyncio.run(dashboard())
    assert _snapshot_rows(cli, dsn)[by_console]["hand_runs"] == 1


@pytest.mark.tsl
def test_the_jobs_a_seed_ran_show_as_run(cli: Cli, tsl_migrated_db: TestDb) -> None:
    seeded = cli("seed", "--dsn", tsl_migrated_db.dsn, "--days", "1", "--rate", "5", "--json", timeout=300)
    assert seeded.code == 0, seeded.output
    steps = [s for s in json.loads(seeded.stdout)["aftercare"]["steps"] if s["action"] == "run_job"]
    assert len(steps) >= 10
    rows = _snapshot_rows(cli, tsl_migrated_db.dsn)
    for step in steps:
        job = rows[step["job_id"]]
        assert job["last_run_by_hand"] and job["hand_runs"] == 1, job
        assert job["last_run_status"] == ("Failed" if step["error"] else "Success"), (step, job)
    assert rows[3]["last_run_status"] is None, "job 3 (job history retention) was not run by the seed"
