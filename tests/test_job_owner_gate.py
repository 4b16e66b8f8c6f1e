"""Issue 21, the write gate's last two needs: a job action asks the gate whether the role may alter the job
(TimescaleDB lets only its owner, a member of the owning role or a superuser alter or run it), and a Community
action asks it for the edition; a refusal gives every reason that applies in one line, not just the first.

On native (Apache edition) with a low-privilege role the refusal names the edition AND the job's owner (and the
read-only default when there is one); on tsl (Community), where the engine keeps one server session for every
client connection, a `SET SESSION AUTHORIZATION` made before obsconsole connects is how a non-owner is played."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from textual.widgets import DataTable

from console.actions import audit
from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.screens.action_confirm import ActionConfirmScreen
from console.tui.screens.jobs import JobsScreen
from tests.conftest import CliResult, TestDb
from tests.test_production import as_role
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]
JOBS = "SELECT job_id, owner::text, scheduled, schedule_interval FROM timescaledb_information.jobs ORDER BY 1"
PASSWORD = "Job-Owner-Gate-Pw-77"


def _rows(dsn: str, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def _one_line(result: CliResult, code: int) -> str:
    said = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.code == code and len(said) == 1 and said[0].startswith("obsconsole: "), result.output
    assert "Traceback" not in result.output and PASSWORD not in result.output
    return said[0]


@contextlib.contextmanager
def _low_role(dsn: str) -> Iterator[tuple[str, str]]:
    """(name, DSN) of a login role with no grant at all on `dsn`'s database; dropped afterwards."""
    role = f"jobless{abs(hash(dsn)) % 100000}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
    yield role, as_role(dsn, role, PASSWORD)
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"DROP OWNED BY {role}")
        admin.execute(f"DROP ROLE {role}")


@pytest.fixture
def low_role(native_db: TestDb) -> Iterator[tuple[str, str]]:
    with _low_role(native_db.dsn) as found:
        yield found


@pytest.mark.native
def test_apache_refusal_names_the_edition_and_the_jobs_owner(cli: Cli, native_db: TestDb,
                                                             low_role: tuple[str, str]) -> None:
    role, dsn = low_role
    before = _rows(native_db.dsn, JOBS)
    owned = {job_id: owner for job_id, owner, _s, _i in before}
    assert owned.get(1) == "postgres", before  # the Apache edition's telemetry job is there, owned by postgres

    for args in (("job", "pause", "1", "--yes"), ("job", "run", "1", "--dry-run"),
                 ("job", "schedule", "1", "1h", "--yes")):
        line = _one_line(cli(*args, "--dsn", dsn), 2)
        assert "refused, nothing was changed: it needs TimescaleDB Community" in line, line
        assert "this server runs the apache edition; " in line, line
        assert (f"role '{role}' may not alter job 1: only its owner 'postgres', a member of that role or a superuser "
                f"may (TimescaleDB); run as 'postgres' or GRANT postgres TO {role}") in line, line

    # The superuser may alter any job: the edition alone is refused.
    line = _one_line(cli("job", "pause", "1", "--yes", "--dsn", native_db.dsn), 2)
    assert "apache edition" in line and "may not alter" not in line, line

    # Three reasons at once: the read-only default, the edition and the job's owner, in the gate's order.
    with psycopg.connect(native_db.dsn, autocommit=True) as admin:
        admin.execute(f"ALTER ROLE {role} SET default_transaction_read_only = on")
    line = _one_line(cli("job", "resume", "1", "--yes", "--dsn", dsn), 2)
    read_only = line.index("transactions are read-only by default here")
    assert read_only < line.index("it needs TimescaleDB Community") < line.index(f"role '{role}' may not alter job 1")
    # A job that does not exist: the gate's reasons, not the plan's "no job".
    line = _one_line(cli("job", "pause", "999", "--yes", "--dsn", dsn), 2)
    assert "read-only by default" in line and "apache edition" in line and "no job 999" not in line, line

    assert _rows(native_db.dsn, JOBS) == before
    entries = audit_entries(cli)
    refused = [e for e in entries if e["action"] == "job resume 1"]
    assert len(refused) == 1 and refused[0]["outcome"].startswith("refused: ")
    assert "read-only by default" in refused[0]["outcome"] and "may not alter job 1" in refused[0]["outcome"]


@pytest.mark.native
def test_any_write_gives_every_reason_not_the_first(cli: Cli, native_migrated_db: TestDb) -> None:
    """Not only the actions: a seed as a role under a read-only default that lacks INSERT hears both."""
    with _low_role(native_migrated_db.dsn) as (role, dsn):
        with psycopg.connect(native_migrated_db.dsn, autocommit=True) as admin:
            admin.execute(f"ALTER ROLE {role} SET default_transaction_read_only = on")
        line = _one_line(cli("seed", "--days", "1", "--spans", "50", "--no-aftercare", "--dsn", dsn), 2)
        assert "seed refused, nothing was changed: transactions are read-only by default here" in line, line
        assert f"; role '{role}' lacks the INSERT privilege on table llm_traces" in line, line
        assert f"GRANT INSERT ON TABLE llm_traces TO {role}" in line, line
    assert _rows(native_migrated_db.dsn, "SELECT count(*) FROM llm_traces") == [(0,)]


