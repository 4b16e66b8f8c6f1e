"""`obsconsole record` and `obsconsole replay`'s questions, as a user runs them, against the real engines: a
recording across a change (chunks created and compressed, a job failing, an index dropped), replayed before and
after; SIGTERM and SIGKILL; an outage; retention; and every kind of bad input (one line, exit 2)."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from console.infra.server import ServerInfo
from console.recording.model import Facts, Panes, Stored
from console.recording.store import Writer
from tests.conftest import OBSCONSOLE, CliResult, TestDb, record_output
from tests.known_data import write_failed_run
from tests.test_faults import OwnCluster, own_cluster  # noqa: F401  # the fixture, used by name

Cli = Callable[..., CliResult]
SNAPSHOT_LINE = re.compile(r"obsconsole record: snapshot (\d+):")


class Recording:
    """One `obsconsole record` process, its stderr in a file (read while it runs)."""

    def __init__(self, tmp_path: Path, out: Path, dsn: str, *extra: str) -> None:
        self.log = tmp_path / f"record-{time.monotonic_ns()}.log"
        env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
        env["XDG_STATE_HOME"] = str(tmp_path / "state")
        self.args = ("record", "--out", str(out), "--dsn", dsn, *extra)
        with self.log.open("w") as err:
            self.proc = subprocess.Popen([OBSCONSOLE, *self.args], stdout=subprocess.DEVNULL, stderr=err, env=env)

    def written(self) -> int:
        """Snapshots the recorder logged (it logs each one after its commit)."""
        found = SNAPSHOT_LINE.findall(self.log.read_text())
        return int(found[-1]) if found else 0

    def wait_written(self, count: int, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while self.written() < count:
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, f"fewer than {count} snapshots: {self.log.read_text()}"
            time.sleep(0.1)

    def wait_log(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log.read_text():
            assert time.monotonic() < deadline, f"{text!r} never logged: {self.log.read_text()}"
            time.sleep(0.1)

    def stop(self, signum: signal.Signals = signal.SIGTERM) -> tuple[int, str]:
        self.proc.send_signal(signum)
        code = self.proc.wait(60)
        stderr = self.log.read_text()
        record_output(self.args, "", stderr)
        return code, stderr


def info(cli: Cli, path: Path) -> dict[str, Any]:
    result = cli("replay", str(path), "--info", "--json")
    assert result.code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def at(cli: Cli, path: Path, moment: str, *extra: str) -> dict[str, Any]:
    result = cli("replay", str(path), "--at", moment, "--json", *extra)
    assert result.code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def writable(dsn: str) -> psycopg.Connection[tuple[object, ...]]:
    conn = psycopg.connect(dsn, autocommit=True, prepare_threshold=None)
    conn.execute("SET default_transaction_read_only = off")  # the tsl engine's one backend keeps the last setting
    return conn


def hypertable(snapshot: dict[str, Any], name: str) -> dict[str, Any]:
    panes = snapshot["panes"]
    assert isinstance(panes, dict)
    return next(r for r in panes["chunks"]["rows"] if r["name"] == name)


@pytest.mark.tsl
def test_record_across_a_change_on_tsl_then_replay_shows_before_and_after(
    cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path
) -> None:
    dsn = tsl_migrated_db.dsn
    assert cli("seed", "--dsn", dsn, "--days", "3", "--seed", "5", timeout=300).code == 0
    out = tmp_path / "night.obsrec"

    # The tsl engine takes one client at a time: record, stop, change, record again into the same file (the
    # second run goes on from the last snapshot, so what changed in between is its first snapshot's events).
    first = Recording(tmp_path, out, dsn, "--every", "1s", "--verify-every", "1s")
    first.wait_written(3)
    code, stderr = first.stop(signal.SIGTERM)
    assert code == 0, stderr
    assert "SIGTERM: stopping after the current snapshot" in stderr and "stopped after" in stderr
    assert "Traceback" not in stderr
    before = str(info(cli, out)["last"])
    old = at(cli, out, before)
    traces_before = hypertable(old, "llm_traces")

    with writable(dsn) as conn:
        # New chunks: spans a week ahead and two weeks ahead (daily chunks).
        for days in (7, 14):
            conn.execute("INSERT INTO llm_traces (ts, trace_id, span_id, span_name, service_name, provider, model) "
                         f"VALUES (now() + interval '{days} days', 'i25trace{days}', 'i25span{days}', 'chat', "
                         "'recording-test', 'openai', 'gpt-4o')")
        conn.execute("CREATE PROCEDURE public.i25_nightly(job_id int, config jsonb) LANGUAGE plpgsql AS "
                     "$$ BEGIN RAISE EXCEPTION 'i25 nightly failed: disk full'; END $$")
        job_id = conn.execute("SELECT add_job('public.i25_nightly', '1 day')").fetchone()[0]  # type: ignore[index]
        conn.execute("DROP INDEX idx_traces_errors")  # verify's index check now fails
    # Compression through the operator action; the job run through its action too (it fails, and says so).
    compress = cli("chunk", "compress", "--table", "llm_traces", "--older-than", "1d", "--yes", "--dsn", dsn,
                   extra_env={"XDG_STATE_HOME": str(tmp_path / "state")})
    assert compress.code == 0, compress.output
    run = cli("job", "run", str(job_id), "--yes", "--dsn", dsn, extra_env={"XDG_STATE_HOME": str(tmp_path / "state")})
    assert run.code == 1 and "i25 nightly failed" in run.output, run.output
    # A retention policy of one day on llm_logs, which no scheduler runs here: its older chunks are now overdue.
    policy = cli("policy", "retention", "llm_logs", "--after", "1d", "--yes", "--dsn", dsn,
                 extra_env={"XDG_STATE_HOME": str(tmp_path / "state")})
    assert policy.code == 0, policy.output
    with writable(dsn) as conn:
        write_failed_run(conn, job_id)
        conn.execute("INSERT INTO _timescaledb_internal.bgw_job_stat_history (job_id, pid, execution_start, "
                     "execution_finish, succeeded, data) VALUES (%s, 4242, now(), now(), false, "
                     """'{"error_data": {"message": "i25 nightly failed: disk full", "sqlerrcode": "P0001"}}')""",
                     (job_id,))

    second = Recording(tmp_path, out, dsn, "--every", "1s", "--verify-every", "1s")
    second.wait_written(2)
    code, stderr = second.stop(signal.SIGINT)
    assert code == 0, stderr
    summary = info(cli, out)
    after = str(summary["last"])
    assert int(str(summary["snapshots"])) >= 5 and summary["first"] < before < after
    assert summary["bytes"] == sum(p.stat().st_size for p in tmp_path.glob("night.obsrec*"))

    # The moment before: as it was.
    again = at(cli, out, before)
    assert hypertable(again, "llm_traces") == traces_before
    jobs_before = {j["job_id"] for j in again["panes"]["jobs"]["rows"]}
    assert job_id not in jobs_before
    # The moment after: two chunks more, chunks compressed, the job failed with its message.
    new = at(cli, out, after)
    traces_after = hypertable(new, "llm_traces")
    assert traces_after["chunk_count"] == traces_before["chunk_count"] + 2
    assert traces_after["compressed_chunks"] > traces_before["compressed_chunks"]
    job = next(j for j in new["panes"]["jobs"]["rows"] if j["job_id"] == job_id)
    assert job["last_run_status"] == "Failed" and job["consecutive_failures"] == 1

    # --pane: only that pane, in snapshot --json's shape (the same keys as a live snapshot).
    only = at(cli, out, after, "--pane", "jobs")
    assert list(only["panes"]) == ["jobs"]
    live = cli("snapshot", "--dsn", dsn, "--json")
    assert live.code == 0, live.output
    live_json = json.loads(live.stdout)
    assert set(live_json) <= set(new) and set(new) - set(live_json) == {"recorded_at"}
    for name, pane in live_json["panes"].items():
        assert set(pane) == set(new["panes"][name]), name
        if pane["rows"]:
            assert set(pane["rows"][0]) == set(new["panes"][name]["rows"][0]), name
    assert hypertable(live_json, "llm_traces")["chunk_count"] == traces_after["chunk_count"]

    # The events of the moment after, in words.
    text = cli("replay", str(out), "--at", after)
    assert text.code == 0, text.output
    assert "REPLAY: recorded" in text.stdout
    moment_after = cli("replay", str(out), "--at", _first_after(cli, out, before))
    events = moment_after.stdout
    assert "chunks created" in events and "public.llm_traces: 2 created" in events, events
    assert "chunks compressed" in events
    assert "job failed" in events and "i25 nightly failed: disk full" in events
    assert "operator action" in events and f"job run {job_id}" in events
    assert "verify changed" in events and "-> FAIL" in events

    # --diff: what changed between the two moments.
    diff = cli("replay", str(out), "--diff", before, after, "--json")
    assert diff.code == 0, diff.output
    changes = json.loads(diff.stdout)
    traces = next(c for c in changes["chunks"] if c["hypertable"] == "public.llm_traces")
    assert traces["created"] == 2 and traces["compressed"] == traces_after["compressed_chunks"] - traces_before[
        "compressed_chunks"]
    assert [j["job_id"] for j in changes["jobs_newly_failing"]] == [job_id]
    assert changes["jobs_newly_failing"][0]["message"] == "i25 nightly failed: disk full"
    assert changes["cost"] and all({"model", "before_usd", "after_usd"} <= set(c) for c in changes["cost"])
    ratios = changes["overall_ratio"]
    assert ratios[0] != ratios[1]
    logs = next(o for o in changes["retention_overdue"] if o["object"] == "public.llm_logs")
    assert logs["overdue_before"] == 0 and logs["overdue_after"] >= 1, changes["retention_overdue"]
    words = cli("replay", str(out), "--diff", before, after)
    assert words.code == 0 and "jobs newly failing: 1" in words.stdout and "public.llm_traces" in words.stdout
    assert f"public.llm_logs: 0 -> {logs['overdue_after']} chunk(s) overdue" in words.stdout


def _first_after(cli: Cli, path: Path, moment: str) -> str:
    """The first recorded moment after `moment` (where the events of the change are)."""
    with sqlite3.connect(path) as db:
        cutoff = round(datetime.fromisoformat(moment).timestamp() * 1_000_000)
        value = db.execute("SELECT min(at) FROM snapshots WHERE at > ?", (cutoff,)).fetchone()[0]
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=value)).isoformat()


@pytest.mark.tsl
def test_sigkilled_recorder_leaves_a_readable_file(cli: Cli, tsl_db: TestDb, tmp_path: Path) -> None:
    out = tmp_path / "killed.obsrec"
    recording = Recording(tmp_path, out, tsl_db.dsn, "--every", "1s", "--verify-every", "off")
    recording.wait_written(3)
    code, _stderr = recording.stop(signal.SIGKILL)
    assert code == -signal.SIGKILL
    logged = recording.written()
    # Every snapshot logged was committed; at most the one being written when the signal came is lost.
    assert int(str(info(cli, out)["snapshots"])) >= logged
    last = at(cli, out, str(info(cli, out)["last"]))
    assert list(last["panes"]) == ["chunks", "compression", "jobs", "retention", "cost"]


@pytest.mark.tsl
def test_retention_prunes_snapshots_older_than_retain(cli: Cli, tsl_db: TestDb, tmp_path: Path) -> None:
    out = tmp_path / "short.obsrec"
    recording = Recording(tmp_path, out, tsl_db.dsn, "--every", "1s", "--retain", "3s", "--verify-every", "off")
    recording.wait_written(8)
    code, stderr = recording.stop()
    assert code == 0, stderr
    summary = info(cli, out)
    first, last = (datetime.fromisoformat(str(summary[k])) for k in ("first", "last"))
    assert last - first <= timedelta(seconds=3)
    assert int(str(summary["snapshots"])) < recording.written()


@pytest.mark.native
def test_recorder_records_an_outage_and_reconnects(
    cli: Cli, own_cluster: OwnCluster, tmp_path: Path  # noqa: F811
) -> None:
    dsn = own_cluster.database("recorded_outage")
    out = tmp_path / "outage.obsrec"
    recording = Recording(tmp_path, out, dsn, "--every", "1s", "--verify-every", "off")
    recording.wait_written(2)
    own_cluster.stop()
    recording.wait_log("server unreachable, recorded as an outage")
    down = recording.written()
    own_cluster.start()
    recording.wait_written(down + 2)
    code, stderr = recording.stop()
    assert code == 0, stderr
    summary = info(cli, out)
    assert int(str(summary["outages"])) >= 1
    with sqlite3.connect(out) as db:
        kinds = [r[0] for r in db.execute("SELECT kind FROM events ORDER BY at")]
        outage_at = db.execute("SELECT min(at) FROM snapshots WHERE payload IS NULL").fetchone()[0]
    assert kinds.count("outage") == 1 and kinds.count("reconnected") == 1
    assert kinds.index("outage") < kinds.index("reconnected")
    moment = (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=outage_at)).isoformat()
    during = cli("replay", str(out), "--at", moment, "--json")
    assert during.code == 0, during.output
    assert "outage" in json.loads(during.stdout)


# --- bad input --------------------------------------------------------------------------------------------------


def _tiny_recording(path: Path, moments: int = 3) -> datetime:
    """A recording written by the store itself (no panes: the file format's own tests); its first moment."""
    info = ServerInfo("17.5", 170005, "db", "2.23.0", "2.23.0", "timescale", "timescaledb")
    writer = Writer(path, "postgresql://u:***@h/db", timedelta(minutes=1))
    start = datetime(2026, 1, 10, 3, 0, tzinfo=UTC)
    for minute in range(moments):
        writer.write(start + timedelta(minutes=minute), Stored(info, Panes(), Facts("h:5432/db"), 1.0), [])
    writer.close()
    return start


def _one_line(result: CliResult) -> str:
    assert result.code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("obsconsole: "), result.stderr
    return lines[0]


def test_replay_refuses_bad_files_with_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "good.obsrec"
    start = _tiny_recording(good)
    assert info(cli, good)["snapshots"] == 3

    text = tmp_path / "notes.txt"
    text.write_text("not a database at all\n" * 50)
    assert "not an obsconsole recording" in _one_line(cli("replay", str(text), "--info"))

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    assert "not an obsconsole recording" in _one_line(cli("replay", str(other), "--info"))

    truncated = tmp_path / "truncated.obsrec"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert re.search(r"damaged|not an obsconsole recording", _one_line(cli("replay", str(truncated), "--info")))

    corrupt = tmp_path / "corrupt.obsrec"
    data = bytearray(good.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # the second page onward: tables and their rows
    corrupt.write_bytes(bytes(data))
    assert re.search(r"damaged|not an obsconsole recording",
                     _one_line(cli("replay", str(corrupt), "--at", start.isoformat())))

    newer = tmp_path / "newer.obsrec"
    newer.write_bytes(good.read_bytes())
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    assert "newer obsconsole" in _one_line(cli("replay", str(newer), "--info"))

    assert "no such recording" in _one_line(cli("replay", str(tmp_path / "missing.obsrec"), "--info"))
    outside = _one_line(cli("replay", str(good), "--at", "2025-01-01T00:00Z"))
    assert "outside the recording" in outside and "2026-01-10 03:00:00" in outside
    assert "outside the recording" in _one_line(cli("replay", str(good), "--at", "1h"))  # an age: now - 1h
    assert "not a time" in _one_line(cli("replay", str(good), "--at", "yesterday-ish"))
    assert "outside the recording" in _one_line(cli("replay", str(good), "--diff", start.isoformat(),
                                                    "2027-01-01T00:00Z"))
    assert "unknown pane" in _one_line(cli("replay", str(good), "--at", start.isoformat(), "--pane", "nope"))
    assert "one at a time" in _one_line(cli("replay", str(good), "--info", "--at", start.isoformat()))


def test_record_refuses_an_unwritable_out_before_connecting(cli: Cli, tmp_path: Path) -> None:
    unreachable = "postgresql://nobody:pw-secret@127.0.0.1:1/db?connect_timeout=1"
    for out in ("/proc/obsconsole.obsrec", str(tmp_path / "no" / "such" / "dir.obsrec")):
        line = _one_line(cli("record", "--out", out, "--dsn", unreachable))
        assert "cannot write the recording" in line, line
    text = tmp_path / "notes.txt"
    text.write_text("keep me\n")
    assert "not an obsconsole recording" in _one_line(cli("record", "--out", str(text), "--dsn", unreachable))
    assert text.read_text() == "keep me\n"  # nothing overwritten
    other_server = tmp_path / "other-server.obsrec"
    _tiny_recording(other_server)
    line = _one_line(cli("record", "--out", str(other_server), "--dsn", unreachable))
    assert "records postgresql://u:***@h/db, not postgresql://nobody:***@127.0.0.1:1/db" in line, line
    assert "--every" in _one_line(cli("record", "--out", str(tmp_path / "x"), "--every", "soon"))
    # The console's --record: the same refusal, before it connects or draws anything.
    assert "cannot write the recording" in _one_line(cli("--record", "/proc/console.obsrec", "--dsn", unreachable))
    # A good file and a server that is not there: one line, exit 2, no password.
    line = _one_line(cli("record", "--out", str(tmp_path / "fine.obsrec"), "--dsn", unreachable))
    assert "cannot reach the server" in line and "pw-secret" not in line
    assert not list(tmp_path.glob("fine.obsrec*"))  # nothing done, nothing left


@pytest.mark.tsl
def test_bench_record_prints_its_figures(cli: Cli, tsl_migrated_db: TestDb) -> None:
    """`bench --record` runs through on a real (small) database and prints what it measured; the figures
    themselves are for the README, not asserted against a threshold."""
    assert cli("seed", "--dsn", tsl_migrated_db.dsn, "--days", "2", "--seed", "3", timeout=300).code == 0
    result = cli("bench", "--record", "--snapshots", "40", "--dsn", tsl_migrated_db.dsn, timeout=600)
    assert result.code == 0, result.output
    out = " ".join(result.stdout.split())
    assert re.search(r"recorded 40 snapshots of the target \(8 compressed with the trained dictionary", out), out
    assert re.search(r"bytes per snapshot \(the file's growth\): [\d,]+", out)
    assert re.search(r"a week filled and measured: 10,080 snapshots, [\d.]+ [KM]iB", out)
    assert re.search(r"then p50 [\d.]+ ms, p95 [\d.]+ ms, max [\d.]+ ms", out)
    assert "Traceback" not in result.output
    assert cli("bench", "--record", "--snapshots", "5", "--dsn", tsl_migrated_db.dsn).code == 2
