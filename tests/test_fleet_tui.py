"""The fleet screen (issue 26), driven headless against the native engine: rows worst first, `/` filters by name
or tag, Enter opens that database's dashboard (the existing screen, on a Session of its own) and Escape comes back
with the fleet's connection to it re-opened."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import psycopg
from textual.widgets import DataTable

from console.engines.process import free_port
from console.fleet.probe import FleetMonitor
from console.fleet.targets import Target
from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.fleet import FleetScreen
from tests.conftest import CliResult, TestDb
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]


def _backends(dsn: str, database: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as admin:
        row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = "
                            "'obsconsole'", (database,)).fetchone()
    assert row is not None
    return int(row[0])


def test_fleet_screen_filter_open_and_back(cli: Cli, native_migrated_db: TestDb) -> None:
    name = str(psycopg.conninfo.conninfo_to_dict(native_migrated_db.dsn)["dbname"])
    targets = [Target("eu-prod", ResolvedDsn(native_migrated_db.dsn, "test"), ("prod", "eu")),
               Target("us-dead", ResolvedDsn(f"postgresql://u@127.0.0.1:{free_port()}/x", "test"), ("prod", "us"))]
    monitor = FleetMonitor(targets, problems=["service file /x: unknown service 'nosuch'"], timeout_s=5)

    async def run() -> None:
        app = ObsConsoleApp(Session(targets[0].dsn), refresh_s=60, start_mode="fleet", fleet=monitor)
        async with app.run_test(size=(160, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, FleetScreen)
            table = screen.query_one("#fleet-table", DataTable)
            await wait_for(pilot, lambda: table.row_count == 2, timeout=30)
            assert [str(table.get_row_at(i)[0]) for i in range(2)] == ["us-dead", "eu-prod"]  # worst first
            assert "DOWN since" in str(table.get_row_at(0)[1]) and str(table.get_row_at(1)[1]) == "up"
            assert "unknown service 'nosuch'" in str(screen.query_one("#fleet-problems").render())
            await pilot.press("slash")
            await wait_for(pilot, lambda: screen.query_one("#fleet-filter").has_focus)
            await pilot.press("e", "u")  # by tag or name
            await wait_for(pilot, lambda: table.row_count == 1)
            assert str(table.get_row_at(0)[0]) == "eu-prod"
            await pilot.press("enter")  # keep the filter, back to the table
            await wait_for(pilot, lambda: table.has_focus)
            assert _backends(native_migrated_db.dsn, name) == 1  # the fleet's one kept connection
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen), timeout=30)
            dashboard = app.screen
            assert isinstance(dashboard, DashboardScreen)
            await wait_for(pilot, lambda: dashboard.last_snapshot is not None, timeout=60)
            assert app.context.session.target.dsn == native_migrated_db.dsn
            assert _backends(native_migrated_db.dsn, name) == 1  # the dashboard's: the fleet handed its own over
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, timeout=30)
            await pilot.press("r")
            await wait_for(pilot, lambda: _backends(native_migrated_db.dsn, name) == 1 and table.row_count == 1
                           and screen.report is not None and screen.report.databases[-1].reachable, timeout=30)
            await pilot.press("slash", "escape")  # Escape in the filter clears it: everyone again
            await wait_for(pilot, lambda: table.row_count == 2)

    try:
        asyncio.run(run())
    finally:
        monitor.close()
    assert _backends(native_migrated_db.dsn, name) == 0
