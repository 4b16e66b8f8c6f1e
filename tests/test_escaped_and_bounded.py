"""Everything printed is escaped and every input is bounded (issue 21, point 6), through the `obsconsole` script a
user runs: names holding ESC/OSC bytes in action plans, query text with passwords in every quoting form, DSNs in
usage errors, out-of-range ages and dates, hostile keymaps and paths, and engine state files that point at
another process."""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from rich.console import Console
from textual.widgets import DataTable, Static

from console.engines.process import Identity, identity
from console.infra.dsn import ResolvedDsn
from console.infra.resources import MIGRATIONS_DIR
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.screens.verify import VerifyScreen
from tests import inprocess
from tests.conftest import SECRETS, CliResult, TestDb, record_output, register_dsn_password
from tests.test_production import one_line
from tests.tui_helpers import palette_drop_chunks, wait_for

Cli = Callable[..., CliResult]

# A name a hostile (or careless) owner gives a chunk: an OSC title change, a BEL, and a clear-screen CSI.
HOSTILE = "evil\x1b]0;pwned\x07\x1b[2J\x9b"
SHOWN = "evil\\x1b]0;pwned\\x07\\x1b[2J\\x9b"



def no_control(text: str) -> None:
    """No ESC, BEL or C1 control reached the output."""
    for char in ("\x1b", "\x07", "\x9b"):
        assert char not in text, repr(text)


def _scalar(dsn: str, sql: str) -> Any:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None


@pytest.mark.tsl
def test_a_chunk_named_with_escape_sequences_is_printed_escaped_by_every_chunk_action(
        cli: Cli, tsl_migrated_db: TestDb) -> None:
    dsn = tsl_migrated_db.dsn
    assert cli("seed", "--dsn", dsn, "--days", "4", "--rate", "5", "--no-aftercare").code == 0
    assert cli("chunk", "compress", "--table", "llm_traces", "--older-than", "1d", "--yes", "--dsn", dsn).code == 0
    old = _scalar(dsn, "SELECT format('%I.%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks "
                       "WHERE hypertable_name = 'llm_traces' AND is_compressed ORDER BY range_start LIMIT 1")
    assert old is not None
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'ALTER TABLE {old} RENAME TO "{HOSTILE}"')
    assert _scalar(dsn, "SELECT count(*) FROM timescaledb_information.chunks WHERE chunk_name LIKE 'evil%'") == 1

    runs = {
        "decompress by age": cli("chunk", "decompress", "--table", "llm_traces", "--older-than", "1d", "--dry-run",
                                 "--dsn", dsn),
        "decompress by name": cli("chunk", "decompress", HOSTILE, "--dry-run", "--dsn", dsn),
        "compress (already compressed note)": cli("chunk", "compress", HOSTILE, "--dry-run", "--dsn", dsn),
        "drop": cli("chunk", "drop", "--table", "llm_traces", "--older-than", "1d", "--dry-run", "--dsn", dsn),
    }
    for what, result in runs.items():
        assert result.code == 0, (what, result.output)
        no_control(result.output)
        assert SHOWN in result.stdout, (what, result.stdout)
    by_name = runs["decompress by name"].stdout
    assert "SELECT decompress_chunk" in by_name or "CALL convert_to_rowstore" in by_name
    sql_lines = [line for line in by_name.splitlines() if "_timescaledb_internal" in line and "(" in line]
    assert sql_lines and all(SHOWN in line for line in sql_lines), by_name
    assert f"{SHOWN}\" is already compressed: left alone" in runs["compress (already compressed note)"].stdout
    # Nothing ran (dry runs), and the audit log as `audit` prints it is escaped too.
    assert _scalar(dsn, "SELECT is_compressed FROM timescaledb_information.chunks WHERE chunk_name LIKE 'evil%'")
    audit = cli("audit")
    assert audit.code == 0 and SHOWN in audit.stdout, audit.output
    no_control(audit.output)


