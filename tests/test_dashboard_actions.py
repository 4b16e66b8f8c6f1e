"""Operator actions on the dashboard's rows, with Pilot against the real engines: the keys each row offers (footer,
`?`, palette), the one-line prompt, the confirmation with the exact SQL, the database afterwards and the panes
refreshed; on native drop_chunks works, a drop with nothing to drop says so and asks nothing, and the
Community-only actions are not offered (`?` says why); read-only mode hides them all."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from console.actions import audit
from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.palette import ConsoleCommands
from console.tui.screens.action_confirm import ActionConfirmScreen, AskScreen
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.help import HelpScreen
from console.tui.widgets.pane_box import PaneBox
from tests.conftest import CliResult, TestDb
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]
ROW_KEYS = {"z", "u", "x", "e", "a"}
COMPRESSED = "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'llm_logs' AND is_compressed"
CONFIG = ("SELECT config ->> %s FROM timescaledb_information.jobs WHERE proc_name = %s "
          "AND hypertable_name = %s")
CHUNKS = "SELECT chunk_name FROM timescaledb_information.chunks WHERE hypertable_name = 'llm_logs' ORDER BY 1"


def _db(session: Session, sql: str, *params: object) -> Any:
    """One value read on the app's own session (the tsl engine serves one connection at a time)."""
    row = session.call(lambda conn, _info: conn.execute(sql, params).fetchone())
    return row[0] if row else None


def _pane(app: ObsConsoleApp, name: str) -> PaneBox:
    return app.screen.query_one(f"#pane-{name}", PaneBox)


def _cell(pane: PaneBox, key: str, column: str) -> str:
    assert pane.view is not None
    index = [c.name for c in pane.view.columns].index(column)
    return next(r.cells[index].text for r in pane.view.rows if r.key == key)


async def _on_row(pilot: Pilot[None], pane: PaneBox, key: str) -> set[str]:
    """Put the cursor on row `key` of `pane`; the row keys the dashboard then offers."""
    pane.table.focus()
    pane.table.move_cursor(row=pane.table.get_row_index(key))
    await pilot.pause()
    return set(pilot.app.screen.active_bindings) & ROW_KEYS


async def _answer(pilot: Pilot[None], key: str, answer: str) -> ActionConfirmScreen:
    """Press a row key, answer its prompt; the confirmation it opens (the exact SQL, No focused)."""
    app = pilot.app
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, AskScreen))
    await pilot.press(*answer, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ActionConfirmScreen))
    assert isinstance(app.screen, ActionConfirmScreen)
    return app.screen


def _said(app: ObsConsoleApp, *phrases: str) -> list[str]:
    return [str(n.message) for n in app._notifications if all(p in str(n.message) for p in phrases)]


