"""Actions through the console with Pilot: keys on the Jobs screen and the command palette open the confirmation
(the exact SQL, default No), Yes changes the job (tsl) or drops the previewed chunks (native), every step is
audited; read-only mode hides the keys and the palette entries."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable

from console.actions import audit
from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.palette import ConsoleCommands
from console.tui.screens.action_confirm import ActionConfirmScreen, AskScreen
from console.tui.screens.help import HelpScreen
from console.tui.screens.jobs import JobsScreen
from tests.conftest import CliResult, TestDb
from tests.tui_helpers import palette_drop_chunks, wait_for

Cli = Callable[..., CliResult]
JOB = "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = %s AND hypertable_name = %s"
STATE = "SELECT scheduled, schedule_interval FROM timescaledb_information.jobs WHERE job_id = %s"


def _db(session: Session, sql: str, *params: object) -> Any:
    """One row read on the app's own session (the tsl engine serves one connection at a time)."""
    return session.call(lambda conn, _info: conn.execute(sql, params).fetchone())


def _select(app: ObsConsoleApp, job_id: int) -> None:
    table = app.screen.query_one("#jobs-table", DataTable)
    table.move_cursor(row=table.get_row_index(str(job_id)))


@pytest.mark.tsl
def test_jobs_screen_actions_confirm_change_and_audit(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tui-state"))
    assert cli("seed", "--dsn", tsl_migrated_db.dsn, "--days", "2", "--no-aftercare").code == 0

    async def scenario() -> None:
        session = Session(ResolvedDsn(tsl_migrated_db.dsn, "test"))
        app = ObsConsoleApp(session, start_mode="jobs")
        async with app.run_test(size=(160, 48)) as pilot:
            table = app.screen.query_one("#jobs-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 14)
            job = _db(session, JOB, "policy_retention", "llm_traces")[0]
            refresh = _db(session, JOB, "policy_refresh_continuous_aggregate", "cost_analysis_hourly")[0]

            # Default No: Enter on the confirmation presses the focused "No".
            _select(app, job)
            await pilot.press("p")
            await wait_for(pilot, lambda: isinstance(app.screen, ActionConfirmScreen))
            assert isinstance(app.screen, ActionConfirmScreen)
            assert app.screen.plan.sql == f"SELECT alter_job({job}, scheduled => false);"
            assert any("only matters where a scheduler runs" in note for note in app.screen.plan.notes)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, JobsScreen))
            assert _db(session, STATE, job)[0] is True

            await pilot.press("p")
            await wait_for(pilot, lambda: isinstance(app.screen, ActionConfirmScreen))
            await pilot.press("y")
            await wait_for(pilot, lambda: _db(session, STATE, job)[0] is False)

            _select(app, job)
            await pilot.press("u")
            await wait_for(pilot, lambda: isinstance(app.screen, ActionConfirmScreen))
            await pilot.press("y")
            await wait_for(pilot, lambda: _db(session, STATE, job)[0] is True)

            _select(app, job)
            await pilot.press("s")
            await wait_for(pilot, lambda: isinstance(app.screen, AskScreen))
            assert isinstance(app.screen, AskScreen) and "(now every " in app.screen.question
            await pilot.press(*"5 minutes", "enter")  # issue 24: the app's own words for an interval
            await wait_for(pilot, lambda: isinstance(app.screen, ActionConfirmScreen))
            assert isinstance(app.screen, ActionConfirmScreen)
            assert "schedule_interval => '5 minutes'::interval" in app.screen.plan.sql
            await pilot.press("y")
            await wait_for(pilot, lambda: _db(session, STATE, job)[1] == timedelta(minutes=5))

            # From the command palette: run the cost aggregate's refresh job now.
            assert _db(session, "SELECT count(*) FROM cost_analysis_hourly")[0] == 0
            await wait_for(pilot, lambda: isinstance(app.screen, JobsScreen))
            _select(app, refresh)
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
            await pilot.press(*f"run job {refresh}")
            results = app.screen.query_one(CommandList)
            await wait_for(pilot, lambda: results.option_count > 0
                           and f"Run job {refresh}" in str(results.get_option_at_index(0).prompt))
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ActionConfirmScreen))
            assert isinstance(app.screen, ActionConfirmScreen)
            assert app.screen.plan.sql == f"CALL run_job({refresh});"
            await pilot.press("y")
            await wait_for(pilot, lambda: _db(session, "SELECT count(*) FROM cost_analysis_hourly")[0] > 0, 60)

    asyncio.run(scenario())
    lines = [json.loads(line) for line in audit.path().read_text().splitlines()]
    assert [(e["action"].split()[1], e["outcome"]) for e in lines] == [
        ("pause", "cancelled"), ("pause", "intent: about to run"), ("pause", "done"),
        ("resume", "intent: about to run"), ("resume", "done"), ("schedule", "intent: about to run"),
        ("schedule", "done"), ("run", "intent: about to run"), ("run", "done")]
    assert all(e["server"] == "test" or "***" in e["server"] for e in lines)