# Passwords in each quoting form PostgreSQL reads; registered with the session's secrets scan (test_zz_secrets).
PASSWORDS = ("pw-plain-lit", "pw-escaped", "pw-dollar-tag", "pw-dollar-bare", "pw-unicode-lit")
SECRETS.update(PASSWORDS)


@pytest.mark.native
def test_backend_cancel_masks_password_literals_in_every_quoting_form_on_screen_and_in_the_audit(
        cli: Cli, native_db: TestDb) -> None:
    dsn = native_db.dsn
    query = ("SELECT pg_sleep(60), 'pw-plain-lit', E'pw-escaped\\'-lit', $q$pw-dollar-tag$q$, "
             "$$pw-dollar-bare$$, U&'pw-unicode-lit' /* \x1b]0;t\x07 */")
    failures: list[BaseException] = []
    with psycopg.connect(dsn, autocommit=True) as waiter:
        pid = waiter.info.backend_pid

        def wait() -> None:
            try:
                waiter.execute(query)
            except psycopg.Error as exc:
                failures.append(exc)

        thread = threading.Thread(target=wait)
        thread.start()
        deadline = time.monotonic() + 10
        while _scalar(dsn, f"SELECT state FROM pg_stat_activity WHERE pid = {pid}") != "active":
            assert time.monotonic() < deadline and not failures, failures
            time.sleep(0.05)
        cancelled = cli("backend", "cancel", str(pid), "--yes", "--dsn", dsn)
        thread.join(10)
    assert cancelled.code == 0, cancelled.output
    assert len(failures) == 1 and isinstance(failures[0], psycopg.errors.QueryCanceled)
    shown = next(line for line in cancelled.stdout.splitlines() if "query:" in line)
    assert shown.count("'…'") == 5 and "pg_sleep(60)" in shown and "/* \\x1b]0;t\\x07 */" in shown, shown
    entries = json.loads(cli("audit", "--json").stdout)["entries"]
    assert any(any("query: SELECT pg_sleep(60)" in t for t in e["touches"]) for e in entries)
    for password in PASSWORDS:
        assert password not in cancelled.output and password not in json.dumps(entries)
    no_control(cancelled.output)


DSN_ARG = "postgresql://someone:pw-secret@127.0.0.1:1/db"


@pytest.mark.parametrize("args", [("status", DSN_ARG), (DSN_ARG,), ("verify", "--json", DSN_ARG),
                                  ("status", "host=127.0.0.1 password=pw-secret")])
def test_a_dsn_given_without_dsn_flag_is_masked_in_the_usage_error(cli: Cli, args: tuple[str, ...]) -> None:
    line = one_line(cli(*args), 2)
    assert "pw-secret" not in line and "***" in line, line


def _state_file(tmp_path: Path, kind: str, record: dict[str, object]) -> Path:
    path = tmp_path / "state" / "obsconsole" / "engines" / f"{kind}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record))
    return path


def _exec_done(pid: int, cmdline: tuple[str, ...]) -> Identity:
    """The identity of `pid` once it runs `cmdline` (a child read between its fork and its exec still shows the
    parent's command line)."""
    deadline = time.monotonic() + 30
    while (found := identity(pid)) is None or found.cmdline != cmdline:
        assert time.monotonic() < deadline, f"pid {pid} never ran {cmdline}: {found}"
        time.sleep(0.01)
    return found


@pytest.mark.parametrize("case", ["no identity recorded", "another command line", "another start time", "pid 1",
                                  "pid 0"])
