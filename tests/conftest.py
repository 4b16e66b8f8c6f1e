"""Fixtures: real engines only. `native_db` is a fresh database on a session-wide native cluster;
`tsl_db` is a fresh tsl engine per test (it holds one database and one connection; it starts in ~2 s).
With CI=true a missing engine is an error, never a skip."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from console import engines
from console.engines import RunningEngine
from console.infra.errors import ConsoleError

# pytest imports this file as `conftest`, test modules as `tests.conftest`: make both names one module, or the
# `cli` fixture records into one copy while tests/test_zz_secrets.py scans the other (and skips, seeing nothing).
sys.modules.setdefault("tests.conftest" if __name__ == "conftest" else "conftest", sys.modules[__name__])

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
OBSCONSOLE = str(Path(sys.executable).with_name("obsconsole"))
_db_numbers = itertools.count(1)

# Every password this session knows (engines' DSN passwords, and literal ones tests put in DSNs), and every CLI
# output recorded by `cli` (and by tests' own subprocess helpers, via record_output): tests/test_zz_secrets.py,
# ordered last, checks that no output contains any of them.
SECRETS: set[str] = {"S3cret-Wrong-Pass", "hunter2-port", "pass-in-bad-dsn", "pw-secret"}


@dataclass(frozen=True)
class RecordedOutput:
    """What one `obsconsole` process printed: its arguments, stdout and stderr."""

    args: tuple[str, ...]
    stdout: str
    stderr: str


CLI_OUTPUTS: list[RecordedOutput] = []


def record_output(args: tuple[str, ...] | list[str], stdout: str, stderr: str) -> None:
    CLI_OUTPUTS.append(RecordedOutput(tuple(args), stdout or "", stderr or ""))


def register_dsn_password(dsn: str) -> None:
    """Add the password of `dsn` (a DSN this session uses) to SECRETS."""
    password = psycopg.conninfo.conninfo_to_dict(dsn).get("password")
    if password:
        SECRETS.add(str(password))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The secrets scan (tests/test_zz_secrets.py) runs after every other test, over everything they printed."""
    items.sort(key=lambda item: item.path.name == "test_zz_secrets.py")


@dataclass
class TestDb:
    """A database for one test: its DSN and the engine serving it."""

    __test__ = False
    dsn: str
    engine: RunningEngine


def _start(kind: str) -> RunningEngine:
    try:
        return engines.start(kind)
    except ConsoleError as exc:
        if IN_CI:
            pytest.fail(f"{kind} engine unavailable in CI: {exc.message}")
        pytest.skip(f"{kind} engine unavailable: {exc.message}")


@pytest.fixture(scope="session")
def native_engine() -> Iterator[RunningEngine]:
    engine = _start("native")
    register_dsn_password(engine.dsn)
    yield engine
    engine.stop()
    assert not engine.alive(), "native engine left a process behind"


def _with_database(dsn: str, name: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    info["dbname"] = name
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})


@pytest.fixture
def native_db(native_engine: RunningEngine) -> Iterator[TestDb]:
    """A fresh database with TimescaleDB created, dropped after the test."""
    name = f"t{os.getpid()}_{next(_db_numbers)}"
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    dsn = _with_database(native_engine.dsn, name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION timescaledb")
    yield TestDb(dsn, native_engine)
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def native_plain_db(native_engine: RunningEngine) -> Iterator[TestDb]:
    """A fresh database WITHOUT TimescaleDB (the extension is available on the server, not created)."""
    name = f"plain{os.getpid()}_{next(_db_numbers)}"
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    yield TestDb(_with_database(native_engine.dsn, name), native_engine)
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def tsl_db() -> Iterator[TestDb]:
    """A fresh tsl engine (in memory) for this test, stopped afterwards with no process left."""
    engine = _start("tsl")
    register_dsn_password(engine.dsn)
    yield TestDb(engine.dsn, engine)
    engine.stop()
    assert not engine.alive(), "tsl engine left a process behind"


@dataclass
class CliResult:
    """What one `obsconsole` process printed and returned."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Callable[..., CliResult]]:
    """Run the installed `obsconsole` script as a user would, with a private state dir and no DSN env."""
    env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # no keymap of the machine's user
    env["COLUMNS"] = "200"

    def run(*args: str, timeout: float = 120, extra_env: dict[str, str] | None = None) -> CliResult:
        proc = subprocess.run(
            [OBSCONSOLE, *args], capture_output=True, text=True, timeout=timeout,
            env={**env, **(extra_env or {})},
        )
        record_output(args, proc.stdout, proc.stderr)
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    yield run
    # Nothing a test started through the CLI may outlive it.
    state = tmp_path / "state" / "obsconsole" / "engines"
    for record in state.glob("*.json") if state.exists() else []:
        subprocess.run([OBSCONSOLE, "engine", "stop", "--kind", record.stem], env=env, check=False)



# --- production shapes, one of each per test session (tests/test_production.py, tests/test_condition_matrix.py) ---

@pytest.fixture(scope="session")
def pgbouncer(native_engine: RunningEngine) -> Iterator[RunningEngine]:
    """pgbouncer (pool_mode=transaction, POOL_SIZE server sessions) in front of the native engine."""
    from tests.pooler import start_pgbouncer
    from tests.test_production import _started, _stop

    pooled = _started(lambda: start_pgbouncer(native_engine), "pgbouncer")
    yield pooled
    _stop(pooled)


@pytest.fixture(scope="session")
def standby(native_engine: RunningEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(primary DSN, standby DSN) of a database holding TimescaleDB and migrations 001-003 + 006, streamed to a
    hot standby of the native cluster."""
    from console.infra.dsn import ResolvedDsn
    from console.migrator import runner
    from tests.pooler import start_standby
    from tests.test_production import _started, _stop, keys_folder

    name = f"replica{os.getpid()}"
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    primary = _with_database(native_engine.dsn, name)
    with psycopg.connect(primary, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION timescaledb")
    runner.migrate(ResolvedDsn(primary, "test"), directory=keys_folder(tmp_path_factory.mktemp("standby")))
    replica = _started(lambda: start_standby(native_engine), "hot standby")
    yield primary, _with_database(replica.dsn, name)
    _stop(replica)
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
