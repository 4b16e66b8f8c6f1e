"""Fixtures: real engines only. `native_db` is a fresh database on a native cluster (one per pytest process: one
per xdist worker); `tsl_db` is a fresh tsl engine per test (it holds one database and one connection), started
on a copy of a pristine data dir made once per run. `native_migrated_db`, `tsl_migrated_db` and
`tsl_seeded_db` are the same, already migrated (and seeded): cloned from a template database (built once per
process) / copied from a template data dir (built once per run, shared by the xdist workers). `cli` runs the CLI
in this process (tests/inprocess.py). With CI=true a missing engine is an error, never a skip.

Every test carries an engine marker (`native`, `tsl`, or `engineless`), set here from the fixtures it uses when
its module does not say; `slow` marks the tests `make test-fast` leaves out."""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg
import pytest

from console import engines
from console.engines import RunningEngine
from console.infra.errors import ConsoleError
from tests import inprocess, slow_tier

# pytest imports this file as `conftest`, test modules as `tests.conftest`: make both names one module, or the
# `cli` fixture records into one copy while tests/test_zz_secrets.py scans the other (and skips, seeing nothing).
sys.modules.setdefault("tests.conftest" if __name__ == "conftest" else "conftest", sys.modules[__name__])

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
OBSCONSOLE = str(Path(sys.executable).with_name("obsconsole"))
_db_numbers = itertools.count(1)
ALWAYS_PROCESS = os.environ.get("OBSCONSOLE_TEST_CLI") == "process"  # the `cli` fixture: no in-process runs

# Every password this session knows (engines' DSN passwords, and literal ones tests put in DSNs), and every CLI
# output recorded by `cli` (and by tests' own subprocess helpers, via record_output): tests/test_zz_secrets.py,
# ordered last, checks that no output contains any of them. Under pytest-xdist each worker writes its own to
# RECORDS_DIR when it finishes, and the scan reads them all (see other_workers_records).
SECRETS: set[str] = {"S3cret-Wrong-Pass", "hunter2-port", "pass-in-bad-dsn", "pw-secret"}
RECORDS_ENV = "OBSCONSOLE_TEST_RECORDS"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


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


def pytest_configure(config: pytest.Config) -> None:
    """The xdist controller (or a plain run) makes the folder the workers leave their records in."""
    if not WORKER and RECORDS_ENV not in os.environ:
        os.environ[RECORDS_ENV] = tempfile.mkdtemp(prefix="obsconsole-test-records-")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker leaves what it recorded for the worker that runs the secrets scan (written whole, then renamed)."""
    folder = os.environ.get(RECORDS_ENV)
    if WORKER and folder:
        records = {"secrets": sorted(SECRETS), "outputs": [asdict(r) for r in CLI_OUTPUTS]}
        partial = Path(folder) / f"{WORKER}.json.partial"
        partial.write_text(json.dumps(records))
        partial.rename(Path(folder) / f"{WORKER}.json")
    elif not WORKER and folder:  # the controller, or a plain run: every worker has finished
        shutil.rmtree(folder, ignore_errors=True)


def other_workers_records() -> tuple[set[str], list[RecordedOutput]]:
    """Under xdist, the secrets and outputs of every other worker, once each has finished its tests (the scan is
    the last item handed out, so they all will); nothing in a plain run."""
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    folder = Path(os.environ.get(RECORDS_ENV, ""))
    if not WORKER or count < 2:
        return set(), []
    others = [folder / f"gw{n}.json" for n in range(count) if f"gw{n}" != WORKER]
    while not all(path.exists() for path in others):  # pytest-timeout bounds this wait
        time.sleep(0.2)
    secrets: set[str] = set()
    outputs: list[RecordedOutput] = []
    for path in others:
        records = json.loads(path.read_text())
        secrets.update(records["secrets"])
        outputs += [RecordedOutput(tuple(r["args"]), r["stdout"], r["stderr"]) for r in records["outputs"]]
    return secrets, outputs


ENGINE_MARKS = ("native", "tsl", "engineless")
# The `slow` tier is measured, not guessed: tests/slow_tests.txt lists every test whose setup + call + teardown took
# SLOW_S seconds or more in a whole-suite run here (regenerate it with `python -m tests.slow_tier --over SLOW_S
# REPORT` from that run's --junitxml or --durations=0 report); SLOW_S is chosen so that `make test-fast` (the rest)
# fits in 3 minutes. A new test is in the fast tier until the next measurement. One module is `slow` as a whole,
# by its own mark: the golden screens (tests/test_tui_golden.py: their shared engines are most of their cost).
SLOW_S = 2.0
SLOW_TESTS = frozenset(line.strip() for line in (Path(__file__).parent / "slow_tests.txt").read_text().splitlines()
                       if line.strip() and not line.startswith("#"))
_NATIVE_FIXTURES = {"native_engine", "golden_native", "own_cluster", "standby_primary"}
_TSL_FIXTURES = {"tsl_db", "tsl_migrated_db", "tsl_seeded_db", "golden_tsl", "tsl_templates"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The secrets scan (tests/test_zz_secrets.py) runs after every other test, over everything they printed.
    The tests listed in tests/slow_tests.txt are `slow`. Every test gets an engine marker from the fixtures it
    uses, unless it or its module carries one."""
    items.sort(key=lambda item: item.path.name == "test_zz_secrets.py")
    for item in items:
        if slow_tier.node_id(item.nodeid) in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
        if any(item.get_closest_marker(mark) for mark in ENGINE_MARKS):
            continue
        used = set(getattr(item, "fixturenames", ()))
        if used & _NATIVE_FIXTURES:
            item.add_marker(pytest.mark.native)
        if used & _TSL_FIXTURES:
            item.add_marker(pytest.mark.tsl)
        if not used & (_NATIVE_FIXTURES | _TSL_FIXTURES):
            item.add_marker(pytest.mark.engineless)