def test_engine_stop_and_status_act_only_on_the_engine_they_started(cli: Cli, tmp_path: Path, case: str) -> None:
    sleeper = subprocess.Popen(["sleep", "300"], start_new_session=True)
    precious = Path(tempfile.mkdtemp(prefix="obsconsole-tsl-"))  # looks like an engine's folder, is not listed
    listed = tmp_path / "precious"  # listed, but not the engine's own
    listed.mkdir()
    try:
        me = _exec_done(sleeper.pid, ("sleep", "300"))
        record: dict[str, object] = {
            "kind": "tsl", "dsn": "postgresql://postgres:pw-secret@127.0.0.1:1/postgres", "pid": sleeper.pid,
            "log_path": str(tmp_path / "server.log"), "data_dir": None, "remove_on_stop": [str(listed), "/"],
            "stop_signal": 15, "start_time": me.start_time, "cmdline": list(me.cmdline)}
        if case == "no identity recorded":
            del record["start_time"], record["cmdline"]
        elif case == "another command line":
            record["cmdline"] = ["node", "tsl-server.mjs", "--port", "1"]
        elif case == "another start time":
            record["start_time"] = me.start_time - 1
        else:
            record["pid"] = int(case.split()[1])
        state = _state_file(tmp_path, "tsl", record)
        status = cli("engine", "status", "--kind", "tsl")
        assert status.code == 1 and status.stderr == "" and len(status.stdout.strip().splitlines()) == 1
        assert "not running" in status.stdout, status.stdout
        one_line(cli("engine", "stop", "--kind", "tsl"), 2, "not stopped", "nothing was signalled or deleted")
        assert sleeper.poll() is None and identity(sleeper.pid) == me  # not killed
        assert listed.is_dir() and precious.is_dir() and state.exists()  # nothing deleted
    finally:
        sleeper.kill()
        sleeper.wait()
        shutil.rmtree(precious)


def test_engine_stop_after_the_engine_died_removes_only_its_own_folders(cli: Cli, tmp_path: Path) -> None:
    own = Path(tempfile.mkdtemp(prefix="obsconsole-tsl-"))
    other = tmp_path / "precious"
    other.mkdir()
    gone = subprocess.Popen(["true"])
    gone.wait()
    state = _state_file(tmp_path, "tsl", {
        "kind": "tsl", "dsn": "postgresql://postgres@127.0.0.1:1/postgres", "pid": gone.pid,
        "log_path": str(own / "server.log"), "data_dir": None, "remove_on_stop": [str(own), str(other)],
        "stop_signal": 15, "start_time": 1, "cmdline": ["true"]})
    stopped = cli("engine", "stop", "--kind", "tsl")
    assert stopped.code == 0 and "was not running" in stopped.stdout, stopped.output
    assert not own.exists() and other.is_dir() and not state.exists()


@pytest.mark.parametrize("content", ["{", "[]", '{"kind": "tsl"}', '{"kind": "tsl", "dsn": "", "pid": "1", '
                                     '"log_path": "", "data_dir": null, "remove_on_stop": [], "stop_signal": 15}'])
def test_a_damaged_engine_state_file_is_one_line(cli: Cli, tmp_path: Path, content: str) -> None:
    path = tmp_path / "state" / "obsconsole" / "engines" / "native.json"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    one_line(cli("engine", "stop", "--kind", "native"), 2, "is damaged")
    one_line(cli("engine", "status", "--kind", "native"), 2, "is damaged")
    assert path.exists()


