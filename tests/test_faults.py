"""Faults on real engines: a migrate killed or its server stopped mid-migration, five migrates at once, the server
restarted under `verify`, `status` and a TUI session. Each test checks the database and the ledger afterwards:
nothing half-applied, no migration twice, no lock left behind, no traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import psycopg
import pytest

from console.engines import RunningEngine, native
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.resources import MIGRATIONS_DIR
from console.infra.session import Disconnected, Session
from tests.conftest import IN_CI, OBSCONSOLE, CliResult, TestDb, record_output, register_dsn_password

Cli = Callable[..., CliResult]
SLOW_SQL = "CREATE TABLE slow_a (id int);\nSELECT pg_sleep(3);\nCREATE TABLE slow_b (id int);\n"
WAIT_S = 30.0  # the bound on every wait in this file
# What `verify`/`status` may say when the server goes away under them (each a whole, specific sentence).
CONNECTION_REASONS = (
    "cannot reach the server at 127.0.0.1:",  # refused: the server is down
    "the server closed the connection (is it shutting down or restarting?)",  # accepted, then shut down
    "the database system is",  # ... shutting down / starting up / not yet accepting connections
    "lost the connection to the server",  # connected, then the server went away mid-command
)


# --- helpers ---------------------------------------------------------------------------------------------------


def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
    return {**env, "XDG_STATE_HOME": str(tmp_path / "state"), "COLUMNS": "200"}


def spawn(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """`obsconsole ARGS` in the background (finish() collects and records its output)."""
    return subprocess.Popen([OBSCONSOLE, *args], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[str], timeout: float = WAIT_S) -> CliResult:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"obsconsole did not finish within {timeout} s: {err[-500:]}")
    assert isinstance(proc.args, list)
    record_output([str(a) for a in proc.args[1:]], out, err)
    return CliResult(proc.returncode, out, err)


def run(env: dict[str, str], *args: str, timeout: float = WAIT_S) -> CliResult:
    return finish(spawn(env, *args), timeout)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"not within {timeout} s: {what}")


def slow_folder(tmp_path: Path) -> Path:
    """001-003 (what the Apache edition runs) and 004_slow.sql: a table, a 3 s sleep, another table."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("00[123]_*.sql")):
        shutil.copy(path, folder / path.name)
    (folder / "004_slow.sql").write_text(SLOW_SQL)
    return folder


def versions(dsn: str) -> list[int]:
    """The ledger's versions, each as often as it appears."""
    with psycopg.connect(dsn) as conn:
        if conn.execute("SELECT to_regclass('_sqlx_migrations')").fetchone() == (None,):
            return []
        return [int(r[0]) for r in conn.execute("SELECT version FROM _sqlx_migrations ORDER BY version")]


def relations(dsn: str, *names: str) -> dict[str, bool]:
    with psycopg.connect(dsn) as conn:
        return {n: conn.execute("SELECT to_regclass(%s) IS NOT NULL", (n,)).fetchone() == (True,) for n in names}


def advisory_locks(dsn: str) -> int:
    """Advisory locks (granted or awaited) in the DSN's database: the migration lock is the only one we take."""
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                           " WHERE l.locktype = 'advisory' AND d.datname = current_database()").fetchone()
    return int(row[0]) if row else 0


def sleeping_backend(dsn: str) -> int | None:
    """The pid of obsconsole's backend while it runs 004_slow.sql's pg_sleep."""
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'obsconsole'"
                           " AND datname = current_database() AND state = 'active'"
                           " AND query ILIKE 'SELECT pg_sleep%'").fetchone()
    return int(row[0]) if row else None


def wait_for_sleep(dsn: str, proc: subprocess.Popen[str]) -> int:
    found: list[int] = []

    def sleeping() -> bool:
        assert proc.poll() is None, f"migrate exited early: {proc.communicate()}"
        pid = sleeping_backend(dsn)
        found.extend([pid] if pid else [])
        return bool(found)

    wait_until(sleeping, "migrate reached 004_slow.sql's pg_sleep")
    return found[0]


def error_lines(result: CliResult) -> list[str]:
    """stderr without migrate's progress lines: what is left must be the one error line."""
    return [line for line in result.stderr.strip().splitlines()
            if line.strip() and not line.startswith(("applying ", "applied  ", "waiting for the migration lock"))]


def assert_clean_failure(result: CliResult, code: int) -> str:
    assert result.code == code, result.output
    assert "Traceback" not in result.output
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("obsconsole: "), result.stderr
    return lines[0]