@dataclass
class TestDb:
    """A database for one test: its DSN and the engine serving it."""

    __test__ = False
    dsn: str
    engine: RunningEngine


def _start(kind: str, data_dir: Path | None = None) -> RunningEngine:
    try:
        return engines.start(kind, data_dir)
    except ConsoleError as exc:
        if IN_CI:
            pytest.fail(f"{kind} engine unavailable in CI: {exc.message}")
        pytest.skip(f"{kind} engine unavailable: {exc.message}")


def _with_database(dsn: str, name: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    info["dbname"] = name
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})


def obsconsole(*args: str) -> None:
    """`obsconsole ARGS` for a fixture's set-up, run in this process (tests/inprocess.py) with a private state
    dir and no DSN env, recorded for the secrets scan; it must succeed."""
    env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
    with tempfile.TemporaryDirectory(prefix="obsconsole-fixture-state-") as state:
        code, stdout, stderr = inprocess.run(args, {**env, "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state,
                                                    "COLUMNS": "200"})
    record_output(args, stdout, stderr)
    assert code == 0, stdout + stderr


# --- native: one cluster per process, databases per test (fresh, or cloned from a migrated template) ---------------

@pytest.fixture(scope="session")
def native_engine() -> Iterator[RunningEngine]:
    engine = _start("native")
    register_dsn_password(engine.dsn)
    yield engine
    engine.stop()
    assert not engine.alive(), "native engine left a process behind"


def _create_database(admin_dsn: str, name: str, template: str = "template0") -> None:
    """CREATE DATABASE from `template`; a template database's last sessions (TimescaleDB's scheduler, which the
    launcher may just have started for it) are ended first, as CREATE DATABASE wants it to itself."""
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        for attempt in itertools.count():
            if template != "template0":
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                              (template,))
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
            except psycopg.errors.ObjectInUse:
                if attempt >= 20:
                    raise


