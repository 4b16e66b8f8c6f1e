"""Least privilege as a mode, and the one error boundary (issue 21, points 1 and 2), on the native engine: the
README's minimal monitoring role gets the owner's answers from verify, snapshot, status and doctor; a role with no
grants (and a bare pg_monitor role) degrades to COULD NOT CHECK / "cannot read … (GRANT …)" / one line, and the
statements doctor prints make it whole; the console shows a refused read in its screen and stays up."""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from textual.widgets import Static

from console.engines import RunningEngine
from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.migrator import runner
from console.tui.app import ObsConsoleApp
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.migrations import MigrationsScreen
from tests import inprocess
from tests.conftest import CliResult, _with_database, record_output
from tests.test_production import ROLE_PASSWORD, as_role, keys_folder, one_line, scalar
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]
README = Path(__file__).parents[1] / "README.md"


@pytest.fixture(scope="module")
def owned(native_engine: RunningEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding migrations 001-003 + 006 and one seeded day, owned by the engine's superuser."""
    name = f"leastpriv{os.getpid()}"
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    dsn = _with_database(native_engine.dsn, name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION timescaledb")
    runner.migrate(ResolvedDsn(dsn, "test"), directory=keys_folder(tmp_path_factory.mktemp("least")))
    env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
    env["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))
    code, stdout, stderr = inprocess.run(("seed", "--days", "1", "--spans", "300", "--dsn", dsn), env)
    record_output(["seed"], stdout, stderr)
    assert code == 0, stderr
    yield dsn
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _role(dsn: str, role: str, *statements: str) -> str:
    """Create `role` (LOGIN, the test password) and run `statements` as the owner; its DSN."""
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"DROP OWNED BY {role}" if scalar(dsn, f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'")
                      else "SELECT 1")
        admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{ROLE_PASSWORD}'")
        for statement in statements:
            admin.execute(statement)
    return as_role(dsn, role)


def _drop(dsn: str, role: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"DROP OWNED BY {role}")
        admin.execute(f"DROP ROLE {role}")


def readme_role_statements(role: str) -> list[str]:
    """The README's minimal monitoring role, for `role`, without its CREATE ROLE (the test makes the role)."""
    block = README.read_text(encoding="utf-8").split("<!-- monitoring-role -->", 1)[1].split(
        "<!-- /monitoring-role -->", 1)[0]
    sql = block.split("```sql", 1)[1].split("```", 1)[0]
    statements = [s.strip() for s in sql.split(";") if s.strip()]
    assert statements[0].startswith("CREATE ROLE obs_monitor"), statements
    return [re.sub(r"\bobs_monitor\b", role, s) for s in statements[1:]]


def _statuses(result: CliResult) -> dict[str, str]:
    assert result.code in (0, 1), result.output
    return {c["id"]: c["status"] for c in json.loads(result.stdout)["checks"]}


def _panes(result: CliResult) -> dict[str, tuple[str, str]]:
    assert result.code == 0, result.output
    return {name: (p["status"], p["reason"]) for name, p in json.loads(result.stdout)["panes"].items()}


def test_the_readme_monitoring_role_gets_the_owners_answers(cli: Cli, owned: str) -> None:
    role = "lp_readme"
    dsn = _role(owned, role, *readme_role_statements(role))
    try:
        owner_checks, role_checks = (_statuses(cli("verify", "--json", "--dsn", d)) for d in (owned, dsn))
        assert role_checks == owner_checks
        assert "COULD NOT CHECK" not in role_checks.values() and "FAIL" not in role_checks.values(), role_checks
        assert _panes(cli("snapshot", "--json", "--dsn", dsn)) == _panes(cli("snapshot", "--json", "--dsn", owned))
        snapshot = cli("snapshot", "--wide", "--dsn", dsn)
        assert "cannot read" not in snapshot.output and "GRANT" not in snapshot.output, snapshot.output
        doctor = cli("doctor", "--dsn", dsn)
        assert doctor.code == 0 and f"role        {role}: reads everything the console shows" in doctor.stdout, \
            doctor.output
        assert "missing" not in doctor.stdout
        assert cli("status", "--dsn", dsn).stdout == cli("status", "--dsn", owned).stdout
    finally:
        _drop(owned, role)


def test_a_role_without_grants_degrades_and_doctor_makes_it_whole(cli: Cli, owned: str) -> None:
    role = "lp_bare"
    dsn = _role(owned, role)
    try:
        doctor = cli("doctor", "--dsn", dsn)
        assert doctor.code == 0 and "Traceback" not in doctor.output, doctor.output
        flat = " ".join(doctor.stdout.split())
        for grant in (f"GRANT pg_read_all_settings TO {role}", f"GRANT pg_read_all_stats TO {role}",
                      f"GRANT SELECT ON public._sqlx_migrations TO {role}",
                      f"GRANT SELECT ON public.llm_traces TO {role}"):
            assert grant in flat, flat
        fix = [line.strip() for line in doctor.stdout.split("to fix", 1)[1].splitlines()[1:]
               if line.strip().startswith("GRANT")]
        assert fix == [f"GRANT pg_monitor TO {role};", f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};"]

        verify = cli("verify", "--json", "--dsn", dsn)
        assert verify.code == 0, verify.output  # COULD NOT CHECK is not a failure
        checks = {c["id"]: c for c in json.loads(verify.stdout)["checks"]}
        could_not = [c for c in checks.values() if c["status"] == "COULD NOT CHECK"]
        assert could_not and all("GRANT" in c["remedy"] for c in could_not), could_not
        assert not [c for c in checks.values() if c["status"] == "FAIL"]
        assert f"GRANT SELECT ON public._sqlx_migrations TO {role}" in checks["S14"]["remedy"]
        assert f"GRANT pg_read_all_stats TO {role}" in checks["H01"]["found"] + checks["H01"]["remedy"]

        jobs = cli("snapshot", "--pane", "jobs", "--dsn", dsn)
        assert jobs.code == 0 and "not being scheduled" not in jobs.output, jobs.output
        assert f"cannot read whether TimescaleDB's scheduler runs (other sessions in pg_stat_activity): GRANT " \
               f"pg_read_all_stats TO {role}" in " ".join(jobs.stdout.split())
        for command, said in ((["status"], "status: "), (["migrate", "--dry-run"],
                                                          "migrate --dry-run refused, nothing was applied: ")):
            one_line(cli(*command, "--dsn", dsn), 2, f"{said}role '{role}' lacks the SELECT privilege on table "
                     "_sqlx_migrations", f"GRANT SELECT ON TABLE _sqlx_migrations TO {role}", "nothing was")

        with psycopg.connect(owned, autocommit=True) as admin:  # what doctor said to run
            for statement in fix:
                admin.execute(statement)
        whole = cli("doctor", "--dsn", dsn)
        assert f"role        {role}: reads everything the console shows" in whole.stdout, whole.output
        assert _statuses(cli("verify", "--json", "--dsn", dsn)) == _statuses(cli("verify", "--json", "--dsn", owned))
    finally:
        _drop(owned, role)


def test_a_pane_the_role_cannot_read_names_the_grant(cli: Cli, owned: str) -> None:
    role = "lp_pane"
    dsn = _role(owned, role, f"GRANT pg_monitor TO {role}", f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    with psycopg.connect(owned, autocommit=True) as admin:  # an operator who closed TimescaleDB's job views
        admin.execute("REVOKE SELECT ON timescaledb_information.jobs FROM PUBLIC")
    try:
        snapshot = cli("snapshot", "--pane", "jobs", "--dsn", dsn)
        assert snapshot.code == 0 and "Traceback" not in snapshot.output, snapshot.output
        assert ("Background jobs: cannot read view jobs (GRANT SELECT ON TABLE timescaledb_information.jobs TO "
                f"{role})") in " ".join(snapshot.stdout.split()), snapshot.stdout
        doctor = " ".join(cli("doctor", "--dsn", dsn).stdout.split())
        assert f"table timescaledb_information.jobs (GRANT SELECT ON timescaledb_information.jobs TO {role})" in doctor
        assert f"GRANT SELECT ON ALL TABLES IN SCHEMA timescaledb_information TO {role};" in doctor
        verify = cli("verify", "--json", "--dsn", dsn)
        h01 = next(c for c in json.loads(verify.stdout)["checks"] if c["id"] == "H01")
        assert verify.code == 0 and h01["status"] != "FAIL", h01
    finally:
        with psycopg.connect(owned, autocommit=True) as admin:
            admin.execute("GRANT SELECT ON timescaledb_information.jobs TO PUBLIC")
        _drop(owned, role)


def test_pg_monitor_alone_gets_one_line_or_a_degraded_answer_never_a_traceback(cli: Cli, owned: str) -> None:
    role = "lp_monitor"
    dsn = _role(owned, role, f"GRANT pg_monitor TO {role}")
    try:
        for command in (["status"], ["migrate", "--dry-run"], ["migrate"], ["seed", "--days", "1"]):
            result = cli(*command, "--dsn", dsn)
            one_line(result, 2, f"role '{role}' lacks the", "GRANT")
        for command in (["verify"], ["snapshot"], ["doctor"]):
            result = cli(*command, "--dsn", dsn)
            assert result.code == 0 and "Traceback" not in result.output, result.output
        doctor = " ".join(cli("doctor", "--dsn", dsn).stdout.split())
        assert f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};" in doctor
        assert "pg_read_all_settings" not in doctor and "GRANT pg_monitor" not in doctor, doctor
        # The server takes writes; this role may not: doctor does not call that "allowed".
        assert "writes the server takes them; each write command first checks this role's privileges" in doctor
        assert "allowed" not in doctor, doctor
        assert scalar(owned, "SELECT count(*) FROM _sqlx_migrations") == 4
    finally:
        _drop(owned, role)


def test_the_traceback_only_with_obsconsole_debug(cli: Cli, owned: str) -> None:
    role = "lp_debug"
    dsn = _role(owned, role)
    try:
        plain = cli("status", "--dsn", dsn)
        one_line(plain, 2, "status: role 'lp_debug' lacks the SELECT privilege on table _sqlx_migrations")
        debug = cli("status", "--dsn", dsn, extra_env={"OBSCONSOLE_DEBUG": "1"})
        assert debug.code == 2 and "Traceback (most recent call last)" in debug.stderr, debug.output
        assert "psycopg.errors.InsufficientPrivilege" in debug.stderr
        assert debug.stderr.strip().splitlines()[-1] == plain.stderr.strip()
    finally:
        _drop(owned, role)


def test_seed_under_a_held_lock_is_one_line_naming_the_holder(cli: Cli, owned: str) -> None:
    with psycopg.connect(owned, application_name="nightly-etl") as holder:
        holder.execute("LOCK TABLE llm_traces IN ACCESS EXCLUSIVE MODE")
        before = scalar(owned, "SELECT count(*) FROM pg_class WHERE relname = 'llm_traces'")
        result = cli("seed", "--days", "1", "--end", "2020-01-02", "--dsn", owned)
        line = one_line(result, 2, "seed: gave up waiting for a lock", "AccessExclusiveLock on llm_traces",
                        "--lock-timeout", "nothing was done")
        assert re.search(r"pid \d+ \(nightly-etl\) holds", line), line
        holder.rollback()
    assert before == 1
    assert scalar(owned, "SELECT count(*) FROM llm_traces WHERE ts < '2020-01-03'") == 0


def test_the_console_shows_a_refused_read_in_its_screen_and_stays_up(owned: str) -> None:
    role = "lp_console"
    dsn = _role(owned, role)

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(dsn, "--dsn")), refresh_s=60)
        async with app.run_test(size=(160, 48)) as pilot:
            dashboard = app.screen
            assert isinstance(dashboard, DashboardScreen)
            await wait_for(pilot, lambda: dashboard.last_snapshot is not None)
            assert dashboard.last_snapshot is not None
            jobs = next(v for v in dashboard.last_snapshot.views if v.pane == "jobs")
            assert jobs.message is not None and f"GRANT pg_read_all_stats TO {role}" in jobs.message.text, jobs
            await pilot.press("m")
            await wait_for(pilot, lambda: isinstance(app.screen, MigrationsScreen))
            summary = app.screen.query_one("#migrations-summary", Static)
            await wait_for(pilot, lambda: "GRANT" in str(summary.render()))
            said = " ".join(str(summary.render()).split())
            assert said.startswith("Migrations (migrations): role 'lp_console' lacks the SELECT privilege on table "
                                   "_sqlx_migrations"), said
            assert "GRANT SELECT ON TABLE _sqlx_migrations TO lp_console" in said and "nothing was done" in said
            assert app.is_running
            await pilot.press("q")

    try:
        asyncio.run(scenario())
    finally:
        _drop(owned, role)