@pytest.mark.tsl
def test_read_only_console_hides_the_job_actions(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tui-state"))

    async def scenario() -> None:
        session = Session(ResolvedDsn(tsl_migrated_db.dsn, "test"))
        app = ObsConsoleApp(session, start_mode="jobs", read_only=True)
        async with app.run_test(size=(160, 48)) as pilot:
            table = app.screen.query_one("#jobs-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 14)
            job = _db(session, JOB, "policy_retention", "llm_traces")[0]
            _select(app, job)
            keys = set(app.screen.active_bindings)
            assert {"r", "enter"} <= keys and not {"n", "p", "u", "s"} & keys
            await pilot.press("p", "n", "s")
            await pilot.pause(0.5)
            assert isinstance(app.screen, JobsScreen)
            assert _db(session, STATE, job)[0] is True
            provider = ConsoleCommands(app.screen)
            names = [hit.text async for hit in provider.discover()]
            assert "Go to Jobs" in names
            assert not any(str(n).startswith(("Run job", "Pause job", "Drop chunks", "Terminate")) for n in names)

    asyncio.run(scenario())
    assert not audit.path().exists(), "nothing was attempted"


@pytest.mark.native
def test_jobs_screen_does_not_offer_what_apache_refuses(cli: Cli, native_migrated_db: TestDb, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 24: alter_job and run_job are refused on Apache: the keys are not offered (footer, palette), `?` says
    # why; Enter still opens a job's detail.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tui-state"))

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_migrated_db.dsn, "test")), start_mode="jobs")
        async with app.run_test(size=(160, 48)) as pilot:
            screen = app.screen
            assert isinstance(screen, JobsScreen)
            table = screen.query_one("#jobs-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 1)
            await pilot.pause()
            assert {"r", "enter"} <= set(screen.active_bindings)
            assert not {"n", "p", "u", "s"} & set(screen.active_bindings)
            await pilot.press("n", "p", "u", "s")
            await pilot.pause()
            assert isinstance(app.screen, JobsScreen)
            names = [str(hit.text) async for hit in ConsoleCommands(screen).discover()]
            assert not any(n.startswith(("Run job", "Pause job", "Resume job", "Reschedule job")) for n in names)
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            assert isinstance(app.screen, HelpScreen)
            assert [(k, a) for k, a, _why in app.screen.withheld] == [
                ("n", "Run now"), ("p", "Pause"), ("u", "Resume"), ("s", "Schedule")]
            assert all(why == "the apache edition refuses it: TimescaleDB Community only"
                       for _k, _a, why in app.screen.withheld)

    asyncio.run(scenario())
    assert not audit.path().exists(), "nothing was attempted"


@pytest.mark.native
def test_palette_prompts_drop_chunks_on_native(cli: Cli, native_db: TestDb, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tui-state"))
    dsn = native_db.dsn
    assert cli("migrate", "--dsn", dsn, "--to", "3").code == 0
    assert cli("seed", "--dsn", dsn, "--days", "10", "--rate", "20", "--no-aftercare").code == 0
    chunks = "SELECT chunk_name, range_end FROM timescaledb_information.chunks WHERE hypertable_name = 'llm_logs'"
    with psycopg.connect(dsn) as conn:
        before = conn.execute(chunks).fetchall()

    async def scenario() -> list[str]:
        app = ObsConsoleApp(Session(ResolvedDsn(dsn, "test")), start_mode="jobs")
        async with app.run_test(size=(160, 48)) as pilot:
            await palette_drop_chunks(pilot, "llm_logs 8d")
            assert isinstance(app.screen, ActionConfirmScreen)
            plan = app.screen.plan
            assert plan.sql.startswith("SELECT drop_chunks('public.llm_logs'::regclass, older_than => ")
            await pilot.press("y")
            await wait_for(pilot, lambda: any("chunk drop" in str(n.message) and "done" in str(n.message)
                                              for n in app._notifications))
            return [line.split(" of ")[0].split(".")[1] for line in plan.touches]

    listed = asyncio.run(scenario())
    with psycopg.connect(dsn) as conn:
        after = conn.execute(chunks).fetchall()
    gone = sorted(name for name, _ in set(before) - set(after))
    assert gone == sorted(listed) and len(gone) >= 1 and len(after) >= 1
    outcomes = [json.loads(line)["outcome"] for line in audit.path().read_text().splitlines()]
    assert outcomes == ["intent: about to run", "done"]
