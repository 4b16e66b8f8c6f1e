"""One write gate (console/infra/write_gate.py) for every write, through the `obsconsole` CLI and the console on
the real native engine: read-only mode refuses every writing command and its dry run; a monitoring role gets the
same privilege refusal from a dry run as from the run (has_*_privilege, asked before anything is written); a
console opened read-only binds no key that writes."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from textual.widgets import DataTable

from console.infra.dsn import ResolvedDsn
from console.infra.resources import MIGRATIONS_DIR
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.screens.confirm import ConfirmScreen
from console.tui.widgets.wrapped_log import WrappedLog
from tests.conftest import CliResult, TestDb
from tests.test_production import as_role, create_role, drop_role, one_line
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]
PROBE = "CREATE TABLE IF NOT EXISTS gate_probe (id int);\n"

# Every command that writes, with its dry run where it has one.
WRITES = [
    ["migrate"],
    ["migrate", "--dry-run"],
    ["seed", "--days", "1", "--no-aftercare"],
    ["bench", "--spans", "1000", "--yes"],
    ["bench", "--chunks", "100"],
    ["keys", "create", "--email", "ops@example.com", "--name", "ci"],
    ["keys", "revoke", "obs_00000000", "--yes"],
    ["prices", "sync", "--provider", "openai"],
    ["prices", "sync", "--provider", "openai", "--dry-run"],
    ["job", "pause", "1", "--yes"],
    ["chunk", "drop", "--table", "llm_logs", "--older-than", "1d", "--yes"],
    ["chunk", "drop", "--table", "llm_logs", "--older-than", "1d", "--dry-run"],
]


def _folder(tmp_path: Path) -> Path:
    """001-003, 006 and 007 (what the Apache edition runs, prices included), and a pending 008."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("00[12367]_*.sql")):
        shutil.copy(path, folder / path.name)
    return folder


