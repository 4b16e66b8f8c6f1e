"""Server CPU of one backend, read from /proc/<pid>/stat (utime + stime) when the server runs on this machine."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


def backend_cpu_ms(pid: int) -> float | None:
    """utime + stime of process `pid` in milliseconds; None when it cannot be read."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    fields = text.rsplit(")", 1)[-1].split()
    # After "pid (comm)": state is field 3 of stat(5), utime 14 and stime 15.
    return (int(fields[11]) + int(fields[12])) * TICK_MS


def unmeasurable(conn: psycopg.Connection[tuple[object, ...]], pid: int) -> str | None:
    """Why the backend `pid` of `conn` cannot be measured here, or None when it can."""
    if pid <= 0:
        return ("the server has no backend process of its own (pg_backend_pid() = 0: the tsl engine runs "
                "PostgreSQL as WASM inside its Node process)")
    host = conn.info.host or ""
    if not (host in LOCAL_HOSTS or host.startswith("/")):
        return f"the server ({host}) is not on this machine: /proc cannot show its backend"
    try:
        comm = Path(f"/proc/{pid}/comm").read_text(encoding="ascii").strip()
    except OSError:
        return f"backend {pid} is not visible in this machine's /proc (a container or another host?)"
    if "postgres" not in comm:
        return f"process {pid} on this machine is {comm!r}, not the server's backend (is the server elsewhere?)"
    if backend_cpu_ms(pid) is None:
        return f"/proc/{pid}/stat is not readable"
    return None