def audit_entries(cli: Cli) -> list[dict[str, Any]]:
    shown = cli("audit", "--json", "--limit", "1000")
    assert shown.code == 0, shown.output
    entries: list[dict[str, Any]] = json.loads(shown.stdout)["entries"]
    return entries


# --- tsl: a job owned by another role, and obsconsole playing a role that does not belong to it -----------------


def _tsl_job_of_another_owner(dsn: str) -> int:
    """A compression policy job created by role `jobowner` (on a hypertable it owns); the engine's one server
    session is then switched to role `lowr` (it reads every table, pg_read_all_data, and owns nothing)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE ROLE jobowner LOGIN")  # a job owner must be able to log in (TimescaleDB)
        conn.execute("CREATE ROLE lowr")
        conn.execute("GRANT pg_read_all_data TO lowr")
        conn.execute("CREATE TABLE readings (ts timestamptz NOT NULL, v int)")
        conn.execute("SELECT create_hypertable('readings', 'ts')")
        conn.execute("ALTER TABLE readings SET (timescaledb.compress)")
        conn.execute("ALTER TABLE readings OWNER TO jobowner")
        conn.execute("SET ROLE jobowner")
        row = conn.execute("SELECT add_compression_policy('readings', interval '7 days')").fetchone()
        conn.execute("RESET ROLE")
        assert row is not None
        job = int(row[0])
        assert conn.execute("SELECT owner::text FROM timescaledb_information.jobs WHERE job_id = %s",
                            (job,)).fetchone() == ("jobowner",)
        conn.execute("SET SESSION AUTHORIZATION lowr")
    assert _rows(dsn, "SELECT current_user::text") == [("lowr",)]  # the next connection is lowr too
    return job


def _scheduled(dsn: str, job: int) -> bool:
    return bool(_rows(dsn, "SELECT scheduled FROM timescaledb_information.jobs WHERE job_id = %s", job)[0][0])


@pytest.mark.tsl
def test_tsl_refuses_a_non_owner_then_lets_a_member_of_the_owner(cli: Cli, tsl_db: TestDb) -> None:
    dsn = tsl_db.dsn
    job = _tsl_job_of_another_owner(dsn)
    for args in (("job", "pause", str(job), "--yes"), ("job", "run", str(job), "--dry-run")):
        line = _one_line(cli(*args, "--dsn", dsn), 2)
        assert line.endswith(f"refused, nothing was changed: role 'lowr' may not alter job {job}: only its owner "
                             "'jobowner', a member of that role or a superuser may (TimescaleDB); run as 'jobowner' "
                             "or GRANT jobowner TO lowr"), line
        assert "edition" not in line  # Community: the edition is not a reason here
    assert _scheduled(dsn, job) is True

    # What the line says to do works: as a member of the owning role, the pause goes through.
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET SESSION AUTHORIZATION postgres")  # (RESET keeps lowr on this engine)
        conn.execute("GRANT jobowner TO lowr")
        conn.execute("SET SESSION AUTHORIZATION lowr")
    paused = cli("job", "pause", str(job), "--yes", "--dsn", dsn)
    assert paused.code == 0 and f"job pause {job}: done" in paused.stdout, paused.output
    assert _scheduled(dsn, job) is False


@pytest.mark.tsl
def test_console_key_on_a_job_the_role_may_not_alter_is_refused(tsl_db: TestDb, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tui-state"))
    job = _tsl_job_of_another_owner(tsl_db.dsn)

    async def scenario() -> None:
        session = Session(ResolvedDsn(tsl_db.dsn, "test"))
        app = ObsConsoleApp(session, start_mode="jobs")
        async with app.run_test(size=(160, 48)) as pilot:
            table = app.screen.query_one("#jobs-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 2)
            table.move_cursor(row=table.get_row_index(str(job)))
            await pilot.press("p")
            await wait_for(pilot, lambda: any(f"may not alter job {job}" in str(n.message)
                                              for n in app._notifications))
            assert isinstance(app.screen, JobsScreen) and not isinstance(app.screen, ActionConfirmScreen)
            said = next(str(n.message) for n in app._notifications if "may not alter" in str(n.message))
            assert f"job pause {job} refused, nothing was changed" in said and "GRANT jobowner TO lowr" in said
            scheduled = session.call(lambda conn, _info: conn.execute(
                "SELECT scheduled FROM timescaledb_information.jobs WHERE job_id = %s", (job,)).fetchone())
            assert scheduled == (True,)

    asyncio.run(scenario())
    entries = [json.loads(line) for line in audit.path().read_text().splitlines()]
    assert [(e["action"], e["outcome"].split(":")[0]) for e in entries] == [(f"job pause {job}", "refused")]
    assert "may not alter job" in entries[0]["outcome"]
