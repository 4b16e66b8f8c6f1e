"""Do no harm in production (issue 12), on real production shapes: pgbouncer in transaction mode in front of the
native engine, a hot standby of the native cluster, read-only defaults, least-privilege roles, hostile data.
Each case checks the database afterwards: nothing applied, no lock held, no setting left on a pooled session."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from console.engines import RunningEngine
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.resources import MIGRATIONS_DIR
from console.infra.session import Session
from console.panes import PaneOptions, refresh_all
from console.panes.catalog.cache import PaneCache
from tests.conftest import IN_CI, SECRETS, CliResult, TestDb
from tests.pooler import POOL_SIZE, start_standby

Cli = Callable[..., CliResult]
ROLE_PASSWORD = "Least-Priv-Pw-4821"  # the test roles' password (in SECRETS: never printed)
SECRETS.add(ROLE_PASSWORD)

WRITERS = [
    ["migrate"],
    ["migrate", "--dry-run"],
    ["seed", "--days", "1", "--no-aftercare"],
    ["keys", "create", "--email", "ops@example.com", "--name", "ci"],
    ["keys", "revoke", "obs_00000000", "--yes"],
]


def one_line(result: CliResult, code: int, *needles: str) -> str:
    """The single `obsconsole: ...` line on stderr, after checking the exit code and that there is no traceback."""
    assert result.code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("obsconsole: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _started(start: Callable[[], RunningEngine], what: str) -> RunningEngine:
    try:
        return start()
    except ConsoleError as exc:
        if IN_CI:
            pytest.fail(f"{what} unavailable in CI: {exc.message}")
        pytest.skip(f"{what} unavailable: {exc.message}")


def _stop(engine: RunningEngine) -> None:
    engine.stop()
    assert not engine.alive(), f"{engine.kind} left a process behind"
    assert not any(path.exists() for path in engine.remove_on_stop), f"{engine.kind} left files behind"


def via(pooler: RunningEngine, dsn: str) -> str:
    """`dsn`'s database, reached through the pooler."""
    info = psycopg.conninfo.conninfo_to_dict(pooler.dsn)
    info["dbname"] = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})


def as_role(dsn: str, role: str, password: str | None = ROLE_PASSWORD) -> str:
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    info.update(user=role, password=password)
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})


def scalar(dsn: str, sql: str) -> object:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None


def untouched(dsn: str, *, pooled: bool = False) -> None:
    """Nothing was applied, no lock is held, no obsconsole session is left (checked directly on the server; a
    pooler keeps its server sessions, so there only their state is checked)."""
    assert scalar(dsn, "SELECT to_regclass('_sqlx_migrations') IS NULL"), "a ledger was created"
    assert scalar(dsn, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0, "an advisory lock is held"
    # This database's only: the worker's cluster also serves other tests, whose in-process consoles and fleet
    # monitors may hold sessions of their own elsewhere.
    left = ("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'obsconsole' AND "
            "datname = current_database()" + (" AND state <> 'idle'" if pooled else ""))
    deadline = time.monotonic() + 10  # a backend leaves pg_stat_activity a moment after its client exits
    while (sessions := scalar(dsn, left)) != 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sessions == 0, "an obsconsole session is still there"


def keys_folder(tmp_path: Path) -> Path:
    """Migrations 001-003 and 006 (tables, hypertables, indexes, API-key tables): what the Apache edition runs."""
    folder = tmp_path / "migrations-keys"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("00[1236]_*.sql")):
        shutil.copy(path, folder / path.name)
    shutil.copy(MIGRATIONS_DIR / "expected.toml", folder / "expected.toml")
    return folder