def _drop_database(admin_dsn: str, name: str) -> None:
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def native_db(native_engine: RunningEngine) -> Iterator[TestDb]:
    """A fresh database with TimescaleDB created, dropped after the test."""
    name = f"t{os.getpid()}_{next(_db_numbers)}"
    _create_database(native_engine.dsn, name)
    dsn = _with_database(native_engine.dsn, name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION timescaledb")
    yield TestDb(dsn, native_engine)
    _drop_database(native_engine.dsn, name)


@pytest.fixture
def native_plain_db(native_engine: RunningEngine) -> Iterator[TestDb]:
    """A fresh database WITHOUT TimescaleDB (the extension is available on the server, not created)."""
    name = f"plain{os.getpid()}_{next(_db_numbers)}"
    _create_database(native_engine.dsn, name)
    yield TestDb(_with_database(native_engine.dsn, name), native_engine)
    _drop_database(native_engine.dsn, name)


@pytest.fixture(scope="session")
def native_migrated_template(native_engine: RunningEngine) -> str:
    """A template database holding TimescaleDB and migrations 001-003 (all the Apache edition takes), migrated
    once per process; it accepts no connections (so TimescaleDB's scheduler stays out of it) and is dropped with
    the cluster."""
    name = f"migrated{os.getpid()}"
    _create_database(native_engine.dsn, name)
    dsn = _with_database(native_engine.dsn, name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION timescaledb")
    obsconsole("migrate", "--dsn", dsn, "--to", "3")
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true')
    return name


@pytest.fixture
def native_migrated_db(native_engine: RunningEngine, native_migrated_template: str) -> Iterator[TestDb]:
    """A fresh database with TimescaleDB and migrations 001-003 applied (as `migrate --to 3` leaves it), cloned
    from the template; dropped after the test."""
    name = f"m{os.getpid()}_{next(_db_numbers)}"
    _create_database(native_engine.dsn, name, native_migrated_template)
    yield TestDb(_with_database(native_engine.dsn, name), native_engine)
    _drop_database(native_engine.dsn, name)


# --- tsl: an engine per test, on a copy of a data dir made once per process ----------------------------------------

@pytest.fixture(scope="session")
def tsl_templates(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """`template(stage)`: a stopped tsl engine's data dir at `stage` ("pristine": TimescaleDB created; "migrated":
    every migration applied; "seeded": migrated, then `seed --days 9 --rate 40`), built the first time it is
    asked for, once per test run: under xdist the workers share them (the first to ask builds it, under a file
    lock, the others wait for it; a worker never writes to a template, it starts engines on copies)."""
    shared = tmp_path_factory.getbasetemp().parent if WORKER else None  # the run's folder, above each worker's
    root = shared / "tsl-templates" if shared else tmp_path_factory.mktemp("tsl-templates")
    root.mkdir(exist_ok=True)
    built: dict[str, Path] = {}

    def template(stage: str) -> Path:
        if stage in built:
            return built[stage]
        source = None if stage == "pristine" else template("pristine" if stage == "migrated" else "migrated")
        data, done = root / stage / "data", root / stage / "built"
        with (root / f"{stage}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not done.exists():
                shutil.rmtree(root / stage, ignore_errors=True)
                _build_template(stage, data, source)
                done.touch()
        built[stage] = data
        return data

    return template


def _build_template(stage: str, data: Path, source: Path | None) -> None:
    if source is None:
        _start("tsl", data).stop()
        return
    shutil.copytree(source, data)
    engine = _start("tsl", data)
    try:
        register_dsn_password(engine.dsn)
        if stage == "migrated":
            obsconsole("migrate", "--dsn", engine.dsn)
        else:
            obsconsole("seed", "--dsn", engine.dsn, "--days", "9", "--rate", "40")
    finally:
        engine.stop()


def _tsl_on_copy(template: Path, tmp_path: Path) -> Iterator[TestDb]:
    data = tmp_path / "tsl-engine" / "data"
    shutil.copytree(template, data)
    engine = _start("tsl", data)
    register_dsn_password(engine.dsn)
    yield TestDb(engine.dsn, engine)
    engine.stop()
    assert not engine.alive(), "tsl engine left a process behind"
    shutil.rmtree(data.parent, ignore_errors=True)


@pytest.fixture
def tsl_db(tsl_templates: Callable[[str], Path], tmp_path: Path) -> Iterator[TestDb]:
    """A fresh tsl engine for this test (TimescaleDB created, nothing else), stopped afterwards with no process
    left. It starts on a copy of a pristine data dir: 1-2 s, where creating one in memory took 4-5 s."""
    yield from _tsl_on_copy(tsl_templates("pristine"), tmp_path)


@pytest.fixture
def tsl_migrated_db(tsl_templates: Callable[[str], Path], tmp_path: Path) -> Iterator[TestDb]:
    """A fresh tsl engine for this test with every migration applied (as `obsconsole migrate` leaves it)."""
    yield from _tsl_on_copy(tsl_templates("migrated"), tmp_path)


@pytest.fixture
def tsl_seeded_db(tsl_templates: Callable[[str], Path], tmp_path: Path) -> Iterator[TestDb]:
    """A fresh tsl engine for this test, migrated and seeded (`seed --days 9 --rate 40`, once per process: the
    rows end when the template was made, not when the test starts)."""
    yield from _tsl_on_copy(tsl_templates("seeded"), tmp_path)


# --- the CLI ---------------------------------------------------------------------------------------------------

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
    """`cli(*ARGS)` runs `obsconsole ARGS` as a user would, with a private state dir and no DSN env: in this
    process, through the installed script's entry function (tests/inprocess.py: same argv, environment, streams
    and exit code as a fresh process; an escaping exception is a traceback on stderr and exit 1), in ~10 ms
    where a process costs 0.35-0.65 s. `stdin` is its input (default: empty, like /dev/null).

    `process=True` starts the installed script instead; a test asks for it where a process is the point:
    signals, a terminal, two obsconsole processes at once, a `timeout` that must kill a hang, a child (an
    engine) that outlives the command. The in-process call has no timeout of its own (pytest-timeout).
    OBSCONSOLE_TEST_CLI=process runs every call as a process (to compare, or to rule the runner out)."""
    env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # no keymap of the machine's user
    env["COLUMNS"] = "200"

    def run(*args: str, timeout: float = 120, extra_env: dict[str, str] | None = None, process: bool = False,
            stdin: str | bytes = "") -> CliResult:
        if process or ALWAYS_PROCESS:
            proc = subprocess.run([OBSCONSOLE, *args], capture_output=True, timeout=timeout,
                                  input=stdin.encode() if isinstance(stdin, str) else stdin,
                                  env={**env, **(extra_env or {})})
            code, stdout, stderr = proc.returncode, inprocess.decoded(proc.stdout), inprocess.decoded(proc.stderr)
        else:
            code, stdout, stderr = inprocess.run(args, {**env, **(extra_env or {})}, stdin)
        record_output(args, stdout, stderr)
        return CliResult(code, stdout, stderr)

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
def standby_primary() -> Iterator[RunningEngine]:
    """A small native cluster of its own for the hot standbys to copy (pg_basebackup of the session cluster copied
    every test database made before it: 115 s); it holds the `standby` fixture's database only."""
    from console.engines import native
    from tests.test_production import _started, _stop

    engine = _started(native.start, "native engine (the standby's primary)")
    register_dsn_password(engine.dsn)
    yield engine
    _stop(engine)


@pytest.fixture(scope="session")
def standby(standby_primary: RunningEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(primary DSN, standby DSN) of a database holding TimescaleDB and migrations 001-003 + 006, streamed to a
    hot standby of the primary's cluster (`standby_primary`)."""
    from console.infra.dsn import ResolvedDsn
    from console.migrator import runner
    from tests.pooler import start_standby
    from tests.test_production import _started, _stop, keys_folder

    name = f"replica{os.getpid()}"
    with psycopg.connect(standby_primary.dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    primary = _with_database(standby_primary.dsn, name)
    with psycopg.connect(primary, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION timescaledb")
    runner.migrate(ResolvedDsn(primary, "test"), directory=keys_folder(tmp_path_factory.mktemp("standby")))
    replica = _started(lambda: start_standby(standby_primary), "hot standby")
    yield primary, _with_database(replica.dsn, name)
    _stop(replica)
