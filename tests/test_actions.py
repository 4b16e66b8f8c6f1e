"""Operator actions through the `obsconsole` CLI against the real engines, checking the database afterwards: jobs,
chunk compression, cagg refresh and policies on tsl (Community); drop_chunks, backends and the Apache-edition
refusals on native; --dry-run, the confirmation gate, read-only mode and the audit log's lines."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from console.actions import gate
from console.actions.chunks import ChunkCompression
from console.actions.policies import PolicyChange
from console.infra.db import connect
from console.infra.dsn import ResolvedDsn
from console.infra.server import server_info
from tests.conftest import CliResult, TestDb
from tests.test_production import one_line as _one_line_refusal

Cli = Callable[..., CliResult]

JOB = "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = %s AND hypertable_name = %s"
COMPRESSED = ("SELECT format('%%I.%%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks"
              " WHERE hypertable_name = %s AND is_compressed ORDER BY 1")
CHUNKS = ("SELECT format('%%I.%%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks"
          " WHERE hypertable_name = %s ORDER BY 1")


def _one(dsn: str, sql: str, *params: object) -> Any:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(sql, params).fetchone()
        return row[0] if row else None


def _column(dsn: str, sql: str, *params: object) -> list[Any]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return [r[0] for r in conn.execute(sql, params).fetchall()]



def _listed_chunks(stdout: str) -> list[str]:
    return sorted(re.findall(r"^  (\S+\._hyper_\S+) of ", stdout, flags=re.MULTILINE))


def _audit(cli: Cli) -> list[dict[str, Any]]:
    result = cli("audit", "--json", "--limit", "1000")
    assert result.code == 0, result.output
    entries: list[dict[str, Any]] = json.loads(result.stdout)["entries"]
    return entries


@pytest.mark.tsl
def test_job_actions_on_tsl_gate_change_and_audit(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path) -> None:
    dsn = tsl_migrated_db.dsn
    assert cli("seed", "--dsn", dsn, "--days", "2", "--no-aftercare").code == 0
    job = _one(dsn, JOB, "policy_retention", "llm_traces")
    scheduled = "SELECT scheduled FROM timescaledb_information.jobs WHERE job_id = %s"

    dry = cli("job", "pause", str(job), "--dry-run", "--dsn", dsn)
    assert dry.code == 0, dry.output
    assert f"SELECT alter_job({job}, scheduled => false);" in dry.stdout
    assert "policy_retention) on public.llm_traces" in dry.stdout
    assert "only matters where a scheduler runs" in dry.stdout  # the tsl engine has no background workers
    assert _one(dsn, scheduled, job) is True

    # No terminal and no --yes: refused, nothing changed.
    _one_line_refusal(cli("job", "pause", str(job), "--dsn", dsn), 2, "needs confirmation", "--yes")
    assert _one(dsn, scheduled, job) is True
    # Read-only mode, by flag and by environment.
    _one_line_refusal(cli("--read-only", "job", "pause", str(job), "--yes", "--dsn", dsn), 2, "read-only mode")
    _one_line_refusal(cli("job", "pause", str(job), "--yes", "--dsn", dsn, extra_env={"OBSCONSOLE_READ_ONLY": "1"}),
                      2, "read-only mode")
    assert _one(dsn, scheduled, job) is True

    paused = cli("job", "pause", str(job), "--yes", "--dsn", dsn)
    assert paused.code == 0 and paused.stdout.strip().splitlines()[-1].startswith(f"job pause {job}: done in")
    assert _one(dsn, scheduled, job) is False
    assert cli("job", "resume", str(job), "--yes", "--dsn", dsn).code == 0
    assert _one(dsn, scheduled, job) is True
    assert cli("job", "schedule", str(job), "10min", "--yes", "--dsn", dsn).code == 0
    assert _one(dsn, "SELECT schedule_interval FROM timescaledb_information.jobs WHERE job_id = %s", job) == \
        timedelta(minutes=10)
    _one_line_refusal(cli("job", "schedule", str(job), "soon", "--yes", "--dsn", dsn), 2, "not an interval")
    # Issue 24: the app's own words ("every 12 hours", "5 minutes") are taken as typed.
    assert cli("job", "schedule", str(job), "5 minutes", "--yes", "--dsn", dsn).code == 0
    assert _one(dsn, "SELECT schedule_interval FROM timescaledb_information.jobs WHERE job_id = %s", job) == \
        timedelta(minutes=5)
    assert cli("job", "schedule", str(job), "12 hours", "--yes", "--dsn", dsn).code == 0
    assert _one(dsn, "SELECT schedule_interval FROM timescaledb_information.jobs WHERE job_id = %s", job) == \
        timedelta(hours=12)
    _one_line_refusal(cli("job", "schedule", str(job), "5 fortnights", "--yes", "--dsn", dsn), 2,
                      "INTERVAL '5 fortnights': not an interval")

    # Run now: the cost aggregate's refresh job fills the (empty, seeded without aftercare) aggregate.
    refresh = _one(dsn, JOB, "policy_refresh_continuous_aggregate", "cost_analysis_hourly")
    assert _one(dsn, "SELECT count(*) FROM cost_analysis_hourly") == 0
    ran = cli("job", "run", str(refresh), "--yes", "--dsn", dsn)
    assert ran.code == 0, ran.output
    assert f"CALL run_job({refresh});" in ran.stdout and "autocommit" in ran.stdout
    assert _one(dsn, "SELECT count(*) FROM cost_analysis_hourly") > 0

    _one_line_refusal(cli("job", "pause", "99999", "--yes", "--dsn", dsn), 2, "no job 99999")

    entries = _audit(cli)
    assert [e["outcome"].split(":")[0] for e in entries] == [
        "dry run", "refused", "refused", "refused", *["intent", "done"] * 6, "refused"]
    assert entries[1]["outcome"] == "refused: no confirmation (no terminal and no --yes)"
    assert "read-only mode" in entries[2]["outcome"] and entries[2]["sql"] == ""
    # Each run: its intent (written before it ran) and its outcome, with the same SQL.
    assert entries[4]["sql"] == entries[5]["sql"] == f"SELECT alter_job({job}, scheduled => false);"
    assert entries[8]["sql"] == entries[9]["sql"] == \
        f"SELECT alter_job({job}, schedule_interval => '10 minutes'::interval);"
    assert entries[10]["sql"] == entries[11]["sql"] == \
        f"SELECT alter_job({job}, schedule_interval => '5 minutes'::interval);"
    password = str(psycopg.conninfo.conninfo_to_dict(dsn).get("password") or "")
    for entry in entries:
        assert entry["time"].endswith("+00:00") and entry["user"]
        assert "***" in entry["server"] and (not password or password not in json.dumps(entry))
    assert all(e["duration_ms"] is None for e in entries[4:12:2])
    assert all(e["duration_ms"] is not None and e["duration_ms"] >= 0 for e in entries[5:12:2])
    assert (tmp_path / "state" / "obsconsole" / "audit.jsonl").stat().st_mode & 0o777 == 0o600
    listed = cli("audit")
    assert listed.code == 0 and f"job run {refresh}  done" in listed.stdout and "CALL run_job" in listed.stdout


@pytest.mark.tsl
def test_chunk_cagg_and_policy_actions_on_tsl(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # the in-process actions below: the cli's log
    dsn = tsl_migrated_db.dsn
    assert cli("seed", "--dsn", dsn, "--days", "10", "--rate", "20", "--no-aftercare").code == 0
    assert _column(dsn, COMPRESSED, "llm_traces") == []

    dry = cli("chunk", "compress", "--table", "llm_traces", "--older-than", "7d", "--dry-run", "--dsn", dsn)
    assert dry.code == 0, dry.output
    old = _listed_chunks(dry.stdout)
    assert len(old) >= 2 and dry.stdout.count("CALL convert_to_columnstore(") == len(old)
    assert _column(dsn, COMPRESSED, "llm_traces") == []

    done = cli("chunk", "compress", "--table", "llm_traces", "--older-than", "7d", "--yes", "--dsn", dsn)
    assert done.code == 0, done.output
    assert _listed_chunks(done.stdout) == old == _column(dsn, COMPRESSED, "llm_traces")

    one = old[0]
    assert cli("chunk", "decompress", one, "--yes", "--dsn", dsn).code == 0
    assert _column(dsn, COMPRESSED, "llm_traces") == old[1:]
    again = cli("chunk", "compress", one.split(".", 1)[1], "--yes", "--dsn", dsn)  # by its bare name
    assert again.code == 0 and _column(dsn, COMPRESSED, "llm_traces") == old
    nothing = cli("chunk", "compress", one, "--yes", "--dsn", dsn)
    assert nothing.code == 0 and "nothing to do" in nothing.stdout and "already compressed" in nothing.stdout

    # The pre-2.18 spelling (compress_chunk / decompress_chunk, still present in 2.23) does the same.
    target = ResolvedDsn(dsn, "test")
    with connect(target) as conn:
        older = dataclasses.replace(server_info(conn), timescaledb_installed="2.17.2")
        plan = gate.prepare(conn, older, target, ChunkCompression("decompress", one))
        assert plan.statements == (f"SELECT decompress_chunk('{one}'::regclass, if_compressed => true)",)
        gate.execute(conn, target, plan)
        plan = gate.prepare(conn, older, target, PolicyChange("compression", "llm_metrics", "5 days"))
        assert plan.statements[-1] == \
            "SELECT add_compression_policy('public.llm_metrics'::regclass, compress_after => '5 days'::interval)"
        gate.execute(conn, target, plan)
    assert _column(dsn, COMPRESSED, "llm_traces") == old[1:]
    assert _column(dsn, "SELECT config->>'compress_after' FROM timescaledb_information.jobs WHERE"
                        " proc_name = 'policy_compression' AND hypertable_name = 'llm_metrics'") == ["5 days"]

    # A continuous aggregate refresh over a window, outside a transaction.
    assert _one(dsn, "SELECT count(*) FROM cost_analysis_hourly") == 0
    refreshed = cli("cagg", "refresh", "cost_analysis_hourly", "--from", "3d", "--to", "1h", "--yes", "--dsn", dsn)
    assert refreshed.code == 0, refreshed.output
    assert "CALL refresh_continuous_aggregate('public.cost_analysis_hourly'::regclass" in refreshed.stdout
    hours = _one(dsn, "SELECT count(DISTINCT bucket) FROM cost_analysis_hourly")
    assert 60 <= hours <= 72
    _one_line_refusal(cli("cagg", "refresh", "no_such_view", "--yes", "--dsn", dsn), 2, "no continuous aggregate")
    _one_line_refusal(cli("cagg", "refresh", "cost_analysis_hourly", "--from", "1h", "--to", "3d", "--yes",
                          "--dsn", dsn), 2, "is not before")

    # Policies: change retention, remove then re-add compression.
    policy = ("SELECT config->>%s FROM timescaledb_information.jobs WHERE proc_name = %s"
              " AND hypertable_name = 'llm_logs'")
    # Issue 24: a retention change lists the chunks its next run drops (range, size) and sums them up, as a drop
    # does; the age in the app's own words.
    preview = cli("policy", "retention", "llm_logs", "--after", "2 days", "--dry-run", "--dsn", dsn)
    assert preview.code == 0, preview.output
    drops = [line for line in preview.stdout.splitlines() if line.startswith("  drops ")]
    doomed = _column(dsn, "SELECT format('%%I.%%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks"
                          " WHERE hypertable_name = %s AND range_end <= now() - interval '2 days' ORDER BY range_start",
                     "llm_logs")
    assert [line.split()[1] for line in drops] == doomed and len(doomed) >= 5, preview.stdout
    assert all(" of public.llm_logs: " in line and " UTC → " in line and "iB, " in line for line in drops)
    assert f"note: its next run drops {len(doomed)} chunk(s), " in preview.stdout
    changed = cli("policy", "retention", "llm_logs", "--after", "30d", "--yes", "--dsn", dsn)
    assert changed.code == 0, changed.output
    assert "note: its next run drops no chunk: none of public.llm_logs ends before " in changed.stdout
    assert "remove_retention_policy" in changed.stdout and '"drop_after": "37 days"' in changed.stdout
    assert _column(dsn, policy, "drop_after", "policy_retention") == ["30 days"]
    assert cli("policy", "compression", "llm_logs", "--remove", "--yes", "--dsn", dsn).code == 0
    assert _column(dsn, policy, "compress_after", "policy_compression") == []
    added = cli("policy", "compression", "llm_logs", "--after", "3d", "--yes", "--dsn", dsn)
    assert added.code == 0 and "CALL add_columnstore_policy('public.llm_logs'::regclass" in added.stdout
    assert _column(dsn, policy, "compress_after", "policy_compression") == ["3 days"]
    _one_line_refusal(cli("policy", "retention", "llm_logs", "--yes", "--dsn", dsn), 2, "--after AGE or --remove")

    outcomes = [(e["action"], e["outcome"]) for e in _audit(cli)]
    assert (f"chunk decompress {one}", "done") in outcomes and len([o for o in outcomes if o[1] == "done"]) == 9
    assert ("chunk compress --table llm_traces --older-than 7 days", "dry run: nothing changed") in outcomes
    assert (f"chunk compress {one}", "nothing to do") in outcomes
    assert ("policy compression llm_logs --after 3 days", "done") in outcomes


@pytest.mark.native
def test_apache_refusals_drop_chunks_and_backends_on_native(cli: Cli, native_db: TestDb) -> None:
    dsn = native_db.dsn
    assert cli("migrate", "--dsn", dsn, "--to", "3").code == 0
    assert cli("seed", "--dsn", dsn, "--days", "10", "--rate", "20", "--no-aftercare").code == 0

    # Community-only actions are refused with the edition as the reason, before anything runs.
    jobs = "SELECT job_id, scheduled, schedule_interval FROM timescaledb_information.jobs ORDER BY 1"
    with psycopg.connect(dsn) as conn:
        jobs_before = conn.execute(jobs).fetchall()
    for args in (("job", "pause", "3"), ("job", "run", "3"), ("chunk", "compress", "--table", "llm_traces",
                 "--older-than", "7d"), ("cagg", "refresh", "cost_analysis_hourly"),
                 ("policy", "retention", "llm_logs", "--after", "30d")):
        _one_line_refusal(cli(*args, "--yes", "--dsn", dsn), 2, "needs TimescaleDB Community", "apache edition")
    with psycopg.connect(dsn) as conn:
        assert conn.execute(jobs).fetchall() == jobs_before

    # drop_chunks: the preview lists exactly the chunks that go.
    before = _column(dsn, CHUNKS, "llm_logs")
    dry = cli("chunk", "drop", "--table", "llm_logs", "--older-than", "8d", "--dry-run", "--dsn", dsn)
    assert dry.code == 0, dry.output
    listed = _listed_chunks(dry.stdout)
    assert 1 <= len(listed) < len(before) and "SELECT drop_chunks('public.llm_logs'::regclass" in dry.stdout
    assert re.search(r"\d+ chunk\(s\), [\d.]+ [KMG]?i?B in all", dry.stdout)
    assert _column(dsn, CHUNKS, "llm_logs") == before
    _one_line_refusal(cli("chunk", "drop", "--table", "llm_logs", "--older-than", "8d", "--yes", "--dsn", dsn,
                          extra_env={"OBSCONSOLE_READ_ONLY": "1"}), 2, "read-only mode")
    # A session holding a SHARE lock: the plan reads, the drop waits for its lock and gives up after lock_timeout.
    with psycopg.connect(dsn) as holder:
        holder.execute("LOCK TABLE llm_logs IN SHARE MODE")
        blocked = cli("chunk", "drop", "--table", "llm_logs", "--older-than", "8d", "--yes", "--dsn", dsn)
        _one_line_refusal(blocked, 1, "chunk drop --table llm_logs --older-than 8 days failed after",
                          "lock timeout")
    assert _column(dsn, CHUNKS, "llm_logs") == before
    dropped = cli("chunk", "drop", "--table", "llm_logs", "--older-than", "8d", "--yes", "--dsn", dsn)
    assert dropped.code == 0, dropped.output
    assert sorted(set(before) - set(_column(dsn, CHUNKS, "llm_logs"))) == _listed_chunks(dropped.stdout) == listed
    # Nothing left to drop: said so, nothing asked (without --yes and without a terminal a question would refuse);
    # the age in the app's own words (issue 24).
    again = cli("chunk", "drop", "--table", "llm_logs", "--older-than", "8 days", "--dsn", dsn)
    assert again.code == 0, again.output
    assert "chunk drop --table llm_logs --older-than 8 days: nothing to drop (no chunk of public.llm_logs ends " \
        "before " in again.stdout
    assert "touches:" not in again.stdout and "SQL:" not in again.stdout and "confirmation" not in again.output
    _one_line_refusal(cli("chunk", "drop", "--table", "nope", "--older-than", "8d", "--yes", "--dsn", dsn), 2,
                      "no hypertable 'nope'")
    hostile = "llm_logs'; DROP TABLE llm_traces; --"
    _one_line_refusal(cli("chunk", "drop", "--table", hostile, "--older-than", "1d", "--yes", "--dsn", dsn), 2,
                      "no hypertable")
    _one_line_refusal(cli("chunk", "drop", "--table", "llm_logs", "--older-than", "90", "--yes", "--dsn", dsn), 2,
                      "--older-than '90': not an interval")
    assert _one(dsn, "SELECT to_regclass('llm_traces') IS NOT NULL") is True

    # Backends: a session holding a lock, and one waiting for it.
    holder = psycopg.connect(dsn, application_name="blocker")
    try:
        holder.execute("LOCK TABLE llm_logs IN ACCESS EXCLUSIVE MODE")
        holder_pid = holder.info.backend_pid
        waiter = psycopg.connect(dsn, autocommit=True, application_name="waiter")
        waiter_pid = waiter.info.backend_pid
        failures: list[BaseException] = []

        def wait() -> None:
            try:
                waiter.execute("SELECT count(*), 'pw-secret' /* \x1b[2J */ FROM llm_logs")
            except psycopg.Error as exc:
                failures.append(exc)

        thread = threading.Thread(target=wait)
        thread.start()
        deadline = time.monotonic() + 10
        while not _one(dsn, "SELECT cardinality(pg_blocking_pids(%s)) > 0", waiter_pid):
            assert time.monotonic() < deadline, "the waiter never waited"
            time.sleep(0.05)

        shown = cli("backend", "terminate", str(holder_pid), "--dry-run", "--dsn", dsn)
        assert shown.code == 0, shown.output
        assert f"pid {holder_pid}: application 'blocker'" in shown.stdout
        assert "AccessExclusiveLock on llm_logs" in shown.stdout, shown.stdout
        assert f"blocks pids: {waiter_pid}" in shown.stdout, shown.stdout
        assert f"SELECT pg_terminate_backend({holder_pid});" in shown.stdout

        cancelled = cli("backend", "cancel", str(waiter_pid), "--yes", "--dsn", dsn)
        assert cancelled.code == 0, cancelled.output
        # Its query with literals masked and the escape character shown escaped.
        assert "query: SELECT count(*), '…' /* \\x1b[2J */ FROM llm_logs" in cancelled.stdout, cancelled.stdout
        assert "application 'waiter'" in cancelled.stdout and "\x1b" not in cancelled.stdout
        thread.join(10)
        assert len(failures) == 1 and isinstance(failures[0], psycopg.errors.QueryCanceled)
        waiter.close()

        assert cli("backend", "terminate", str(holder_pid), "--yes", "--dsn", dsn).code == 0
        deadline = time.monotonic() + 10
        while _one(dsn, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", holder_pid):
            assert time.monotonic() < deadline, "the terminated backend is still there"
            time.sleep(0.05)
    finally:
        with contextlib.suppress(psycopg.Error):
            holder.close()
    _one_line_refusal(cli("backend", "cancel", "1", "--yes", "--dsn", dsn), 2, "no backend with pid 1")

    entries = _audit(cli)
    assert "pw-secret" not in json.dumps(entries)
    refusals = [e for e in entries if "apache edition" in e["outcome"]]
    assert len(refusals) == 5 and all(e["outcome"].startswith("refused: ") for e in refusals)
    assert any(e["action"] == f"backend terminate {holder_pid}" and e["outcome"] == "done" for e in entries)
    failed = next(e for e in entries if e["outcome"].startswith("failed: "))
    assert "lock timeout" in failed["outcome"] and failed["duration_ms"] > 4_000  # it waited out its lock timeout
    drop = next(e for e in entries if e["action"].startswith("chunk drop") and e["outcome"] == "done")
    assert sorted(t.split(" of ")[0] for t in drop["touches"]) == listed


def test_doctor_shows_the_audit_log_path(cli: Cli, native_db: TestDb, tmp_path: Any) -> None:
    result = cli("doctor", "--dsn", native_db.dsn)
    assert result.code == 0, result.output
    assert f"audit log   {tmp_path / 'state' / 'obsconsole' / 'audit.jsonl'}" in result.stdout