def create_role(dsn: str, role: str, *extra: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{ROLE_PASSWORD}' {' '.join(extra)}")


def drop_role(dsn: str, role: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"DROP OWNED BY {role}")
        admin.execute(f"DROP ROLE {role}")


# --- 1. a transaction pooler ----------------------------------------------------------------------------------

def test_reads_through_a_transaction_pooler_leave_no_setting_on_any_pooled_session(
    cli: Cli, native_db: TestDb, pgbouncer: RunningEngine
) -> None:
    assert cli("migrate", "--to", "3", "--dsn", native_db.dsn).code == 0
    with psycopg.connect(native_db.dsn, autocommit=True) as admin:
        admin.execute("CREATE TABLE app_writes (id serial PRIMARY KEY, at timestamptz DEFAULT now())")
    pooled = via(pgbouncer, native_db.dsn)
    for args in (["verify"], ["snapshot", "--json"], ["status"], ["verify", "--json"], ["snapshot"]):
        result = cli(*args, "--dsn", pooled)
        assert result.code == 0, result.output
    doctor = cli("doctor", "--dsn", pooled)
    assert doctor.code == 0 and "connection pooler" in doctor.stdout, doctor.output
    # The application's view: POOL_SIZE transactions held at once get every pooled server session.
    apps = [psycopg.connect(pooled) for _ in range(POOL_SIZE)]
    try:
        seen = [app.execute(
            "SELECT pg_backend_pid(), current_setting('default_transaction_read_only'), "
            "current_setting('transaction_read_only'), current_setting('statement_timeout'), "
            "current_setting('lock_timeout'), current_setting('client_min_messages')").fetchone() for app in apps]
        for app in apps:
            app.execute("INSERT INTO app_writes DEFAULT VALUES")  # fails if a read-only default leaked
        for app in apps:
            app.commit()
    finally:
        for app in apps:
            app.close()
    assert len({row[0] for row in seen if row}) == POOL_SIZE, seen
    assert all(row is not None and row[1:] == ("off", "off", "0", "0", "notice") for row in seen), seen
    assert scalar(native_db.dsn, "SELECT count(*) FROM app_writes") == POOL_SIZE
    dbname = psycopg.conninfo.conninfo_to_dict(native_db.dsn)["dbname"]
    pooled_sessions = scalar(native_db.dsn, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                             f"'client backend' AND datname = '{dbname}' AND pid <> pg_backend_pid()")
    assert pooled_sessions == POOL_SIZE, "a pooled server session was not checked"
    assert scalar(native_db.dsn, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0


def _dashboard_refreshes(dsn: str, times: int) -> tuple[int | None, int]:
    """Refresh the panes `times` as the dashboard does (one Session, one PaneCache); the session's prepare
    threshold and how many prepared statements its server session then holds."""
    session = Session(ResolvedDsn(dsn, "--dsn"))
    cache = PaneCache()
    try:
        for _ in range(times):
            snap = session.call(lambda conn, info: refresh_all(conn, info, PaneOptions(cache=cache)))
            assert {p.pane: p.status.value for p in snap.panes}["jobs"] == "ok", snap.panes

        def prepared(conn: Any, _info: Any) -> tuple[int | None, int]:
            row = conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()
            return conn.prepare_threshold, int(row[0])
        return session.call(prepared)
    finally:
        session.close()


def test_the_dashboard_plans_its_queries_once_only_on_a_session_of_its_own(
    cli: Cli, native_db: TestDb, pgbouncer: RunningEngine
) -> None:
    assert cli("migrate", "--to", "3", "--dsn", native_db.dsn).code == 0
    threshold, statements = _dashboard_refreshes(native_db.dsn, 3)
    assert threshold is not None and statements >= 3, (threshold, statements)  # direct: prepared, kept by psycopg
    # Through the pooler a statement prepared on one server session would be asked for on another: never.
    threshold, statements = _dashboard_refreshes(via(pgbouncer, native_db.dsn), 3 * POOL_SIZE)
    assert threshold is None and statements == 0, (threshold, statements)


def test_the_tsl_engine_shares_its_one_server_session_so_nothing_is_prepared(cli: Cli, tsl_migrated_db: TestDb) -> None:
    assert _dashboard_refreshes(tsl_migrated_db.dsn, 3) == (None, 0)


@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_writers_refuse_a_transaction_pooler(
    cli: Cli, native_db: TestDb, pgbouncer: RunningEngine, command: list[str]
) -> None:
    line = one_line(cli(*command, "--dsn", via(pgbouncer, native_db.dsn)), 2, "connection pooler",
                    "connect directly to PostgreSQL", "nothing was")
    assert "server process" in line  # how the pooler showed itself
    untouched(native_db.dsn, pooled=True)


def test_a_job_run_refuses_a_transaction_pooler(cli: Cli, native_db: TestDb, pgbouncer: RunningEngine) -> None:
    """A job action (here `job run`, as the Jobs screen's `n` runs it) refuses before anything runs."""
    result = cli("job", "run", "1", "--yes", "--dsn", via(pgbouncer, native_db.dsn))
    assert result.code == 2, result.output
    assert result.stderr.startswith("obsconsole: job run 1 refused, nothing was changed: connected through a "
                                    "connection pooler"), result.stderr
    assert "connect directly to PostgreSQL" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    untouched(native_db.dsn, pooled=True)


# --- 2. a hot standby, read-only defaults -----------------------------------------------------------------------

@pytest.mark.xdist_group("standby")
@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_writers_refuse_a_hot_standby(cli: Cli, standby: tuple[str, str], command: list[str]) -> None:
    primary, replica = standby
    before = scalar(primary, "SELECT count(*) FROM _sqlx_migrations")
    one_line(cli(*command, "--dsn", replica), 2, "hot standby", "pg_is_in_recovery()", "connect to the primary",
             "nothing was")
    assert scalar(primary, "SELECT count(*) FROM _sqlx_migrations") == before == 4
    assert scalar(primary, "SELECT count(*) FROM api_keys") == 0


@pytest.mark.xdist_group("standby")
def test_doctor_reports_a_hot_standby_and_reads_work_there(cli: Cli, standby: tuple[str, str]) -> None:
    _primary, replica = standby
    doctor = cli("doctor", "--dsn", replica)
    assert doctor.code == 0, doctor.output
    assert "hot standby" in doctor.stdout and "writes      refused" in doctor.stdout
    status = cli("status", "--dsn", replica)
    assert status.code == 0 and "006" in status.stdout, status.output


@pytest.mark.xdist_group("standby")
def test_replica_without_preload_is_said_plainly(cli: Cli, standby_primary: RunningEngine,
                                                 standby: tuple[str, str]) -> None:
    from tests.conftest import _with_database

    primary, _replica = standby
    bare = _started(lambda: start_standby(standby_primary, preload=False), "hot standby without preload")
    try:
        dsn = _with_database(bare.dsn, str(psycopg.conninfo.conninfo_to_dict(primary)["dbname"]))
        doctor = cli("doctor", "--dsn", dsn)
        assert doctor.code == 2, doctor.output
        assert "not preloaded" in doctor.stdout
        assert "not in shared_preload_libraries" in doctor.stderr and "restart the server" in doctor.stderr
        for command in (["verify"], ["snapshot"]):
            one_line(cli(*command, "--dsn", dsn), 2, "TimescaleDB is installed in this database but this server "
                     "does not load it (shared_preload_libraries lacks timescaledb")
    finally:
        _stop(bare)


@pytest.mark.parametrize(("where", "said"), [("DATABASE", "on this database"), ("ROLE", "on this role")])
def test_read_only_default_is_never_overridden(cli: Cli, native_db: TestDb, where: str, said: str) -> None:
    dbname = psycopg.conninfo.conninfo_to_dict(native_db.dsn)["dbname"]
    create_role(native_db.dsn, "ro_writer", "SUPERUSER")
    target = f'"{dbname}"' if where == "DATABASE" else "ro_writer"
    with psycopg.connect(native_db.dsn, autocommit=True) as admin:
        admin.execute(f"ALTER {where} {target} SET default_transaction_read_only = on")
    dsn = as_role(native_db.dsn, "ro_writer")
    try:
        for command in WRITERS:
            one_line(cli(*command, "--dsn", dsn), 2, "read-only by default", "default_transaction_read_only = on",
                     said, "never overrides")
        doctor = cli("doctor", "--dsn", dsn)
        assert doctor.code == 0 and "read-only by default" in doctor.stdout, doctor.output
        untouched(native_db.dsn)
    finally:
        with psycopg.connect(native_db.engine.dsn, autocommit=True) as admin:  # the postgres database
            admin.execute(f"ALTER {where} {target} RESET default_transaction_read_only")
        drop_role(native_db.dsn, "ro_writer")


# --- 3. least privilege, and the session's own settings ---------------------------------------------------------

def test_monitoring_role_gets_the_missing_privilege_named(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    create_role(native_db.dsn, "monitor", "IN ROLE pg_monitor")
    dsn = as_role(native_db.dsn, "monitor")
    try:
        one_line(cli("migrate", "--dsn", dsn), 2, "role 'monitor' lacks the CREATE privilege on schema public",
                 "nothing was applied")
        untouched(native_db.dsn)
        assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(keys_folder(tmp_path))).code == 0
        one_line(cli("keys", "create", "--email", "ops@example.com", "--name", "ci", "--dsn", dsn), 2,
                 "role 'monitor' lacks the", "privilege on table users", "nothing was changed")
        one_line(cli("keys", "revoke", "obs_00000000", "--yes", "--dsn", dsn), 2,
                 "role 'monitor' lacks the", "privilege on table api_keys")
        assert scalar(native_db.dsn, "SELECT count(*) FROM users") == 0
        assert cli("verify", "--dsn", dsn).code in (0, 1)  # reads still run (catalog access of pg_monitor)
    finally:
        drop_role(native_db.dsn, "monitor")


def test_role_statement_timeout_does_not_read_as_cannot_connect(cli: Cli, native_db: TestDb) -> None:
    create_role(native_db.dsn, "hasty", "SUPERUSER")
    with psycopg.connect(native_db.dsn, autocommit=True) as admin:
        admin.execute("ALTER ROLE hasty SET statement_timeout = '1ms'")
    try:
        result = cli("doctor", "--dsn", as_role(native_db.dsn, "hasty"))
        # Either the console's own SET LOCAL timeouts took over (it works), or the set-up is named as cancelled.
        if result.code != 0:
            one_line(result, 2, "the role's own statement_timeout cancelled the console's session set-up")
        else:
            assert "TimescaleDB 2.19.3" in result.stdout
        assert "cannot connect" not in result.output
    finally:
        drop_role(native_db.dsn, "hasty")


def test_revoked_connect_and_missing_password_are_named(cli: Cli, native_db: TestDb) -> None:
    dbname = psycopg.conninfo.conninfo_to_dict(native_db.dsn)["dbname"]
    create_role(native_db.dsn, "outsider")
    with psycopg.connect(native_db.dsn, autocommit=True) as admin:
        admin.execute(f'REVOKE CONNECT ON DATABASE "{dbname}" FROM PUBLIC')
    try:
        one_line(cli("status", "--dsn", as_role(native_db.dsn, "outsider")), 2,
                 "the role may not connect to this database", "lacks the CONNECT privilege")
        no_password = as_role(native_db.dsn, "postgres", password=None)
        env = {"PGPASSFILE": "/nonexistent"}
        one_line(cli("status", "--dsn", no_password, extra_env=env), 2, "asks for a password and none was given")
    finally:
        drop_role(native_db.dsn, "outsider")


def test_timescaledb_outside_the_search_path_is_refused_before_001(cli: Cli, native_plain_db: TestDb) -> None:
    with psycopg.connect(native_plain_db.dsn, autocommit=True) as admin:
        admin.execute("CREATE SCHEMA tsdb")
        admin.execute("CREATE EXTENSION timescaledb SCHEMA tsdb")
    for command in (["migrate"], ["migrate", "--dry-run"]):
        one_line(cli(*command, "--dsn", native_plain_db.dsn), 2, "installed in schema 'tsdb'",
                 "not on this session's search_path", "nothing was applied")
    assert scalar(native_plain_db.dsn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0
    untouched(native_plain_db.dsn)


# --- 4. control characters from data and input ----------------------------------------------------------------

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b1m\u202eevil"


def test_control_characters_never_reach_the_terminal(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(keys_folder(tmp_path))).code == 0
    one_line(cli("keys", "create", "--email", "ops@example.com", "--name", HOSTILE, "--dsn", native_db.dsn), 2,
             "--name", "control characters", "\\x1b]0;pwned\\x07")
    one_line(cli("keys", "create", "--email", "a\x1b[2J@example.com", "--name", "ci", "--dsn", native_db.dsn), 2,
             "--email", "control characters")
    assert scalar(native_db.dsn, "SELECT count(*) FROM api_keys") == 0
    with psycopg.connect(native_db.dsn, autocommit=True) as conn:  # an other writer's rows, straight in the table
        conn.execute("INSERT INTO users (email) VALUES (%s)", (f"x{HOSTILE}@example.com",))
        conn.execute("INSERT INTO api_keys (key_hash, key_prefix, name, user_id, scopes) SELECT "
                     "sha256('k'), 'obs_hostile', %s, id, ARRAY['ingest'] FROM users", (HOSTILE,))
    listed = cli("keys", "list", "--dsn", native_db.dsn)
    revoked = cli("keys", "revoke", "obs_hostile", "--yes", "--dsn", native_db.dsn)
    for result in (listed, revoked):
        assert result.code == 0, result.output
        assert not any(ch in result.output for ch in "\x1b\x07\x9b\u202e"), repr(result.output)
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in listed.stdout.replace("\n", "").replace(" ", "")
    assert "\\x1b]0;pwned\\x07" in revoked.stdout and "\\u202eevil" in revoked.stdout


# --- 5. malformed DSNs holding a password -------------------------------------------------------------------------

DSN_SECRET = "Malformed-Pw-9931"
SECRETS.add(DSN_SECRET)


@pytest.mark.parametrize("dsn", [
    f"host=127.0.0.1 password=abc {DSN_SECRET} x",
    f"postgresql://u:two words {DSN_SECRET}@127.0.0.1/db",
    f"postgresql://u:{DSN_SECRET}%zz@127.0.0.1/db",
    f"postgresql://u:{DSN_SECRET}@127.0.0.1:{DSN_SECRET}/db",
    f"postgresql://u:a@{DSN_SECRET}@[::1/db",
    f"host=127.0.0.1 password='{DSN_SECRET}",
    f"{DSN_SECRET}",
])
def test_malformed_dsn_never_echoes_the_password(cli: Cli, dsn: str) -> None:
    for command in (["status"], ["verify"], ["keys", "list"]):
        line = one_line(cli(*command, "--dsn", dsn), 2)
        assert DSN_SECRET not in line and DSN_SECRET[:8] not in line, line


# --- 6. a lock wait is not a failure ------------------------------------------------------------------------------

def test_a_lock_wait_is_could_not_check_naming_the_holder(cli: Cli, native_db: TestDb) -> None:
    import json

    assert cli("migrate", "--to", "3", "--dsn", native_db.dsn).code == 0
    with psycopg.connect(native_db.dsn, application_name="nightly-etl") as holder:
        holder.execute("LOCK TABLE llm_traces IN ACCESS EXCLUSIVE MODE")
        holder_pid = holder.info.backend_pid
        result = cli("verify", "--json", "--check-timeout", "300ms", "--dsn", native_db.dsn)
        strict = cli("verify", "--strict", "--check-timeout", "300ms", "--dsn", native_db.dsn)
        table = cli("verify", "--check-timeout", "300ms", "--dsn", native_db.dsn)
        holder.rollback()
    assert result.code == 0, result.output  # not counted as a failure
    checks = json.loads(result.stdout)["checks"]
    unchecked = [c for c in checks if c["status"] == "COULD NOT CHECK"]
    assert unchecked, checks
    assert not [c for c in checks if c["status"] == "FAIL"], checks
    for check in unchecked:
        if check["id"] != "S14":
            assert f"pid {holder_pid} (nightly-etl) holds AccessExclusiveLock on llm_traces for" in check["found"]
    assert strict.code == 1, strict.output  # --strict counts it
    assert table.code == 0 and "COULD NOT CHECK" in table.stdout, table.output
    assert cli("verify", "--dsn", native_db.dsn).code == 0  # the lock gone, every check answers again
