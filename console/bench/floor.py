"""The floor for `bench --chunks`: Debian's psql running the raw catalog reads the panes need, timed the way the
panes are (per refresh, p50/p95 over the same number of runs after one warm-up) with psql's own \\timing, and the
server CPU of psql's backend from /proc before and after the timed runs."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from typing import IO

from console.bench import cpu
from console.bench.psql import find_psql, psql_command
from console.bench.stats import Spread, spread
from console.infra.dsn import ResolvedDsn, scrub
from console.infra.errors import ConsoleError
from console.infra.queries import query

FLOOR_QUERIES = ("bench/floor_chunks", "bench/floor_objects", "bench/floor_jobs")
WHAT = ("psql: chunk catalog joined with dimension slices and pg_class.relpages (tables and indexes), hypertable "
        "dimensions and aggregates, jobs and job stats; no cost-aggregate read")
_TIME = re.compile(r"^Time: ([0-9.]+) ms")
_MARK = "obsconsole-bench-mark"


@dataclass(frozen=True)
class Floor:
    """The floor's figures, or why it was skipped."""

    what: str
    skipped: str | None = None
    refresh: Spread | None = None
    statements_per_refresh: int = 0
    server_cpu_ms: float | None = None  # per refresh
    cpu_note: str | None = None


class _PsqlEnded(Exception):
    """psql exited before printing the mark."""


def measure(target: ResolvedDsn, repeat: int, server_pid: int | None = None) -> Floor:
    """Run the floor reads `repeat` times in one psql session (after one warm-up round). `server_pid`: the process
    to read the CPU of where the session has no backend process (the tsl engine's Node process)."""
    psql = find_psql()
    if psql is None:
        return Floor(WHAT, skipped="psql not found (PATH, $OBSCONSOLE_PG_BIN, /usr/lib/postgresql/*/bin)")
    argv, env = psql_command(psql, target, "-A", "-t")
    reads = "".join(_statement(query(name)) for name in FLOOR_QUERIES)
    with subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            _send(proc.stdin, _statement(query("bench/floor_session"))
                  + f"\\o /dev/null\n\\timing on\n{reads}\\timing off\n\\o\n\\echo {_MARK}\n")
            pid_lines = _read_until_mark(proc.stdout)
            pid = int(next(line.split("|")[-1] for line in pid_lines if line and line.split("|")[-1].isdigit()))
            pid = server_pid if pid <= 0 and server_pid else pid
            before = cpu.backend_cpu_ms(pid)
            rounds = "".join(f"\\o /dev/null\n\\timing on\n{reads}\\timing off\n\\o\n\\echo {_MARK}\n"
                             for _ in range(repeat))
            _send(proc.stdin, rounds)
            samples = [sum(_times(_read_until_mark(proc.stdout))) for _ in range(repeat)]
            after = cpu.backend_cpu_ms(pid)
            # The tsl engine's one backend outlives psql's session: leave it as it was.
            _send(proc.stdin, "RESET default_transaction_read_only;\nRESET statement_timeout;\n\\q\n")
        except (BrokenPipeError, _PsqlEnded, StopIteration, ValueError) as exc:
            proc.kill()
            detail = (proc.stderr.read().strip().splitlines() if proc.stderr else []) or [type(exc).__name__]
            raise ConsoleError(f"the psql floor failed: {scrub(detail[-1], target.dsn)}") from None
        proc.wait(timeout=60)
    reason = None if before is not None and after is not None else "psql's backend is not measurable here"
    cpu_ms = (after - before) / repeat if before is not None and after is not None else None
    return Floor(WHAT, None, spread(samples), len(FLOOR_QUERIES), cpu_ms, reason)


def _statement(text: str) -> str:
    """A query file as one psql input line (comments dropped, so psql sends it as one statement)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return " ".join(lines).strip().rstrip(";") + ";\n"


def _send(stdin: IO[str], text: str) -> None:
    stdin.write(text)
    stdin.flush()


def _read_until_mark(stdout: IO[str]) -> list[str]:
    lines: list[str] = []
    for line in stdout:
        if line.strip() == _MARK:
            return lines
        lines.append(line.rstrip("\n"))
    raise _PsqlEnded


def _times(lines: list[str]) -> list[float]:
    return [float(m.group(1)) for line in lines if (m := _TIME.match(line))]
