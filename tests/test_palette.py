"""Ctrl+P offers the console's own commands through its Provider: go to a screen, refresh, pause, the cost window,
re-run verify, export, the dry-run plan; each runs when chosen (read-only safe: no write among them)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.migrations import MigrationsScreen
from console.tui.widgets.wrapped_log import WrappedLog
from tests.conftest import CliResult, TestDb
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]


@pytest.mark.tsl
def test_palette_finds_and_runs_the_app_commands(cli: Cli, tsl_migrated_db: TestDb) -> None:

    async def choose(app: ObsConsoleApp, pilot: Pilot[None], typed: str, expected: str) -> None:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*typed)
        results = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: results.option_count > 0
                       and expected in str(results.get_option_at_index(0).prompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_migrated_db.dsn, "test")), refresh_s=60, read_only=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                           and app.screen.last_snapshot is not None, timeout=60)
            dashboard = app.screen
            assert isinstance(dashboard, DashboardScreen)
            await choose(app, pilot, "window", "Cost window: next (7d)")
            assert dashboard.window == "7d"
            await choose(app, pilot, "pause", "Pause refresh")
            assert dashboard.paused
            await choose(app, pilot, "refresh now", "Refresh now")
            await choose(app, pilot, "mig", "Go to Migrations")
            await wait_for(pilot, lambda: isinstance(app.screen, MigrationsScreen))
            await choose(app, pilot, "dry-run", "Dry-run plan")
            log = app.screen.query_one("#migrations-log", WrappedLog)
            # A read-only console: the dry run passes the same write gate as `migrate`, and read-only mode refuses it.
            await wait_for(pilot, lambda: "refused: migrate --dry-run refused: read-only mode" in "\n".join(log.lines))

    asyncio.run(scenario())
