"""Issue 24, point 4: every result says when it was taken. Verify (CLI and screen) and the Jobs screen say "ran at
HH:MM:SS UTC"; the screens run again when re-entered after their refresh interval; findings are listed FAIL, WARN,
SKIP; a check that passes on part of what it expected says what it skipped in its status, at 80 columns too."""

from __future__ import annotations

import asyncio
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from textual.widgets import DataTable, Static

from console.infra import clock
from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.screens.check_detail import CheckDetailScreen
from console.tui.screens.jobs import JobsScreen
from console.tui.screens.verify import VerifyScreen
from tests.conftest import CliResult, TestDb
from tests.tui_helpers import screen_lines, wait_for

Cli = Callable[..., CliResult]
RAN_AT = re.compile(r"ran at (\d\d:\d\d:\d\d) UTC")
FINDING = re.compile(r"^([SH]\d\d) (FAIL|WARN|COULD NOT CHECK|SKIP) ", re.M)
ORDER = ("FAIL", "WARN", "COULD NOT CHECK", "SKIP")


def _apache_with_a_failure(cli: Cli, dsn: str) -> None:
    """Migrations 1-3 on the Apache edition (S02 finds 3 of its 7 tables: 4 belong to Community migrations), and
    one index dropped (S05 and S14 FAIL)."""
    assert cli("migrate", "--dsn", dsn, "--to", "3").code == 0
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP INDEX idx_logs_provider")


def _ordered(statuses: list[str]) -> bool:
    return [ORDER.index(s) for s in statuses] == sorted(ORDER.index(s) for s in statuses)


@pytest.mark.native
def test_cli_verify_dates_orders_and_says_what_a_pass_skipped_at_80_columns(cli: Cli, native_db: TestDb,
                                                                          tmp_path: Path) -> None:
    _apache_with_a_failure(cli, native_db.dsn)
    table = cli("verify", "--dsn", native_db.dsn, extra_env={"COLUMNS": "80"})
    assert table.code == 1, table.output
    lines = table.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), table.stdout
    assert RAN_AT.search(lines[0]), lines[0]
    header = next(line for line in lines if line.startswith("#"))
    assert "found" not in header  # at 80 columns the `found` column gives way ...
    s02 = next(line for line in lines if line.startswith("S02 "))
    assert "PASS (4 of 7 skipped: Apache)" in s02, s02  # ... and the status still says what was not checked
    findings = FINDING.findall(table.stdout)
    statuses = [status for _cid, status in findings]
    assert {"FAIL", "SKIP"} <= set(statuses) and _ordered(statuses), findings
    assert [cid for cid, status in findings if status == "FAIL"] == ["S05", "S14"]

    junit = tmp_path / "verify.xml"
    as_json = json.loads(cli("verify", "--dsn", native_db.dsn, "--json", "--junit", str(junit)).stdout)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", as_json["summary"]["ran_at"])
    s02_json = next(c for c in as_json["checks"] if c["id"] == "S02")
    assert s02_json["status"] == "PASS" and s02_json["skipped"] == "4 of 7 skipped: Apache"
    case = next(c for c in ET.parse(junit).getroot().iter("testcase") if str(c.get("name")).startswith("S02 "))
    assert case.find("failure") is None and case.find("skipped") is None  # a pass ...
    assert str(case.findtext("system-out")).startswith("PASS (4 of 7 skipped: Apache): ")  # ... saying so


@pytest.mark.native
def test_verify_screen_dates_orders_and_reruns_when_reentered(cli: Cli, native_db: TestDb) -> None:
    _apache_with_a_failure(cli, native_db.dsn)

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_db.dsn, "test")), start_mode="verify", refresh_s=1)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, VerifyScreen)
            await wait_for(pilot, lambda: screen.report is not None)
            first = screen.report
            assert first is not None and first.ran_at is not None
            summary = str(screen.query_one("#verify-summary", Static).render())
            assert f"ran at {first.ran_at:%H:%M:%S} UTC" in summary, summary
            table = screen.query_one("#verify-table", DataTable)
            statuses = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1]) for i in range(table.row_count)}
            assert statuses["S02"] == "PASS (4 of 7 skipped: Apache)", statuses
            # The findings in their order (FAIL, WARN, SKIP); the cursor starts on the worst, Enter reads it.
            shown = [c.status.value for c in first.findings]
            assert {"FAIL", "SKIP"} <= set(shown) and _ordered(shown), shown
            assert str(table.get_row_at(table.cursor_row)[0]) == first.findings[0].id
            assert str(table.get_row_at(table.cursor_row)[1]) == "FAIL"
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, CheckDetailScreen))
            await pilot.pause()
            detail = " ".join(screen_lines(app))
            assert f" {first.findings[0].id} FAIL {first.findings[0].name} " in detail, detail
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen)

            # Re-entered after its refresh interval (1 s here): it runs again, and says when.
            await pilot.press("d")
            await wait_for(pilot, lambda: not isinstance(app.screen, VerifyScreen))
            ran = screen.ran
            assert ran is not None
            await wait_for(pilot, lambda: clock.counter() - ran >= 1.0)  # the refresh interval has passed
            await pilot.press("v")
            await wait_for(pilot, lambda: screen.report is not first and screen.report is not None, timeout=60)
            second = screen.report
            assert second is not None and second.ran_at is not None and second.ran_at > first.ran_at
            summary = str(screen.query_one("#verify-summary", Static).render())
            assert f"ran at {second.ran_at:%H:%M:%S} UTC" in summary, summary

    asyncio.run(scenario())


@pytest.mark.native
def test_jobs_screen_says_when_it_ran_and_reads_again_when_reentered(cli: Cli, native_migrated_db: TestDb) -> None:

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_migrated_db.dsn, "test")), start_mode="jobs", refresh_s=1)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, JobsScreen)
            await wait_for(pilot, lambda: screen.loaded is not None)
            first = screen.loaded
            assert first is not None
            summary = str(screen.query_one("#jobs-summary", Static).render())
            assert f"ran at {first[0]:%H:%M:%S} UTC" in summary, summary
            await pilot.press("d")
            await wait_for(pilot, lambda: not isinstance(app.screen, JobsScreen))
            await wait_for(pilot, lambda: clock.counter() - first[1] >= 1.0)  # the refresh interval has passed
            await pilot.press("j")
            await wait_for(pilot, lambda: screen.loaded is not first)
            second = screen.loaded
            assert second is not None and second[1] > first[1]
            summary = str(screen.query_one("#jobs-summary", Static).render())
            assert f"ran at {second[0]:%H:%M:%S} UTC" in summary, summary

    asyncio.run(scenario())