@pytest.mark.tsl
def test_a_tsl_engine_restarted_on_its_data_dir_reads_community(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "tsl-data"
    # A real process: the engine must outlive the command that started it (in this process it would be our child).
    first = cli("engine", "start", "--kind", "tsl", "--data-dir", str(data), process=True)
    assert first.code == 0, first.output
    register_dsn_password(first.stdout.strip())
    assert cli("engine", "stop", "--kind", "tsl").code == 0
    again = cli("engine", "start", "--kind", "tsl", "--data-dir", str(data), process=True)
    assert again.code == 0, again.output
    dsn = again.stdout.strip()
    try:
        doctor = cli("doctor", "--dsn", dsn)
        assert doctor.code == 0, doctor.output
        assert "community (timescaledb.license=timescale)" in doctor.stdout, doctor.stdout
        # A Community action is planned, not refused for the edition.
        assert cli("migrate", "--dsn", dsn).code == 0
        planned = cli("policy", "retention", "llm_logs", "--after", "30d", "--dry-run", "--dsn", dsn)
        assert planned.code == 0 and "dry run:" in planned.stdout, planned.output
    finally:
        assert cli("engine", "stop", "--kind", "tsl").code == 0


OUT_OF_RANGE = [
    ("cagg", "refresh", "cost_analysis_hourly", "--from", "999999w", "--yes"),
    ("cagg", "refresh", "cost_analysis_hourly", "--to", "0001-01-01T00:00+01:00", "--yes"),
    ("snapshot", "--window", "999999w"),
    ("snapshot", "--start", "0001-01-01", "--end", "2026-01-01"),
    ("snapshot", "--start", "9999-12-31T23:00", "--end", "9999-12-31T23:59"),
    ("seed", "--end", "0001-01-01"),
    ("seed", "--end", "0001-01-20", "--days", "30"),
    ("chunk", "drop", "--table", "llm_logs", "--older-than", "999999w", "--yes"),
    ("policy", "retention", "llm_logs", "--after", "999999w", "--yes"),
    ("job", "schedule", "1", "999999w", "--yes"),
]


@pytest.mark.native
@pytest.mark.parametrize("args", OUT_OF_RANGE, ids=[" ".join(a) for a in OUT_OF_RANGE])
def test_ages_and_dates_outside_the_range_are_one_line_and_change_nothing(
        cli: Cli, native_db: TestDb, args: tuple[str, ...]) -> None:
    before = _scalar(native_db.dsn, "SELECT count(*) FROM pg_class")
    one_line(cli(*args, "--dsn", native_db.dsn), 2, "out of range", "0001-01-08 to 9999-12-24 UTC")
    assert _scalar(native_db.dsn, "SELECT count(*) FROM pg_class") == before


NOWHERE = "host=127.0.0.1 port=9 dbname=x user=x password=pw-secret connect_timeout=1"


def _hostile(path: Path, kind: str) -> None:
    if kind == "FIFO":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "deep arrays":
        path.write_text('"dashboard.refresh" = ' + "[" * 20_000 + "]" * 20_000 + "\n")
    elif kind == "deep inline tables":
        path.write_text("a = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n")
    elif kind == "deep dotted key":
        path.write_text(".".join(["a"] * 5_000) + ' = "f5"\n')
    elif kind == "deep headers":
        path.write_text("[" + ".".join(["t"] * 5_000) + ']\nk = "f5"\n')
    elif kind == "huge":
        path.write_text('"dashboard.refresh" = "f5"\n' + "# padding\n" * 200_000)
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00\x1b]0;x\x07" * 10)
    elif kind == "control key":
        path.write_text('"dashboard.refresh" = "f5\\u001b]0;x\\u0007"\n')


KEYMAP_CASES = {"FIFO": "is a FIFO, not a regular file", "directory": "is a directory, not a regular file",
                "deep arrays": "deeper than", "deep inline tables": "deeper than", "deep dotted key": "deeper than",
                "deep headers": "deeper than", "huge": "larger than", "binary": "is not UTF-8 text",
                "control key": "dashboard.refresh takes keys as a string"}


@pytest.mark.parametrize("kind", list(KEYMAP_CASES))
def test_a_hostile_keymap_is_one_line_before_connecting(cli: Cli, tmp_path: Path, kind: str) -> None:
    config = tmp_path / "config"
    (config / "obsconsole").mkdir(parents=True)
    path = config / "obsconsole" / "keymap.toml"
    _hostile(path, kind)
    # A FIFO keymap would block a reader forever: a real process, so the timeout can end a hang.
    result = cli("--dsn", NOWHERE, timeout=30, extra_env={"XDG_CONFIG_HOME": str(config)}, process=kind == "FIFO")
    one_line(result, 2, f"keymap {path}", KEYMAP_CASES[kind])
    assert result.stdout == ""


