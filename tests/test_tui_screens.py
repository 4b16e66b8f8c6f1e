"""Pilot tests of the Migrations and Verify screens against the real engines."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from console.infra.dsn import ResolvedDsn
from console.infra.resources import MIGRATIONS_DIR
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.palette import ConsoleCommands
from console.tui.screens.check_detail import CheckDetailScreen
from console.tui.screens.confirm import ConfirmScreen
from console.tui.screens.help import HelpScreen
from console.tui.screens.verify import VerifyScreen
from console.tui.widgets.wrapped_log import WrappedLog
from tests.conftest import CliResult, TestDb
from tests.test_drift import write_folder
from tests.test_lint import BAD_007
from tests.tui_helpers import screen_lines, wait_for, words_whole

Cli = Callable[..., CliResult]


def _cells(table: DataTable[object], column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def test_verify_screen_lists_14_pass_on_tsl(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # exports go to the default ~/.local/state/obsconsole/exports
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_migrated_db.dsn, "test")), start_mode="verify")
        async with app.run_test(size=(160, 48)) as pilot:
            table = app.screen.query_one("#verify-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 14)
            statuses = dict(zip(_cells(table, 0), _cells(table, 1), strict=True))
            assert [statuses[f"S{n:02d}"] for n in range(1, 15)] == ["PASS"] * 14
            screen = app.screen
            assert isinstance(screen, VerifyScreen) and screen.report is not None
            checks = screen.report.checks
            assert len(checks) == 19
            not_passing = [c for c in checks if c.status.value != "PASS"]
            assert {c.id for c in not_passing} >= {"H01", "H02"}  # on tsl H01 and H02 WARN
            for size in [(80, 24), (120, 36), (160, 48)]:
                await pilot.resize_terminal(*size)
                await wait_for(pilot, lambda: "19 of 19 checks" in str(screen.query_one("#verify-summary").render()))
                await pilot.pause()
                # Issue 23: every check's status on the first screen, whole, one line each.
                lines = screen_lines(app)
                for check in checks:
                    row = next((line for line in lines if line.startswith(f" {check.id} ")), None)
                    assert row is not None, (size, check.id, lines)
                    assert f" {check.status_text} " in row and check.name in row, (size, row)
                    # `found` is there whole, or the row says where to read it; never a cut word.
                    found = " ".join(check.found.split())
                    assert found in " ".join(row.split()) or "⏎: read it" in row, (size, row)
                summary = " ".join(line.strip() for line in lines[2:4])
                assert "PASS: 17 PASS, 2 WARN" in summary and "19 of 19 checks" in summary, (size, summary)
            # The cursor starts on the worst check; Enter shows it in full (found, expected, remedy), wrapped.
            worst = screen.report.findings[0]
            assert _cells(table, 0)[table.cursor_row] == worst.id
            for check in not_passing:
                table.move_cursor(row=_cells(table, 0).index(check.id))
                await pilot.press("enter")
                await wait_for(pilot, lambda: isinstance(app.screen, CheckDetailScreen))
                await pilot.pause()
                lines = screen_lines(app)
                for text in (check.found, check.expected, check.remedy):
                    assert words_whole(text, lines), (check.id, text, lines)
                detail = " ".join(" ".join(lines).split())
                assert f"{check.id} WARN {check.name}" in detail and "remedy" in detail, detail
                await pilot.press("escape")
                await wait_for(pilot, lambda: app.screen is screen)
            # Exported at 80x24: the path, whole, shares the summary's line, so every check stays in view.
            await pilot.resize_terminal(80, 24)
            await wait_for(pilot, lambda: "19 of 19 checks" in str(screen.query_one("#verify-summary").render()))
            await pilot.press("e")
            exports = tmp_path / ".local" / "state" / "obsconsole" / "exports"
            await wait_for(pilot, lambda: any(exports.glob("verify-*Z.json")))
            written = f"~/{next(exports.glob('verify-*Z.json')).relative_to(tmp_path)}"
            await wait_for(pilot, lambda: written in str(screen.query_one("#verify-summary").render()))
            await pilot.pause()
            lines = screen_lines(app)
            assert any(line.strip() == f"PASS · saved {written}" for line in lines), lines
            for check in checks:
                assert any(line.startswith(f" {check.id} ") for line in lines), (check.id, lines)
            await pilot.press("q")

    asyncio.run(scenario())


def test_migrations_screen_applies_after_confirmation_on_tsl(tsl_db: TestDb) -> None:
    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_db.dsn, "test")), start_mode="migrations")
        async with app.run_test(size=(120, 40)) as pilot:
            table = app.screen.query_one("#migrations-table", DataTable)
            await wait_for(pilot, lambda: table.row_count == 7)
            assert set(_cells(table, 2)) == {"pending"}
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("n")  # the default answer: nothing happens
            log = app.screen.query_one("#migrations-log", WrappedLog)
            await wait_for(pilot, lambda: "apply cancelled" in "\n".join(log.lines))
            assert set(_cells(table, 2)) == {"pending"}
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_for(pilot, lambda: set(_cells(table, 2)) == {"applied"}, timeout=60)
            assert any("applied 7 migration(s)" in line for line in log.lines)
            assert set(_cells(table, 3)) == {"ok"}  # the checksum column (as `obsconsole status` orders them)
            await pilot.press("a")  # nothing pending: said at once, nothing asked
            await wait_for(pilot, lambda: any("nothing to apply" in line for line in log.lines))
            assert not isinstance(app.screen, ConfirmScreen)

    asyncio.run(scenario())


async def _refused_apply(app: ObsConsoleApp, pilot: Pilot[None], rows: int) -> tuple[DataTable[Any], str]:
    """On the Migrations screen: wait for `rows` migrations, press `a`, answer yes; the table and the log's
    'refused:' line."""
    table = app.screen.query_one("#migrations-table", DataTable)
    await wait_for(pilot, lambda: table.row_count == rows)
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("y")
    log = app.screen.query_one("#migrations-log", WrappedLog)
    await wait_for(pilot, lambda: any(line.startswith("refused:") for line in log.lines))
    return table, next(line for line in log.lines if line.startswith("refused:"))


def test_migrations_screen_refuses_what_migrate_lint_refuses(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path) -> None:
    bad = write_folder(tmp_path / "bad", {"008_hand_written.sql": BAD_007}, upto=7)

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_migrated_db.dsn, "test")), start_mode="migrations",
                            migrations_dir=bad)
        async with app.run_test(size=(120, 40)) as pilot:
            table, refusal = await _refused_apply(app, pilot, rows=8)
            assert refusal.startswith("refused: lint L001 at 008_hand_written.sql:2: "), refusal
            assert "`obsconsole migrate --force` applies anyway); nothing was applied" in refusal
            assert _cells(table, 2).count("pending") == 1

    asyncio.run(scenario())
    with psycopg.connect(tsl_migrated_db.dsn, prepare_threshold=None) as conn:
        assert conn.execute("SELECT max(version) FROM _sqlx_migrations").fetchone() == (7,)


def test_migrations_screen_does_not_offer_what_apache_refuses(native_db: TestDb) -> None:
    # Issue 24: `a` would only be refused on Apache (004 needs Community): not offered (footer, palette), the
    # reason on the screen and in `?`; the dry-run plan still shows the refusal.
    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_db.dsn, "test")), start_mode="migrations")
        async with app.run_test(size=(120, 40)) as pilot:
            table = app.screen.query_one("#migrations-table", DataTable)
            await wait_for(pilot, lambda: table.row_count == 7)
            summary = str(app.screen.query_one("#migrations-summary").render())
            assert "apply not offered: 004_continuous_aggregates.sql needs TimescaleDB Community" in summary
            assert "this server runs the apache edition" in summary, summary
            assert "a" not in app.screen.active_bindings and "p" in app.screen.active_bindings
            await pilot.press("a")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen)
            names = [str(hit.text) async for hit in ConsoleCommands(app.screen).discover()]
            assert "Dry-run plan of the pending migrations" in names and "Apply pending migrations" not in names
            await pilot.press("p")
            log = app.screen.query_one("#migrations-log", WrappedLog)
            await wait_for(pilot, lambda: any(line.startswith("refused:") for line in log.lines))
            refusal = next(line for line in log.lines if line.startswith("refused:"))
            assert "004_continuous_aggregates.sql" in refusal and "apache edition" in refusal
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            assert isinstance(app.screen, HelpScreen)
            [(keys, action, why)] = app.screen.withheld
            assert (keys, action) == ("a", "Apply pending") and "apache edition" in why
            assert set(_cells(table, 2)) == {"pending"}

    asyncio.run(scenario())


def test_help_overlay_lists_the_keys_and_verify_exports_json(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    exports = tmp_path / "state" / "obsconsole" / "exports"

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_migrated_db.dsn, "test")), start_mode="verify")
        async with app.run_test(size=(120, 40)) as pilot:
            table = app.screen.query_one("#verify-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 14)
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            actions = {description for _keys, description in help_screen.keys}
            assert {"Re-run", "Export JSON", "Quit", "Help", "Dashboard", "Jobs"} <= actions
            # The app's own keys come first, the table's generic cursor keys after them.
            first = [description for _keys, description in help_screen.keys][:8]
            assert {"Re-run", "Export JSON", "Quit", "Help"} <= set(first), first
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
            await pilot.press("e")
            await wait_for(pilot, lambda: any(exports.glob("verify-*Z.json")))
            written = next(exports.glob("verify-*Z.json"))
            assert any(str(written) in str(n.message) for n in app._notifications)  # it says where
            # ...and the screen keeps saying it, whole, on a line of its own under the summary.
            summary = app.screen.query_one("#verify-summary", Static)
            await wait_for(pilot, lambda: f"\nexported to {written}" in str(summary.render()))
            await pilot.pause()
            shown = "".join(line.strip() for line in screen_lines(app))  # a path wider than the screen folds
            assert f"exported to{written}" in shown or f"exported to {written}" in shown, screen_lines(app)

    asyncio.run(scenario())
    assert not any(tmp_path.glob("*.json"))  # nothing dropped into the current directory
    exported = json.loads(next(exports.glob("verify-*Z.json")).read_text())
    assert sum(1 for c in exported["checks"] if c["kind"] == "schema" and c["status"] == "PASS") == 14


def test_migrations_applied_after_verify_get_the_migration_timeouts(native_db: TestDb, tmp_path: Path) -> None:
    """Verify runs its checks under a 2 s timeout on the shared session; it must give the session back as it
    was, and applying migrations from the screen must get migrate's own long statement timeout."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("00[123]_*.sql")):
        shutil.copy(path, folder / path.name)
    shutil.copy(MIGRATIONS_DIR / "expected.toml", folder / "expected.toml")
    (folder / "004_slow_backfill.sql").write_text("SELECT pg_sleep(3);\nCREATE TABLE backfilled (id int);\n")

    async def scenario() -> None:
        session = Session(ResolvedDsn(native_db.dsn, "test"))
        app = ObsConsoleApp(session, start_mode="verify", migrations_dir=folder)
        async with app.run_test(size=(120, 40)) as pilot:
            table = app.screen.query_one("#verify-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 14)
            timeout = session.call(lambda conn, _info: conn.execute("SHOW statement_timeout").fetchone())
            assert timeout == ("10s",)
            await pilot.press("m")
            migrations = app.screen.query_one("#migrations-table", DataTable)
            await wait_for(pilot, lambda: migrations.row_count == 4)
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_for(pilot, lambda: set(_cells(migrations, 2)) == {"applied"}, timeout=60)

    asyncio.run(scenario())
