"""--lock-timeout and --statement-timeout on the action commands, through the `obsconsole` CLI on the native
engine: shown in the plan, applied to the action's own transaction (a lock held by another session makes it fail
with one line naming the wait and the holder, exit 1, nothing changed) and to the reads that plan it (exit 2)."""

from __future__ import annotations

import json
from collections.abc import Callable

import psycopg
import pytest

from tests.conftest import CliResult, TestDb
from tests.test_production import one_line as _one_line

Cli = Callable[..., CliResult]
CHUNKS = ("SELECT format('%I.%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks"
          " WHERE hypertable_name = 'llm_logs' ORDER BY 1")
DROP = ("chunk", "drop", "--table", "llm_logs", "--older-than", "8d", "--yes")


def _chunks(dsn: str) -> list[str]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return [row[0] for row in conn.execute(CHUNKS).fetchall()]



@pytest.mark.native
def test_action_timeout_flags_reach_the_action_and_its_plan(cli: Cli, native_db: TestDb) -> None:
    dsn = native_db.dsn
    assert cli("migrate", "--dsn", dsn, "--to", "3").code == 0
    assert cli("seed", "--dsn", dsn, "--days", "10", "--rate", "20", "--no-aftercare").code == 0
    before = _chunks(dsn)

    help_text = cli("chunk", "drop", "--help").stdout
    assert "--lock-timeout" in help_text and "--statement-timeout" in help_text
    shown = cli(*DROP[:-1], "--dry-run", "--lock-timeout", "200ms", "--statement-timeout", "30s", "--dsn", dsn)
    assert shown.code == 0, shown.output
    assert "statement_timeout 30000 ms, lock_timeout 200 ms" in shown.stdout
    _one_line(cli(*DROP, "--lock-timeout", "5x", "--dsn", dsn), 2, "--lock-timeout '5x': not a duration")
    _one_line(cli(*DROP, "--statement-timeout", "0s", "--dsn", dsn), 2, "--statement-timeout '0s'")

    with psycopg.connect(dsn, application_name="blocker") as holder:
        holder.execute("LOCK TABLE llm_logs IN SHARE MODE")  # the plan's reads pass, drop_chunks waits
        pid = holder.info.backend_pid
        line = _one_line(cli(*DROP, "--lock-timeout", "200ms", "--dsn", dsn), 1,
                         "chunk drop --table llm_logs --older-than 8 days failed after", "lock timeout",
                         "after waiting 200 ms for a lock", f"pid {pid} (blocker) holds ShareLock on llm_logs",
                         "rolled back, nothing changed")
        assert "of its chunks" in line
        # The statement timeout given wins over a longer lock timeout: it is the action's too.
        _one_line(cli(*DROP, "--lock-timeout", "1min", "--statement-timeout", "300ms", "--dsn", dsn), 1,
                  "canceling statement due to statement timeout", "rolled back, nothing changed")
        holder.rollback()
        holder.execute("LOCK TABLE llm_logs IN ACCESS EXCLUSIVE MODE")  # now the plan's own reads wait
        _one_line(cli(*DROP, "--lock-timeout", "200ms", "--dsn", dsn), 2,
                  "could not read what it touches: canceling statement due to lock timeout",
                  f"pid {pid} (blocker) holds AccessExclusiveLock on llm_logs")
    assert _chunks(dsn) == before

    done = cli(*DROP, "--lock-timeout", "2s", "--statement-timeout", "2min", "--dsn", dsn)
    assert done.code == 0, done.output
    assert "statement_timeout 120000 ms, lock_timeout 2000 ms" in done.stdout
    assert 1 <= len(_chunks(dsn)) < len(before)
    entries = json.loads(cli("audit", "--json").stdout)["entries"]
    assert [e["outcome"].split(":")[0] for e in entries if e["action"].startswith("chunk drop")] == [
        "dry run", "intent", "failed", "intent", "failed", "refused", "intent", "done"]