@pytest.mark.native
@pytest.mark.parametrize("kind", ["FIFO", "directory", "binary"])
def test_a_migration_or_expectations_file_that_is_not_a_regular_text_file_never_hangs(
        cli: Cli, native_db: TestDb, tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    shutil.copy(MIGRATIONS_DIR / "001_initial_schema.sql", folder)
    _hostile(folder / "002_hostile.sql", kind)
    if kind == "binary":  # a regular file that is not text: refused before anything runs
        one_line(cli("migrate", "--dir", str(folder), "--dsn", native_db.dsn, timeout=30), 2, "002_hostile.sql",
                 "is not UTF-8")
        assert _scalar(native_db.dsn, "SELECT to_regclass('_sqlx_migrations') IS NULL")
        (folder / "002_hostile.sql").unlink()
    # A FIFO or a folder with a migration's name is not a file: skipped, as sqlx skips it (never read, no hang).
    # A FIFO would block a reader forever: a real process, so the timeout can end a hang.
    applied = cli("migrate", "--dir", str(folder), "--dsn", native_db.dsn, timeout=30, process=kind == "FIFO")
    assert applied.code == 0 and "applied 1 migration(s)" in applied.output, applied.output
    _hostile(folder / "expected.toml", kind)
    one_line(cli("verify", "--dir", str(folder), "--dsn", native_db.dsn, timeout=30, process=kind == "FIFO"), 2,
             "expected.toml", KEYMAP_CASES[kind])


@pytest.mark.tsl
def test_values_larger_than_the_tsl_engine_takes_are_refused_and_the_engine_lives(
    cli: Cli, tsl_migrated_db: TestDb
) -> None:
    dsn = tsl_migrated_db.dsn
    assert cli("keys", "create", "--dsn", dsn, "--email", "ops@example.com", "--name", "prod").code == 0
    huge = "k" * 100_000
    one_line(cli("keys", "create", "--dsn", dsn, "--email", "ops@example.com", "--name", huge), 2,
             "--name: 100,000 characters, more than 320")
    # Values no flag bounds: the connection refuses any statement the engine could not take.
    for args in (("keys", "revoke", huge, "--yes"), ("chunk", "compress", huge, "--dry-run"),
                 ("cagg", "refresh", huge, "--dry-run")):
        one_line(cli(*args, "--dsn", dsn), 2, "the tsl engine takes no message over ~64 KiB", "Nothing was sent")
    assert tsl_migrated_db.engine is not None and tsl_migrated_db.engine.alive()
    assert _scalar(dsn, "SELECT count(*) FROM api_keys") == 1  # the engine and its data are there


def _stdin_cli(tmp_path: Path, data: bytes, *args: str) -> CliResult:
    env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    result = CliResult(*inprocess.run(args, env, data))
    record_output(args, result.stdout, result.stderr)
    return result


@pytest.mark.tsl
def test_keys_check_reads_binary_or_oversized_stdin_as_one_line(
    cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path
) -> None:
    dsn = tsl_migrated_db.dsn
    created = cli("keys", "create", "--dsn", dsn, "--email", "ops@example.com", "--name", "prod")
    assert created.code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    one_line(_stdin_cli(tmp_path, b"\xff\xfe\x00\x1b]0;x\x07\n", "keys", "check", "--dsn", dsn), 2,
             "is not UTF-8 text (byte 0)")
    one_line(_stdin_cli(tmp_path, b"obs_" + b"a" * 5000, "keys", "check", "--dsn", dsn), 2,
             "longer than 1024 bytes")
    active = _stdin_cli(tmp_path, key.encode() + b"\n", "keys", "check", "--dsn", dsn)
    assert active.code == 0 and active.stdout.strip() == "active", active.output
    unknown = _stdin_cli(tmp_path, "obs_ünknown\n".encode(), "keys", "check", "--dsn", dsn)
    assert unknown.code == 1 and unknown.stdout.strip() == "unknown", unknown.output


@pytest.mark.parametrize("kind", ["native", "tsl"])
@pytest.mark.parametrize(("where", "needle"), [("a file", "is a file, not a folder"),
                                               ("a folder of other files", "not a database cluster (no PG_VERSION)"),
                                               ("another version's cluster", "holds a PostgreSQL 9.6 cluster")])
def test_engine_start_on_a_data_dir_that_is_no_cluster_of_its_own_is_one_line(
        cli: Cli, tmp_path: Path, kind: str, where: str, needle: str) -> None:
    target = tmp_path / "data"
    if where == "a file":
        target.write_text("not a cluster\n")
    else:
        target.mkdir()
        (target / ("PG_VERSION" if where == "another version's cluster" else "notes.txt")).write_text("9.6\n")
    before = sorted((p.name, p.read_bytes()) for p in target.iterdir()) if target.is_dir() else target.read_bytes()
    one_line(cli("engine", "start", "--kind", kind, "--data-dir", str(target)), 2, f"--data-dir {target}", needle)
    after = sorted((p.name, p.read_bytes()) for p in target.iterdir()) if target.is_dir() else target.read_bytes()
    assert after == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".data")]  # no port/password files either
    assert cli("engine", "status", "--kind", kind).code == 1


