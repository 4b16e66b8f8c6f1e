"""The audit log fails closed, through the `obsconsole` CLI: an action whose intent cannot be written (a real full
filesystem, a log that is not safe to use) does not run; Ctrl+C writes "interrupted"; the state folder is 0700
whatever the umask; `obsconsole audit` names damaged lines instead of crashing."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import OBSCONSOLE, CliResult, TestDb, record_output
from tests.test_production import one_line as _one_line

Cli = Callable[..., CliResult]
CHUNKS = "SELECT chunk_name FROM timescaledb_information.chunks WHERE hypertable_name = 'llm_logs' ORDER BY 1"
DROP = ("chunk", "drop", "--table", "llm_logs", "--older-than", "8d", "--yes")


def _chunks(dsn: str) -> list[str]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return [str(r[0]) for r in conn.execute(CHUNKS).fetchall()]


def _seeded(cli: Cli, dsn: str) -> list[str]:
    assert cli("migrate", "--dsn", dsn, "--to", "3").code == 0
    assert cli("seed", "--dsn", dsn, "--days", "10", "--rate", "20", "--no-aftercare").code == 0
    chunks = _chunks(dsn)
    assert len(chunks) > 2
    return chunks



def _log(tmp_path: Path) -> Path:
    return tmp_path / "state" / "obsconsole" / "audit.jsonl"


def _entries(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in _log(tmp_path).read_text().splitlines()]


@contextlib.contextmanager
def _full_filesystem(where: Path) -> Iterator[Path]:
    """A real 256 KiB tmpfs at `where`, filled to the last byte by a file that the caller may delete."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(where)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        filler = where / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as out:
            while True:
                out.write(b"\0" * 4096)
                out.flush()
        yield filler
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.native
def test_an_action_whose_entry_cannot_be_written_does_not_run(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    dsn = native_db.dsn
    before = _seeded(cli, dsn)
    state = tmp_path / "state"

    # A real full filesystem under the state folder: the log opens, its intent line cannot be written.
    with _full_filesystem(state) as filler:
        log = _log(tmp_path)
        log.parent.mkdir(mode=0o700)
        log.touch(mode=0o600)  # an existing log (a full disk still has room for an empty file's inode)
        with pytest.raises(OSError):
            (state / "probe").write_bytes(b"x" * 4096)  # the filesystem is full indeed
        full = cli(*DROP, "--dsn", dsn)
        _one_line(full, 2, f"cannot write the audit log {log}", "No space left on device")
        assert _chunks(dsn) == before, "nothing dropped"
        assert log.read_bytes() == b""
        # Space again: the same command runs, its intent written before and its outcome after.
        filler.unlink()
        dropped = cli(*DROP, "--dsn", dsn)
        assert dropped.code == 0, dropped.output
        assert len(_chunks(dsn)) < len(before)
        outcomes = [(e["action"], e["outcome"]) for e in _entries(tmp_path)]
        assert outcomes == [("chunk drop --table llm_logs --older-than 8 days", "intent: about to run"),
                            ("chunk drop --table llm_logs --older-than 8 days", "done")]

    # A group- or world-writable log is refused whole (anyone could forge or erase entries); so is a directory.
    remaining = _chunks(dsn)
    log = _log(tmp_path)
    log.parent.mkdir(mode=0o700, exist_ok=True)
    log.write_text("")
    for mode in (0o666, 0o620):
        log.chmod(mode)
        _one_line(cli(*DROP[:-2], "1d", "--yes", "--dsn", dsn), 2, f"refusing the audit log {log}",
                  "group- or world-writable", f"(mode {mode:04o})", "chmod 600")
        assert _chunks(dsn) == remaining and log.read_text() == ""
    log.unlink()
    log.mkdir()
    _one_line(cli(*DROP[:-2], "1d", "--yes", "--dsn", dsn), 2, f"cannot write the audit log {log}", "directory")
    assert _chunks(dsn) == remaining


@pytest.mark.native
def test_ctrl_c_during_an_action_writes_interrupted(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    dsn = native_db.dsn
    before = _seeded(cli, dsn)
    env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    with psycopg.connect(dsn, application_name="holder") as holder:
        holder.execute("LOCK TABLE llm_logs IN SHARE MODE")
        # As from a terminal: SIGINT at its default in the child, so Python turns it into KeyboardInterrupt (a
        # child inherits an ignored SIGINT, and a pytest-xdist worker may be ignoring it).
        proc = subprocess.Popen([OBSCONSOLE, *DROP, "--lock-timeout", "60s", "--dsn", dsn], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            deadline = time.monotonic() + 30
            waiting = ("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'obsconsole'"
                       " AND wait_event_type = 'Lock'")
            with psycopg.connect(dsn, autocommit=True) as watcher:
                while watcher.execute(waiting).fetchone() != (1,):  # the drop waits for its lock: mid-action
                    assert proc.poll() is None and time.monotonic() < deadline, "the drop never waited"
                    time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    record_output(DROP, stdout, stderr)
    result = CliResult(proc.returncode, stdout, stderr)
    _one_line(result, 130, "chunk drop --table llm_logs --older-than 8 days interrupted after",
              "rolled back, nothing changed")
    assert _chunks(dsn) == before
    outcomes = [e["outcome"] for e in _entries(tmp_path)]
    assert outcomes == ["intent: about to run", "interrupted (Ctrl+C): rolled back, nothing changed"]
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'obsconsole'"
                            ).fetchone() == (0,), "no session left behind"


def test_state_folder_is_private_whatever_the_umask(cli: Cli, tmp_path: Path) -> None:
    previous = os.umask(0)  # inherited by the obsconsole process
    try:
        refused = cli("--read-only", "job", "pause", "1", "--yes", "--dsn", "postgresql://u@127.0.0.1:1/db")
    finally:
        os.umask(previous)
    _one_line(refused, 2, "read-only mode")
    for folder in (tmp_path / "state", tmp_path / "state" / "obsconsole"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(_log(tmp_path).stat().st_mode) == 0o600
    assert [e["outcome"] for e in _entries(tmp_path)] == ["refused: read-only mode (--read-only or "
                                                         "OBSCONSOLE_READ_ONLY=1)"]
    # A state folder someone made world-writable is made private again on the next entry.
    (tmp_path / "state" / "obsconsole").chmod(0o777)
    cli("--read-only", "job", "pause", "1", "--yes", "--dsn", "postgresql://u@127.0.0.1:1/db")
    assert stat.S_IMODE((tmp_path / "state" / "obsconsole").stat().st_mode) == 0o700


def test_audit_names_damaged_lines_instead_of_crashing(cli: Cli, tmp_path: Path) -> None:
    good = {"time": "2026-12-04T10:00:00.000+00:00", "user": "ops", "server": "postgresql://u:***@h/db",
            "action": "job pause 1000", "sql": "SELECT alter_job(1000, scheduled => false);", "outcome": "done",
            "duration_ms": 12.5, "touches": ["job 1000"]}
    lines = [json.dumps(good), "{not json", json.dumps([1, 2]), json.dumps(good | {"duration_ms": "12"}),
             json.dumps(good | {"touches": 5, "user": 7}), "", json.dumps({"time": "x"}),
             json.dumps(good | {"outcome": "failed: lock timeout"})]
    log = _log(tmp_path)
    log.parent.mkdir(parents=True)
    log.write_text("\n".join(lines) + "\n")
    listed = cli("audit")
    assert listed.code == 1 and "Traceback" not in listed.output
    assert "job pause 1000  done  12 ms" in listed.stdout and "job pause 1000  failed: lock timeout" in listed.stdout
    assert "2 entries from" in listed.stdout
    _one_line(listed, 1, f"5 damaged line(s) in {log} skipped", "line 2 (not JSON)", "line 3 (a JSON list, not an "
              "object)", "line 4 (wrong type for duration_ms (str))", "line 5 (wrong type for user (int), touches "
              "(int))", "line 7 (missing action, duration_ms, outcome, server, sql, touches, user)")
    as_json = cli("audit", "--json")
    assert as_json.code == 1
    data = json.loads(as_json.stdout)
    assert [e["outcome"] for e in data["entries"]] == ["done", "failed: lock timeout"]
    assert [d["line"] for d in data["damaged"]] == [2, 3, 4, 5, 7]

    log.unlink()
    log.mkdir()
    _one_line(cli("audit"), 2, f"the audit log {log} is a directory, not a file")


def test_a_refresh_parses_the_log_again_only_when_it_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The Jobs pane and the recorder read the log on every refresh: unchanged, it is not parsed again; an appended
    # entry, or a log replaced by another file, is read at once.
    from console.actions import audit
    from console.infra.dsn import ResolvedDsn

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    server = ResolvedDsn("postgresql://ops@db.example/app", "--dsn")
    assert audit.read_unchanged().entries == []
    audit.record(server, "job pause 1000", "done", server_id="db-1")
    first = audit.read_unchanged()
    assert [e.action for e in first.entries] == ["job pause 1000"]
    assert audit.read_unchanged() is first  # nothing changed: the same Log, not parsed again
    audit.record(server, "job resume 1000", "done", server_id="db-1")
    assert [e.action for e in audit.read_unchanged().entries] == ["job pause 1000", "job resume 1000"]
    replacement = tmp_path / "other.jsonl"
    replacement.write_bytes(audit.path().read_bytes().replace(b"resume", b"pause!"))
    os.chmod(replacement, 0o600)
    replacement.replace(audit.path())  # the same size, another inode
    assert [e.action for e in audit.read_unchanged().entries] == ["job pause 1000", "job pause! 1000"]