def _state(dsn: str) -> tuple[object, ...]:
    """What any of the writes would change."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM _sqlx_migrations), to_regclass('gate_probe') IS NOT NULL,"
            " (SELECT count(*) FROM users), (SELECT count(*) FROM api_keys), (SELECT count(*) FROM model_pricing),"
            " (SELECT count(*) FROM llm_traces), (SELECT count(*) FROM timescaledb_information.chunks),"
            " (SELECT count(*) FROM pg_database)").fetchone()
    assert row is not None
    return tuple(row)


def _one_line(result: CliResult, *phrases: str) -> str:
    """A refusal: one `obsconsole:` line, exit 2, nothing done."""
    return one_line(result, 2, *phrases)


@pytest.mark.native
def test_read_only_mode_refuses_every_write_and_its_dry_run(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    dsn = native_db.dsn
    folder = _folder(tmp_path)
    assert cli("migrate", "--dsn", dsn, "--dir", str(folder)).code == 0
    (folder / "008_gate_probe.sql").write_text(PROBE)
    before = _state(dsn)
    for flag, env in ((["--read-only"], {}), ([], {"OBSCONSOLE_READ_ONLY": "1"})):
        for command in WRITES:
            args = [*command, "--dsn", dsn] + (["--dir", str(folder)] if command[0] == "migrate" else [])
            result = cli(*flag, *args, extra_env=env)
            _one_line(result, "refused", "read-only mode (--read-only or OBSCONSOLE_READ_ONLY=1)")
            assert _state(dsn) == before, command
    # Not read-only: the same commands write (so the refusals above were the gate's, not something else).
    assert cli("migrate", "--dsn", dsn, "--dir", str(folder)).code == 0
    assert cli("keys", "create", "--email", "ops@example.com", "--name", "ci", "--dsn", dsn).code == 0
    after = _state(dsn)
    assert after[0] == before[0] + 1 and after[1] is True and after[3] == 1  # type: ignore[operator]


@pytest.mark.native
def test_a_monitoring_role_gets_the_same_refusal_from_the_dry_run_as_from_the_run(
    cli: Cli, native_db: TestDb, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    create_role(native_db.dsn, "gatemon", "IN ROLE pg_monitor")
    monitor = as_role(native_db.dsn, "gatemon")
    try:
        # A fresh database: migrate and its dry run both lack CREATE on the schema (the dry run used to rehearse
        # every pending migration on the scratch engine and pass).
        lines = [_one_line(cli("migrate", "--dsn", monitor, "--dir", str(folder), *dry), "nothing was applied")
                 for dry in ((), ("--dry-run",))]
        for line, name in zip(lines, ("migrate", "migrate --dry-run"), strict=True):
            assert line == (f"obsconsole: {name} refused, nothing was applied: role 'gatemon' lacks the CREATE "
                            "privilege on schema public: grant it (GRANT CREATE ON SCHEMA public TO gatemon) or run "
                            "as a role that has it")
        assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder)).code == 0
        (folder / "008_gate_probe.sql").write_text(PROBE)
        # pg_monitor alone may not read the ledger: named by the gate before anything reads it (was a traceback).
        for dry in ((), ("--dry-run",)):
            _one_line(cli("migrate", "--dsn", monitor, "--dir", str(folder), *dry), "lacks the SELECT privilege on "
                      "table _sqlx_migrations: grant it (GRANT SELECT ON TABLE _sqlx_migrations TO gatemon)")
        assert cli("seed", "--days", "3", "--rate", "5", "--no-aftercare", "--dsn", native_db.dsn).code == 0
        with psycopg.connect(native_db.dsn, autocommit=True) as admin:  # a monitoring role that reads it all
            admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO gatemon")
        before = _state(native_db.dsn)
        # An operator action only the table's owner may run: its dry run is refused as the run is.
        drop = ["chunk", "drop", "--table", "llm_logs", "--older-than", "2h", "--dsn", monitor]
        owner = psycopg.conninfo.conninfo_to_dict(native_db.dsn)["user"]
        for how in ("--dry-run", "--yes"):
            _one_line(cli(*drop, how), "chunk drop --table llm_logs --older-than 2 hours refused, nothing was "
                      f"changed: role 'gatemon' does not own public.llm_logs (its owner is '{owner}') and this "
                      f"needs its owner: run as '{owner}' or a member of it (GRANT {owner} TO gatemon)")

        for command, lacks in (
            (["migrate", "--dir", str(folder)], "lacks the INSERT and UPDATE privilege on table _sqlx_migrations, "
                                                "and the CREATE privilege on schema public"),
            (["prices", "sync", "--provider", "openai"], "lacks the INSERT privilege on table model_pricing"),
        ):
            refused = _one_line(cli(*command, "--dsn", monitor), lacks)
            refused_dry = _one_line(cli(*command, "--dry-run", "--dsn", monitor), lacks)
            name = " ".join(command[:2]) if command[0] == "prices" else "migrate"
            assert refused_dry == refused.replace(f"{name} refused", f"{name} --dry-run refused"), refused_dry
        _one_line(cli("seed", "--days", "1", "--no-aftercare", "--dsn", monitor),
                  "seed refused", "lacks the INSERT privilege on table llm_traces")
        _one_line(cli("keys", "create", "--email", "ops@example.com", "--name", "ci", "--dsn", monitor),
                  "keys create refused", "lacks the INSERT and UPDATE privilege on table users",
                  "GRANT INSERT, UPDATE ON TABLE users TO gatemon; GRANT INSERT ON TABLE api_keys TO gatemon")
        _one_line(cli("keys", "revoke", "obs_00000000", "--yes", "--dsn", monitor),
                  "keys revoke refused", "lacks the UPDATE privilege on table api_keys")
        assert _state(native_db.dsn) == before
        # A superuser's backend: pg_monitor may see it but not signal it; the dry run says so as the run does.
        with psycopg.connect(native_db.dsn, autocommit=True) as bystander:
            pid = bystander.info.backend_pid
            for how in ("--dry-run", "--yes"):
                _one_line(cli("backend", "cancel", str(pid), how, "--dsn", monitor),
                          f"backend cancel {pid}", "refused, nothing was signalled", "may not signal",
                          "GRANT pg_signal_backend TO gatemon")
            assert bystander.execute("SELECT 1").fetchone() == (1,)  # not cancelled, not terminated
        # Granted what the gate named, the dry run and the run pass alike.
        with psycopg.connect(native_db.dsn, autocommit=True) as admin:
            admin.execute("GRANT INSERT ON model_pricing TO gatemon")
        priced_dry = cli("prices", "sync", "--provider", "openai", "--dry-run", "--dsn", monitor)
        assert priced_dry.code == 0, priced_dry.output
        synced = cli("prices", "sync", "--provider", "openai", "--dsn", monitor)
        assert synced.code == 0, synced.output
    finally:
        drop_role(native_db.dsn, "gatemon")


@pytest.mark.native
def test_a_read_only_console_binds_no_key_that_writes_on_the_migrations_screen(
    native_db: TestDb, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)  # what the Apache edition runs: apply is offered unless read-only

    async def scenario(read_only: bool) -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_db.dsn, "test")), migrations_dir=folder, start_mode="migrations",
                            read_only=read_only)
        async with app.run_test(size=(120, 40)) as pilot:
            table = app.screen.query_one("#migrations-table", DataTable)
            await wait_for(pilot, lambda: table.row_count == 5)
            keys = set(app.screen.active_bindings)
            assert "p" in keys and ("a" in keys) is not read_only
            await pilot.press("a")
            if not read_only:
                await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
                await pilot.press("n")
                return
            await pilot.press("p")  # the dry run asks the same gate
            log = app.screen.query_one("#migrations-log", WrappedLog)
            await wait_for(pilot, lambda: any(line.startswith("refused:") for line in log.lines))
            assert not isinstance(app.screen, ConfirmScreen)
            assert "refused: migrate --dry-run refused: read-only mode" in "\n".join(log.lines)

    asyncio.run(scenario(read_only=True))
    asyncio.run(scenario(read_only=False))
    with psycopg.connect(native_db.dsn, autocommit=True) as conn:
        assert conn.execute("SELECT to_regclass('_sqlx_migrations')").fetchone() == (None,), "nothing applied"