@pytest.mark.native
@pytest.mark.parametrize("where", ["missing folder", "a folder", "a FIFO", "read-only folder", "unwritable file"])
def test_verify_junit_to_a_path_that_cannot_be_written_is_one_line(
        cli: Cli, native_db: TestDb, tmp_path: Path, where: str) -> None:
    target = {"missing folder": tmp_path / "nowhere" / "report.xml", "a folder": tmp_path,
              "a FIFO": tmp_path / "fifo.xml", "read-only folder": Path("/proc/report.xml"),
              "unwritable file": Path("/proc/version")}[where]
    if where == "a FIFO":
        os.mkfifo(target)
    # A FIFO would block a writer forever: a real process, so the timeout can end a hang.
    result = cli("verify", "--junit", str(target), "--dsn", native_db.dsn, timeout=60, process=where == "a FIFO")
    # Refused before checking (exit 2), or, where only the write itself can tell, after the report (exit 1).
    code = 1 if where in ("read-only folder", "unwritable file") and os.geteuid() == 0 else 2
    line = one_line(result, code, f"cannot write --junit {target}")
    assert "Traceback" not in result.output and (code == 1 or result.stdout == ""), line
    assert not list(tmp_path.glob(".*partial*")) and not list(Path("/proc").glob(".*partial*"))


@pytest.mark.native
def test_verify_junit_is_written_whole(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    assert cli("migrate", "--to", "3", "--dsn", native_db.dsn).code == 0
    target = tmp_path / "report.xml"
    target.write_text("old")
    assert cli("verify", "--junit", str(target), "--dsn", native_db.dsn).code in (0, 1)
    assert target.read_text().startswith("<?xml") and "obsconsole.verify" in target.read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "state") == ["report.xml"]