@pytest.mark.tsl
def test_dashboard_row_actions_on_tsl(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tui-state"))
    assert cli("seed", "--dsn", tsl_migrated_db.dsn, "--days", "3", "--no-aftercare").code == 0

    async def scenario() -> None:
        session = Session(ResolvedDsn(tsl_migrated_db.dsn, "test"))
        app = ObsConsoleApp(session, refresh_s=60)
        async with app.run_test(size=(160, 48)) as pilot:
            chunks, cost = _pane(app, "chunks"), _pane(app, "cost")
            retention, compression = _pane(app, "retention"), _pane(app, "compression")
            await wait_for(pilot, lambda: chunks.table.row_count >= 7 and retention.table.row_count >= 7, 60)

            # A hypertable's row in the chunks pane: its chunks' actions, in the footer and in `?`.
            assert await _on_row(pilot, chunks, "public.llm_logs") == {"z", "u", "x"}
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            assert isinstance(app.screen, HelpScreen)
            assert {"Compress…", "Decompress…", "Drop chunks…"} <= {d for _k, d in app.screen.keys}
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))

            confirm = await _answer(pilot, "z", "1d")
            assert "CALL convert_to_columnstore('_timescaledb_internal._hyper_" in confirm.plan.sql
            assert all(" of public.llm_logs: " in line for line in confirm.plan.touches)
            await pilot.press("y")
            await wait_for(pilot, lambda: _db(session, COMPRESSED) == len(confirm.plan.statements) > 0, 60)
            # The dashboard refreshed by itself after the action (refresh_s is 60 s here).
            await wait_for(pilot, lambda: _cell(chunks, "public.llm_logs", "compressed").startswith(
                f"{len(confirm.plan.statements)}/"))

            await _on_row(pilot, chunks, "public.llm_logs")
            confirm = await _answer(pilot, "u", "1d")
            assert "CALL convert_to_rowstore(" in confirm.plan.sql
            await pilot.press("y")
            await wait_for(pilot, lambda: _db(session, COMPRESSED) == 0, 60)

            # A continuous aggregate's row: its refresh only; the cost pane refreshes the aggregate it reads.
            assert await _on_row(pilot, chunks, "public.cost_analysis_hourly") == {"a"}
            assert _db(session, "SELECT count(*) FROM cost_analysis_hourly") == 0
            cost.table.focus()
            await pilot.pause()
            assert set(app.screen.active_bindings) & ROW_KEYS == {"a"}
            confirm = await _answer(pilot, "a", "10d -")
            assert confirm.plan.sql.startswith("CALL refresh_continuous_aggregate('public.cost_analysis_hourly'")
            assert confirm.plan.sql.endswith(", NULL::timestamptz);") and confirm.plan.autocommit
            await pilot.press("y")
            await wait_for(pilot, lambda: cost.table.row_count > 0, 60)
            assert _db(session, "SELECT count(*) FROM cost_analysis_hourly") > 0

            # Retention and compression rows: their policy (a cagg's row also its refresh).
            assert await _on_row(pilot, retention, "public.llm_metrics_1day") == {"e", "a"}
            names = [str(hit.text) async for hit in ConsoleCommands(app.screen).discover()]
            assert "Set or remove the retention policy of public.llm_metrics_1day…" in names
            assert "Refresh public.llm_metrics_1day over a window…" in names
            assert await _on_row(pilot, retention, "public.llm_logs") == {"e"}
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, AskScreen))
            assert isinstance(app.screen, AskScreen) and "(now: drop after 37 days)" in app.screen.question
            await pilot.press(*"soon", "enter")  # a malformed answer: one line, nothing planned
            await wait_for(pilot, lambda: bool(_said(app, "age 'soon': not an interval")))
            assert isinstance(app.screen, DashboardScreen)

            # Issue 24: a retention change lists the chunks its next run drops (range, size), as a drop does; the
            # age in the app's own words.
            confirm = await _answer(pilot, "e", "2 days")
            assert "drop_after => '2 days'::interval" in confirm.plan.sql
            dropped = [line for line in confirm.plan.touches if line.startswith("drops ")]
            expected = _db(session, "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = "
                                    "'llm_logs' AND range_end <= now() - interval '2 days'")
            assert len(dropped) == expected > 0, confirm.plan.touches
            assert all(" of public.llm_logs: " in line and " → " in line and "iB, " in line for line in dropped)
            assert any(note.startswith(f"its next run drops {expected} chunk(s), ") for note in confirm.plan.notes)
            await pilot.press("n")
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))

            confirm = await _answer(pilot, "e", "45d")
            assert any(note.startswith("its next run drops no chunk") for note in confirm.plan.notes)
            assert "add_retention_policy('public.llm_logs'::regclass, drop_after => '45 days'::interval)" in \
                confirm.plan.sql
            await pilot.press("y")
            await wait_for(pilot, lambda: _cell(retention, "public.llm_logs", "policy") == "drop after 45 days")
            assert _db(session, CONFIG, "drop_after", "policy_retention", "llm_logs") == "45 days"
            await _on_row(pilot, retention, "public.llm_logs")
            await _answer(pilot, "e", "remove")
            await pilot.press("y")
            await wait_for(pilot, lambda: _cell(retention, "public.llm_logs", "policy") == "no retention policy")
            assert _db(session, CONFIG, "drop_after", "policy_retention", "llm_logs") is None

            assert await _on_row(pilot, compression, "public.llm_traces") == {"e"}
            confirm = await _answer(pilot, "e", "5d")
            await pilot.press("y")
            await wait_for(pilot, lambda: _cell(compression, "public.llm_traces", "policy") == "compress after 5 days")
            assert _db(session, CONFIG, "compress_after", "policy_compression", "llm_traces") == "5 days"

    asyncio.run(scenario())
    lines = [json.loads(line) for line in audit.path().read_text().splitlines()]
    assert [(e["action"].split()[:2], e["outcome"]) for e in lines] == [
        step for action, outcome in (
            (["chunk", "compress"], "done"), (["chunk", "decompress"], "done"), (["cagg", "refresh"], "done"),
            (["policy", "retention"], "cancelled"), (["policy", "retention"], "done"),
            (["policy", "retention"], "done"), (["policy", "compression"], "done"))
        for step in (((action, "intent: about to run"), (action, outcome)) if outcome == "done"
                     else ((action, outcome),))]


