"""A running engine process: its DSN, how to wait for it to answer, and how to stop it leaving nothing."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from console.infra.dsn import mask
from console.infra.errors import ConsoleError
from console.infra.queries import query


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def remembered_port(record: Path | None, chosen: int | None = None) -> int:
    """The port for an engine on a data dir: `chosen`, else the one it had last time (kept in the file `record`,
    so a console watching it reconnects by itself after a restart) while that port is free, else a free one."""
    if record is None:
        return chosen or free_port()
    if chosen is None:
        try:
            chosen = int(record.read_text().strip())
        except (OSError, ValueError):
            chosen = None
    if chosen is None or not _port_free(chosen):
        chosen = free_port()
    record.write_text(str(chosen))
    return chosen


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass(frozen=True)
class Identity:
    """What tells one process from another that later gets its pid: its start time (clock ticks after boot,
    /proc/PID/stat field 22), its command line and its process group."""

    start_time: int
    cmdline: tuple[str, ...]
    group: int


def identity(pid: int) -> Identity | None:
    """The identity of live process `pid` (None when there is none, it is a zombie, or pid <= 1)."""
    if pid <= 1:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # fields[0] is field 3 (state): field N is fields[N - 3]
    if len(fields) < 20 or fields[0] == "Z":
        return None
    return Identity(int(fields[19]), tuple(a.decode(errors="replace") for a in cmdline.split(b"\0") if a),
                    int(fields[2]))


def pid_alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@dataclass
class RunningEngine:
    """An engine we started: `dsn` to connect, `pid` of its process group leader."""

    kind: str
    dsn: str
    pid: int
    log_path: Path
    data_dir: Path | None
    remove_on_stop: list[Path] = field(default_factory=list)
    stop_signal: int = signal.SIGTERM
    _popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def masked_dsn(self) -> str:
        return mask(self.dsn)

    def alive(self) -> bool:
        if self._popen is not None and self._popen.poll() is not None:
            return False
        return pid_alive(self.pid)

    def stop(self, timeout_s: float = 15.0) -> None:
        """Stop the engine's whole process group and remove its throwaway files."""
        _signal_group(self.pid, self.stop_signal)
        if not _wait_gone(self, timeout_s):
            _signal_group(self.pid, signal.SIGKILL)
            _wait_gone(self, 5.0)
        self.remove_files()

    def remove_files(self) -> None:
        """Remove the engine's throwaway folders (once it has stopped)."""
        for path in self.remove_on_stop:
            shutil.rmtree(path, ignore_errors=True)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def wait_until_ready(self, timeout_s: float) -> None:
        """Poll with a real query until the engine answers; on death or timeout stop it and raise."""
        deadline = time.monotonic() + timeout_s
        last_error = "no answer"
        while time.monotonic() < deadline:
            if not self.alive():
                break
            try:
                with psycopg.connect(self.dsn, connect_timeout=2, autocommit=True) as conn:
                    conn.execute(query("ping"))
                return
            except psycopg.Error as exc:
                last_error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                time.sleep(0.1)
        state = "exited" if not self.alive() else f"did not answer within {timeout_s:.0f} s ({last_error})"
        tail = self.log_tail()
        self.stop()
        raise ConsoleError(f"{self.kind} engine {state}; its log ({self.log_path}) ends with:\n{tail}")


def spawn(
    argv: list[str], log_path: Path, *, cwd: Path | None = None, user: str | None = None
) -> subprocess.Popen[bytes]:
    """Start `argv` in its own session (its own process group) with output to `log_path`."""
    log = log_path.open("ab")
    try:
        return subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            user=user,
            group=user,
            env={k: v for k, v in os.environ.items() if not k.startswith("PG")},
        )
    finally:
        log.close()


def _signal_group(pid: int, sig: int) -> None:
    if pid <= 1:  # killpg(0) is our own group, killpg(1) every process: never an engine
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # killpg succeeds while any member (zombies included) exists: look for a live one.
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if int(fields[2]) == pid and fields[0] != "Z":
                return True
    return False


def _wait_gone(engine: RunningEngine, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if engine._popen is not None:
            engine._popen.poll()
        if not _group_alive(engine.pid):
            return True
        time.sleep(0.05)
    return False