@pytest.mark.tsl
def test_the_verify_screen_export_with_an_unusable_state_folder_says_so_and_stays_up(
        cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "state-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_migrated_db.dsn, "test")), start_mode="verify")
        async with app.run_test(size=(120, 40)) as pilot:
            table = app.screen.query_one("#verify-table", DataTable)
            await wait_for(pilot, lambda: table.row_count >= 14)
            await pilot.press("e")
            await wait_for(pilot, lambda: any("cannot export" in str(n.message) for n in app._notifications))
            assert isinstance(app.screen, VerifyScreen) and app.is_running
            await pilot.press("r")  # still working
            await wait_for(pilot, lambda: table.row_count >= 14)

    asyncio.run(scenario())
    assert blocker.read_text() == "not a folder"


@pytest.mark.native
@pytest.mark.parametrize("column", ["input_price_per_1k_usd", "effective_date", "model"])
def test_prices_on_a_model_pricing_with_a_renamed_column_is_one_line(cli: Cli, native_db: TestDb,
                                                                     column: str) -> None:
    dsn = native_db.dsn
    assert cli("migrate", "--to", "3", "--dsn", dsn).code == 0
    with psycopg.connect(dsn, autocommit=True) as conn:  # 006 by hand (plain PostgreSQL; migrate stops at 004 here)
        conn.execute((MIGRATIONS_DIR / "006_supporting_tables.sql").read_text())
        conn.execute(f"ALTER TABLE model_pricing RENAME COLUMN {column} TO {column}_old")
    before = _scalar(dsn, "SELECT count(*) FROM model_pricing")
    for args in (("prices", "list"), ("prices", "list", "--json"), ("prices", "sync", "--dry-run"),
                 ("prices", "sync")):
        one_line(cli(*args, "--dsn", dsn), 2, f"model_pricing has no column {column} (renamed or dropped")
    assert _scalar(dsn, "SELECT count(*) FROM model_pricing") == before


@pytest.mark.native
def test_the_console_shows_a_chunk_named_with_escape_sequences_escaped_in_the_plan_and_its_toasts(
        cli: Cli, native_db: TestDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tui-state"))
    dsn = native_db.dsn
    assert cli("migrate", "--dsn", dsn, "--to", "3").code == 0
    assert cli("seed", "--dsn", dsn, "--days", "4", "--rate", "5", "--no-aftercare").code == 0
    old = _scalar(dsn, "SELECT format('%I.%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks "
                       "WHERE hypertable_name = 'llm_logs' ORDER BY range_start LIMIT 1")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'ALTER TABLE {old} RENAME TO "{HOSTILE}"')

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(dsn, "test")), start_mode="jobs")
        async with app.run_test(size=(160, 48)) as pilot:
            await palette_drop_chunks(pilot, "llm_logs 1d")
            shown = io.StringIO()
            Console(file=shown, width=300, color_system=None).print(
                app.screen.query_one("#action-plan", Static).content)
            assert SHOWN in shown.getvalue(), shown.getvalue()
            no_control(shown.getvalue())
            await pilot.press("n")
            await wait_for(pilot, lambda: any("cancelled" in str(n.message) for n in app._notifications))
            app.notify(f"a toast naming {HOSTILE}")  # every toast goes through the one escape
            await wait_for(pilot, lambda: any("a toast naming" in str(n.message) for n in app._notifications))
            messages = [str(n.message) for n in app._notifications]
            assert f"a toast naming {SHOWN}" in messages, messages
            for message in messages:
                no_control(message)

    asyncio.run(scenario())
    assert _scalar(dsn, "SELECT count(*) FROM timescaledb_information.chunks WHERE chunk_name LIKE 'evil%'") == 1


@pytest.mark.native
def test_a_migration_file_named_with_escape_sequences_is_printed_escaped(cli: Cli, native_db: TestDb,
                                                                         tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    shutil.copy(MIGRATIONS_DIR / "001_initial_schema.sql", folder)
    (folder / f"002_{HOSTILE}.sql").write_text("CREATE TABLE evil_named (id int);\n")
    runs = [cli(*command, "--dir", str(folder), "--dsn", native_db.dsn)
            for command in (("migrate", "--dry-run"), ("migrate",), ("status",))]
    for result in runs:
        assert result.code == 0 and SHOWN in result.output, result.output
        no_control(result.output)
    assert _scalar(native_db.dsn, "SELECT description FROM _sqlx_migrations WHERE version = 2") == HOSTILE