@pytest.mark.native
def test_dashboard_drops_chunks_and_withholds_what_apache_refuses_on_native(cli: Cli, native_db: TestDb, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tui-state"))
    dsn = native_db.dsn
    assert cli("migrate", "--dsn", dsn, "--to", "3").code == 0
    assert cli("seed", "--dsn", dsn, "--days", "10", "--rate", "20", "--no-aftercare").code == 0
    with psycopg.connect(dsn) as conn:
        before = [r[0] for r in conn.execute(CHUNKS)]

    async def scenario() -> list[str]:
        app = ObsConsoleApp(Session(ResolvedDsn(dsn, "test")), refresh_s=60)
        async with app.run_test(size=(160, 48)) as pilot:
            chunks = _pane(app, "chunks")
            await wait_for(pilot, lambda: chunks.table.row_count >= 3, 60)
            assert _cell(chunks, "public.llm_logs", "chunks") == str(len(before))
            # Issue 24: compress and decompress are refused on Apache: not offered (footer, palette), said in `?`.
            assert await _on_row(pilot, chunks, "public.llm_logs") == {"x"}
            # The command palette offers the row's actions by name; Escape on the prompt does nothing.
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
            await pilot.press(*"drop chunks of public.llm_logs")
            results = app.screen.query_one(CommandList)
            await wait_for(pilot, lambda: results.option_count > 0 and "Drop chunks of public.llm_logs older than…"
                           in str(results.get_option_at_index(0).prompt))
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, AskScreen))
            assert isinstance(app.screen, AskScreen) and "public.llm_logs" in app.screen.question
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))

            confirm = await _answer(pilot, "x", "8d")
            assert confirm.plan.sql.startswith("SELECT drop_chunks('public.llm_logs'::regclass, older_than => ")
            listed = [line.split(" of ")[0].split(".")[1] for line in confirm.plan.touches]
            await pilot.press("y")
            await wait_for(pilot, lambda: _cell(chunks, "public.llm_logs", "chunks") == str(len(before) - len(listed)))
            assert _said(app, "chunk drop --table public.llm_logs --older-than 8 days: done")

            # Nothing left to drop: said at once ("nothing to drop"), nothing asked.
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, AskScreen))
            await pilot.press(*"8 days", "enter")  # the app's own words for an age
            await wait_for(pilot, lambda: bool(_said(app, "--older-than 8 days: nothing to drop")))
            assert isinstance(app.screen, DashboardScreen)
            assert "no chunk of public.llm_logs ends before" in _said(app, "nothing to drop")[0]

            # Community-only: not offered. `z` does nothing, the palette does not list it, `?` says why.
            await _on_row(pilot, chunks, "public.llm_logs")
            await pilot.press("z", "u")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen) and not _said(app, "refused")
            names = [str(hit.text) async for hit in ConsoleCommands(app.screen).discover()]
            assert "Drop chunks of public.llm_logs older than…" in names and "Drop chunks…" in names
            assert not any(n.startswith(("Compress", "Decompress", "Set or remove", "Refresh a")) for n in names)
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            assert isinstance(app.screen, HelpScreen)
            withheld = {keys: (action, why) for keys, action, why in app.screen.withheld}
            assert withheld["z"] == ("Compress chunks", "the apache edition refuses it: TimescaleDB Community only")
            assert {"u", "e", "a"} <= set(withheld)
            assert app.screen.query_one("#help-withheld").display  # drawn below the keys in force
            in_force = {description for _keys, description in app.screen.keys}
            assert "Drop chunks…" in in_force and not in_force & {"Compress…", "Decompress…", "Policy…"}
            await pilot.press("escape")
            assert not _said(app, "Traceback") and not _said(app, "Error:")
            return listed

    listed = asyncio.run(scenario())
    with psycopg.connect(dsn) as conn:
        after = [r[0] for r in conn.execute(CHUNKS)]
        assert conn.execute(COMPRESSED).fetchone() == (0,)
    assert sorted(set(before) - set(after)) == sorted(listed) and len(listed) >= 1 and after
    outcomes = [(e["action"].split()[1], e["outcome"].split(":")[0])
                for e in map(json.loads, audit.path().read_text().splitlines())]
    assert outcomes == [("drop", "intent"), ("drop", "done"), ("drop", "nothing to drop")]


@pytest.mark.native
def test_read_only_dashboard_hides_the_row_actions(cli: Cli, native_migrated_db: TestDb, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tui-state"))

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_migrated_db.dsn, "test")), refresh_s=60, read_only=True)
        async with app.run_test(size=(160, 48)) as pilot:
            chunks = _pane(app, "chunks")
            await wait_for(pilot, lambda: chunks.table.row_count >= 3, 60)
            assert await _on_row(pilot, chunks, "public.llm_logs") == set()
            assert {"r", "w"} <= set(app.screen.active_bindings)
            await pilot.press("z", "x", "u")
            await pilot.pause(0.3)
            assert isinstance(app.screen, DashboardScreen)
            names = [str(hit.text) async for hit in ConsoleCommands(app.screen).discover()]
            assert "Refresh now" in names
            assert not any(n.startswith(("Compress", "Decompress", "Drop", "Set or remove", "Refresh public"))
                           for n in names)

    asyncio.run(scenario())
    assert not audit.path().exists(), "nothing was attempted"
