"""The condition matrix's "server killed mid-command", the real thing (issue 21, point 7): the postmaster itself is
stopped the way a crash stops it (`pg_ctl stop -m immediate`: every server process quits at once, no checkpoint,
nothing flushed for the clients) while an obsconsole command is connected and working, then the server is
started again on the same data dir and port (crash recovery). tests/test_condition_matrix.py keeps the other
real condition, one backend terminated by an admin (pg_terminate_backend).

Its own small cluster, made and migrated once per test session (never the session cluster other tests use),
stopped at the end. A representative subset of the matrix's commands runs under it, each must give exit 0, 1 or
2, a refusal in at most three lines, no traceback and no password; the writes leave nothing half-applied: the
ledger and the objects agree (migrate), a seed block is all there, absent, or said in the output (seed), the
chunks a drop previews are all gone or all there (chunk drop). The console runs through a crash and a restart,
shows the loss, reconnects by itself and quits cleanly."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from console.engines import native
from console.engines.process import RunningEngine
from console.infra.errors import ConsoleError
from tests.conftest import IN_CI, OBSCONSOLE, SECRETS, record_output, register_dsn_password
from tests.test_condition_matrix import COMMANDS, MATRIX, Condition, Run, Terminal, _build, _env, _name, problems_of
from tests.test_production import keys_folder

pytestmark = pytest.mark.native

PROBE = "crash_probe"  # the table the crash cluster's pending migration creates (with its index, after a pause)
SEED_FROM, SEED_TO = "2020-01-01", "2020-01-02"  # the matrix's seed block
OLD_TO = "2019-01-02"  # a block made at build time for the real chunk drop (older than 2000 days)


@dataclass
class CrashServer:
    """A native cluster of its own, on a data dir kept across crashes: killed the way a crash kills it and
    started again on the same port (its DSN stays valid)."""

    workdir: Path
    engine: RunningEngine
    crashes: int = 0
    logs: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.workdir / "data"

    @property
    def dsn(self) -> str:
        return self.engine.dsn

    def crash(self) -> None:
        """`pg_ctl stop -m immediate`: the postmaster sends SIGQUIT to every server process and quits."""
        user = native._run_as_user()
        done = subprocess.run([str(native.pg_bin() / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate",
                               "-w", "-t", "30"], user=user, group=user, capture_output=True, text=True,
                              timeout=60, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        deadline = time.monotonic() + 30
        while self.engine.alive():
            assert time.monotonic() < deadline, "the postmaster outlived an immediate stop"
            time.sleep(0.02)
        self.logs.append(self.engine.log_tail(40))
        self.engine.remove_files()  # that start's sockets and log; the data dir stays
        self.crashes += 1

    def restart(self) -> None:
        """Start the server again on the same data dir and port: crash recovery, then ready."""
        self.engine = native.start(self.data)
        register_dsn_password(self.engine.dsn)

    def stop(self) -> None:
        self.engine.stop()
        alive = self.engine.alive()
        shutil.rmtree(self.workdir, ignore_errors=True)
        assert not alive, "the crash cluster left a process behind"


@pytest.fixture(scope="session")
def crash_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CrashServer, str, Path]]:
    """(server, DSN of its database, migrations folder): a small cluster of its own whose database holds
    TimescaleDB, migrations 001-003 + 006, a seeded day and an old block (for the chunk drop); the folder has one
    more migration, pending, that creates a table, pauses, then indexes it. Stopped (no process, no file left)
    at the end of the session."""
    user = native._run_as_user()
    workdir = Path(tempfile.mkdtemp(prefix="obsconsole-crash-"))
    if user:
        shutil.chown(workdir, user, user)
    try:
        engine = native.start(workdir / "data")
    except ConsoleError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        if IN_CI:
            pytest.fail(f"native engine unavailable in CI: {exc.message}")
        pytest.skip(f"native engine unavailable: {exc.message}")
    register_dsn_password(engine.dsn)
    server = CrashServer(workdir, engine)
    try:
        folder = keys_folder(tmp_path_factory.mktemp("crash"))
        state = tmp_path_factory.mktemp("crash-state")
        dsn = _build(engine.dsn, "crashdb", folder, state)
        with psycopg.connect(engine.dsn, autocommit=True) as admin:
            # A commit acknowledged to obsconsole must survive the crash (the engine's default, synchronous_commit
            # off, may lose the last ones: that would be the test cluster's doing, not the command's).
            admin.execute("ALTER DATABASE crashdb SET synchronous_commit = on")
        seeded = subprocess.run([OBSCONSOLE, "seed", "--days", "1", "--end", OLD_TO, "--spans", "50",
                                 "--no-aftercare", "--dsn", dsn], env=_env(state), capture_output=True, text=True,
                                timeout=120, check=False)
        record_output(["seed"], seeded.stdout, seeded.stderr)
        assert seeded.returncode == 0, seeded.stderr
        (folder / "008_crash_probe.sql").write_text(
            f"CREATE TABLE {PROBE} (id bigint PRIMARY KEY, note text);\n"
            "SELECT pg_sleep(0.5);\n"
            f"CREATE INDEX {PROBE}_note ON {PROBE} (note);\n")
        yield server, dsn, folder
    finally:
        server.stop()


# --- the runs ---------------------------------------------------------------------------------------------------

_DRY = ("--dry-run",)


def _doing(pattern: str, also: str = "true") -> str:
    """When to crash: a backend of the command runs (or has just run) a statement like `pattern` (ILIKE), and
    `also` holds (both SQL, read by the watcher on its own connection)."""
    return (f"EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'obsconsole' AND pid <> pg_backend_pid() "
            f"AND query ILIKE '{pattern}') AND {also}")


_ANY = _doing("_%")  # the command has sent its first statement: connected, past its start-up, at work
_SEEDING = _doing("%FROM STDIN%", f"EXISTS (SELECT FROM llm_traces WHERE ts >= '{SEED_FROM}' AND ts < '{SEED_TO}')")
# (the run, when the crash comes)
CRASH_RUNS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("status",), _ANY),
    (("verify", "--check-timeout", "1s"), _ANY),
    (("snapshot", "--timeout", "1s"), _ANY),
    (("migrate", "--lock-timeout", "300ms", "--lock-wait", "1s", "--dir", "{migrations}"), _doing("%pg_sleep%")),
    (("seed", "--days", "1", "--end", SEED_TO, "--spans", "60000", "--no-aftercare"), _SEEDING),  # 3 blocks: one is in
    (("job", "pause", "1", *_DRY), _ANY),
    (("cagg", "refresh", "llm_metrics_1hour", *_DRY), _ANY),
    (("chunk", "compress", "--table", "llm_traces", "--older-than", "1d", *_DRY), _ANY),
    (("policy", "retention", "llm_traces", "--after", "400d", *_DRY), _ANY),
    (("backend", "terminate", "{pid}", *_DRY), _ANY),
    (("chunk", "drop", "--table", "llm_traces", "--older-than", "2000d", "--yes", "--lock-timeout", "300ms"),
     _doing("%drop_chunks%")),
    (("keys", "list"), _ANY),
    (("prices", "list"), _ANY),
    (("fleet", "--json", "--timeout", "2"), _ANY),
    (("metrics", "--timeout", "2"), _ANY),
    (("record", "--out", "{state}/crash.obsrec", "--count", "1", "--verify-every", "off"), _ANY),
)


def test_the_crash_runs_are_matrix_commands() -> None:
    """Each run is a command of the app (the matrix's own table), with options it takes."""
    for args, _when in CRASH_RUNS:
        name = _name(args)
        assert name in MATRIX and name in COMMANDS, args
        assert {a for a in args if a.startswith("--")} <= COMMANDS[name], (args, COMMANDS[name])


def _spans(dsn: str, start: str, end: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM llm_traces WHERE ts >= %s AND ts < %s",
                           (start, end)).fetchone()
    return int(row[0]) if row else 0


def _old_chunks(dsn: str) -> list[str]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute("SELECT chunk_name FROM timescaledb_information.chunks WHERE hypertable_name = "
                            "'llm_traces' AND range_end < now() - interval '2000 days' ORDER BY 1").fetchall()
    return [str(r[0]) for r in rows]


def _probe(dsn: str) -> tuple[bool, bool, bool]:
    """(ledger row 8 with success, the probe table exists, its index exists)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(f"SELECT EXISTS (SELECT FROM _sqlx_migrations WHERE version = 8 AND success), "
                           f"to_regclass('{PROBE}') IS NOT NULL, to_regclass('{PROBE}_note') IS NOT NULL").fetchone()
    assert row is not None
    return bool(row[0]), bool(row[1]), bool(row[2])


@contextlib.contextmanager
def crashing(server: CrashServer, dsn: str, proc: subprocess.Popen[str], when: str) -> Iterator[list[bool]]:
    """While the block runs, crash the server as soon as `when` (SQL, see _doing; read on `dsn`) holds; says
    whether the command `proc` was still running at that moment (it must be: the crash comes mid-command)."""
    mid: list[bool] = []
    stop = threading.Event()

    def loop() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            while not stop.is_set() and proc.poll() is None:
                seen = conn.execute(f"SELECT {when}").fetchone()
                if seen and seen[0]:
                    mid.append(proc.poll() is None)
                    server.crash()
                    return
                stop.wait(0.005)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield mid
    finally:
        stop.set()
        thread.join(60)


def _fill(args: tuple[str, ...], state: Path, migrations: Path, pid: int) -> tuple[str, ...]:
    return tuple(a.replace("{state}", str(state)).replace("{migrations}", str(migrations))
                 .replace("{pid}", str(pid)) for a in args)


@pytest.mark.parametrize("command", [" ".join(args) for args, _when in CRASH_RUNS],
                         ids=[" ".join(args[:3]) for args, _when in CRASH_RUNS])
def test_every_command_survives_the_server_crashing_mid_command(crash_server: tuple[CrashServer, str, Path],
                                                                tmp_path: Path, command: str) -> None:
    server, dsn, migrations = crash_server
    bystander = psycopg.connect(dsn, autocommit=True, application_name="bystander")  # for `backend terminate`
    args, when = next((a, w) for a, w in CRASH_RUNS if " ".join(a) == command)
    args = _fill(args, tmp_path, migrations, bystander.info.backend_pid)
    seed_before, old_before = _spans(dsn, SEED_FROM, SEED_TO), _old_chunks(dsn)
    argv = [*args, "--dsn", dsn] if "--dsn" in COMMANDS[_name(args)] else list(args)
    crashes = server.crashes
    proc = subprocess.Popen([OBSCONSOLE, *argv], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(tmp_path) | {"OBSCONSOLE_DSN": dsn})
    try:
        with crashing(server, dsn, proc, when) as mid:
            stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        with contextlib.suppress(psycopg.Error):
            bystander.close()
        if server.crashes > crashes:
            server.restart()  # the server started again: what comes next is read after its crash recovery
    record_output(argv, stdout, stderr)
    run = Run(args, proc.returncode, stdout, stderr)
    assert mid == [True], f"the crash did not come mid-command ({mid}): {run.output[-1500:]}"

    found = problems_of(run, Condition("crashed", dsn, None, dsn))
    if any(text in run.output for text in ("error ignored", "This probably means", "consuming input failed",
                                           "sending query")):
        found.append("the driver's own warning beside the obsconsole: line")
    if args[0] == "migrate":
        ledger, table, index = _probe(dsn)
        if ledger != (table and index) or table != index:
            found.append(f"migration 008 half-applied: ledger {ledger}, table {table}, index {index}")
    if args[0] == "seed":
        written = _spans(dsn, SEED_FROM, SEED_TO) - seed_before
        if written and run.code != 0 and f"after {written:,} spans" not in run.output:
            found.append(f"{written} spans written and not said: {run.output[-500:]}")
        if run.code == 0 and written != 60_000:
            found.append(f"seed said done and {written} of its 60,000 spans are there")
    if args[:2] == ("chunk", "drop"):
        assert old_before, "the old block the drop is for is missing"
        left = _old_chunks(dsn)
        if left not in (old_before, []):
            found.append(f"chunk drop half-done: {old_before} -> {left}")
        if run.code == 0 and old_before and left:
            found.append(f"chunk drop said done and left {left}")
    assert not found, (found, run.code, run.output[-2000:])


def test_the_console_rides_out_a_crash_and_a_restart(crash_server: tuple[CrashServer, str, Path],
                                                     tmp_path: Path) -> None:
    server, dsn, _ = crash_server
    terminal = Terminal(dsn, tmp_path)
    crashes = server.crashes
    try:
        terminal.wait_for(lambda text: text.count("refreshed ") >= 2)
        server.crash()
        terminal.wait_for(lambda text: "disconnected" in text)
        assert terminal.proc.poll() is None, "the console exited when the server crashed"
        server.restart()
        seen = terminal.text().count("refreshed ")
        terminal.wait_for(lambda text: text.count("refreshed ") >= seen + 2)  # it reconnected by itself
        terminal.press("q")
    finally:
        code = terminal.close()
        if server.crashes > crashes and not server.engine.alive():
            server.restart()
    text = terminal.text()
    record_output(["console", "crashed"], text, "")
    assert code == 0, text[-2000:]
    assert "Traceback" not in text and "unexpected error" not in text, text[-3000:]
    assert not any(secret in text for secret in {s for s in SECRETS if s}), "a password on the screen"