class OwnCluster:
    """A native cluster in its own data dir, stopped and restarted on the same port so that its DSN (and a
    Session holding it) stays valid across restarts, as with a real server."""

    def __init__(self, parent: Path) -> None:
        self.data = parent / "cluster"
        self.engine: RunningEngine | None = None
        self.port: int | None = None

    def start(self) -> RunningEngine:
        try:
            self.engine = native.start(self.data, port=self.port)
        except ConsoleError as exc:
            if IN_CI or self.port is not None:
                raise
            pytest.skip(f"native engine unavailable: {exc.message}")
        self.port = int(str(psycopg.conninfo.conninfo_to_dict(self.engine.dsn)["port"]))
        register_dsn_password(self.engine.dsn)
        return self.engine

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.stop()
            assert not self.engine.alive()
            self.engine = None

    def database(self, name: str) -> str:
        """A new database with TimescaleDB; its DSN."""
        assert self.engine is not None
        with psycopg.connect(self.engine.dsn, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        info = psycopg.conninfo.conninfo_to_dict(self.engine.dsn)
        info["dbname"] = name
        dsn = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION timescaledb")
        return dsn


@pytest.fixture
def own_cluster() -> Iterator[OwnCluster]:
    parent = Path(tempfile.mkdtemp(prefix="obsconsole-faults-"))
    parent.chmod(0o755)  # the cluster's unprivileged OS user must reach its data dir
    cluster = OwnCluster(parent)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(parent, ignore_errors=True)


# --- a migrate killed, a server stopped ------------------------------------------------------------------------


def test_sigkilled_migrate_leaves_nothing_half_applied_and_a_rerun_completes(
    cli: Cli, native_db: TestDb, tmp_path: Path
) -> None:
    folder = slow_folder(tmp_path)
    proc = spawn(cli_env(tmp_path), "migrate", "--dir", str(folder), "--dsn", native_db.dsn)
    orphan = wait_for_sleep(native_db.dsn, proc)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(WAIT_S) == -signal.SIGKILL
    finish(proc)
    # The orphaned backend finishes its pg_sleep, finds its client gone, rolls back and releases the lock.
    wait_until(lambda: sleeping_backend(native_db.dsn) != orphan and advisory_locks(native_db.dsn) == 0,
               "the orphaned backend ended and the migration lock was released")
    assert versions(native_db.dsn) == [1, 2, 3], "no row for 004"
    assert relations(native_db.dsn, "slow_a", "slow_b") == {"slow_a": False, "slow_b": False}
    rerun = cli("migrate", "--dir", str(folder), "--dsn", native_db.dsn, timeout=WAIT_S)
    assert rerun.code == 0, rerun.output
    assert "applied  004_slow.sql" in rerun.stderr
    assert versions(native_db.dsn) == [1, 2, 3, 4]
    assert relations(native_db.dsn, "slow_a", "slow_b") == {"slow_a": True, "slow_b": True}
    assert advisory_locks(native_db.dsn) == 0


def test_server_stopped_mid_migration_one_line_then_restart_and_rerun(
    cli: Cli, own_cluster: OwnCluster, tmp_path: Path
) -> None:
    dsn = own_cluster.database("stopped_mid_migration")
    folder = slow_folder(tmp_path)
    proc = spawn(cli_env(tmp_path), "migrate", "--dir", str(folder), "--dsn", dsn)
    wait_for_sleep(dsn, proc)
    own_cluster.stop()
    line = assert_clean_failure(finish(proc), code=1)
    assert "004_slow.sql line 2" in line and "rolled back" in line, line
    assert "terminating connection" in line or "server closed the connection" in line, line
    own_cluster.start()
    assert versions(dsn) == [1, 2, 3]
    assert relations(dsn, "slow_a", "slow_b", "llm_traces") == {"slow_a": False, "slow_b": False, "llm_traces": True}
    assert advisory_locks(dsn) == 0
    rerun = cli("migrate", "--dir", str(folder), "--dsn", dsn, timeout=WAIT_S)
    assert rerun.code == 0, rerun.output
    assert versions(dsn) == [1, 2, 3, 4]
    assert relations(dsn, "slow_a", "slow_b") == {"slow_a": True, "slow_b": True}


def test_five_concurrent_migrates_apply_each_migration_exactly_once(native_db: TestDb, tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    procs = [spawn(env, "migrate", "--to", "3", "--dsn", native_db.dsn) for _ in range(5)]
    results = [finish(p, timeout=60) for p in procs]
    assert [r.code for r in results] == [0] * 5, [r.stderr for r in results]
    assert all("Traceback" not in r.output and "obsconsole:" not in r.stderr for r in results)
    applied = [line.split()[1] for r in results for line in r.stderr.splitlines() if line.startswith("applied  ")]
    assert sorted(applied) == ["001_initial_schema.sql", "002_add_hypertables.sql", "003_create_indexes.sql"]
    assert versions(native_db.dsn) == [1, 2, 3]
    with psycopg.connect(native_db.dsn) as conn:
        hypertables = conn.execute("SELECT hypertable_name FROM timescaledb_information.hypertables"
                                   " ORDER BY 1").fetchall()
        indexes = conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'idx\\_%'").fetchone()
    assert [h[0] for h in hypertables] == ["llm_logs", "llm_metrics", "llm_traces"]
    assert indexes is not None and int(indexes[0]) >= 10
    assert advisory_locks(native_db.dsn) == 0


# --- the server restarted under verify, status and a TUI session ---------------------------------------------


def test_verify_and_status_across_server_restarts_succeed_or_say_one_line(
    cli: Cli, own_cluster: OwnCluster, tmp_path: Path
) -> None:
    dsn = own_cluster.database("restarts")
    assert cli("migrate", "--to", "3", "--dsn", dsn).code == 0
    env = cli_env(tmp_path)
    stop = threading.Event()
    outcomes: dict[str, list[CliResult]] = {"verify": [], "status": []}
    session = Session(ResolvedDsn(dsn, "--dsn"))
    session_outcomes: list[str] = []

    def loop(command: str) -> None:
        while not stop.is_set():
            outcomes[command].append(run(env, command, "--dsn", dsn))

    def poll_session() -> None:
        while not stop.is_set():
            try:
                session.call(lambda conn, _info: conn.execute("SELECT count(*) FROM _sqlx_migrations").fetchone())
                session_outcomes.append("ok")
            except Disconnected:
                session_outcomes.append("disconnected")
            except Exception as exc:  # anything else is a bug the TUI would show as a crash
                session_outcomes.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.05)

    threads = [threading.Thread(target=loop, args=(c,)) for c in outcomes] + [threading.Thread(target=poll_session)]
    for thread in threads:
        thread.start()
    def each_loop_after(marks: tuple[dict[str, int], int], code: int, session_outcome: str) -> bool:
        """Since `marks`, each command's loop ended a run with `code`, and the session poll saw `session_outcome`."""
        runs, polls = marks
        return (all(any(r.code == code for r in results[runs[c]:]) for c, results in outcomes.items())
                and session_outcome in session_outcomes[polls:])

    def mark() -> tuple[dict[str, int], int]:
        return {c: len(results) for c, results in outcomes.items()}, len(session_outcomes)

    try:
        for _ in range(3):
            up = mark()
            wait_until(partial(each_loop_after, up, 0, "ok"), "each loop succeeded with the server up")
            own_cluster.stop()
            wait_until(partial(each_loop_after, mark(), 2, "disconnected"), "each loop met the server down")
            own_cluster.start()
        wait_until(partial(each_loop_after, mark(), 0, "ok"), "each loop succeeded after the last restart")
    finally:
        stop.set()
        for thread in threads:
            thread.join(WAIT_S)
    for command, results in outcomes.items():
        assert results, command
        for result in results:
            if result.code == 0:
                continue
            line = assert_clean_failure(result, code=2)
            assert any(reason in line for reason in CONNECTION_REASONS), line
        assert 2 in {r.code for r in results}, f"{command} never met the server down: the test proved nothing"
    assert "disconnected" in session_outcomes and set(session_outcomes) <= {"ok", "disconnected"}, \
        set(session_outcomes)
    final = {c: cli(c, "--dsn", dsn) for c in outcomes}
    assert all(r.code == 0 for r in final.values()), {c: r.output[-500:] for c, r in final.items()}
    assert session.call(lambda conn, _info: conn.execute("SELECT 1").fetchone()) == (1,)
    assert session.state.connected and session.state.disconnected_since is None
    session.close()
    assert versions(dsn) == [1, 2, 3]


def test_session_says_disconnected_while_down_and_reconnects_after_restart(own_cluster: OwnCluster) -> None:
    dsn = own_cluster.database("session")
    password = str(psycopg.conninfo.conninfo_to_dict(dsn)["password"])
    session = Session(ResolvedDsn(dsn, "--dsn"))
    try:
        assert session.call(lambda conn, info: (conn.execute("SELECT 1").fetchone(), info.database)) == (
            (1,), "session")
        assert session.state.connected and session.state.disconnected_since is None
        own_cluster.stop()
        messages: list[str] = []
        for _ in range(2):  # the first call meets the dead connection, the second a refused connect
            with pytest.raises(Disconnected) as caught:
                session.call(lambda conn, _info: conn.execute("SELECT 1").fetchone())
            assert isinstance(caught.value, ConsoleError) and caught.value.exit_code == 2
            messages.append(caught.value.message)
            state = session.state
            assert not state.connected and state.disconnected_since is not None and state.last_error
            assert "\n" not in state.last_error and password not in state.last_error
        since = session.state.disconnected_since
        assert all("\n" not in m and password not in m for m in messages), messages
        assert "refused" in messages[1], messages
        time.sleep(0.05)
        with pytest.raises(Disconnected):
            session.call(lambda conn, _info: None)
        assert session.state.disconnected_since == since, "disconnected since the FIRST failure"
        own_cluster.start()
        assert session.call(lambda conn, _info: conn.execute("SELECT 1").fetchone()) == (1,)
        state = session.state
        assert state.connected and state.disconnected_since is None and state.last_error is None
        assert state.info is not None and state.info.database == "session"
        assert password not in state.target
    finally:
        session.close()
