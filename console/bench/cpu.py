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


def run_time_ms(pid: int) -> float | None:
    """The time process `pid` has spent on a CPU, in milliseconds, from /proc/<pid>/schedstat (exact, where
    /proc/<pid>/stat counts 10 ms ticks: a new backend's few milliseconds need this); None when it cannot be read."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text(encoding="ascii").split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


def listener_pid(port: int) -> int | None:
    """The process listening on TCP `port` on this machine (its socket's inode found in /proc/*/fd), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
                return int(proc.name)
        except OSError:
            continue
    return None


def server_process(conn: psycopg.Connection[tuple[object, ...]], backend_pid: int) -> tuple[int | None, str]:
    """The process whose CPU is the server's work for `conn`, and how it was found (or why there is none)."""
    host = conn.info.host or ""
    if not (host in LOCAL_HOSTS or host.startswith("/")):
        return None, f"the server ({host}) is not on this machine: /proc cannot show its backend"
    if backend_pid > 0:
        why = unmeasurable(backend_pid)
        return (None, why) if why else (backend_pid, "the backend's utime+stime from /proc/<pid>/stat")
    # pg_backend_pid() = 0: the tsl engine runs PostgreSQL as WASM inside its Node process, the one listening.
    pid = listener_pid(conn.info.port)
    if pid is None or backend_cpu_ms(pid) is None:
        return None, ("the server has no backend process (pg_backend_pid() = 0, WASM) and no process on this "
                      f"machine listens on port {conn.info.port}")
    return pid, ("the tsl engine's Node process (PostgreSQL runs in it as WASM; found by its listening port), "
                 "utime+stime from /proc/<pid>/stat")


def unmeasurable(pid: int) -> str | None:
    """Why the backend `pid` cannot be measured on this machine, or None when it can."""
    try:
        comm = Path(f"/proc/{pid}/comm").read_text(encoding="ascii").strip()
    except OSError:
        return f"backend {pid} is not visible in this machine's /proc (a container or another host?)"
    if "postgres" not in comm:
        return f"process {pid} on this machine is {comm!r}, not the server's backend (is the server elsewhere?)"
    if backend_cpu_ms(pid) is None:
        return f"/proc/{pid}/stat is not readable"
    return None
