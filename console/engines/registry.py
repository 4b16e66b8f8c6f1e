"""Engines started by `obsconsole engine start`, remembered in a state file so `stop`/`status` find them.

A state file can go stale (the machine rebooted, the engine died and its pid went to another process) or be
edited: `stop` and `status` act only on a process proven to be the engine that was started, by the start time,
command line and process group recorded when it started (never pid 1 or lower), and `stop` deletes only the
folders the engine created itself (obsconsole-KIND-* in the temp dir)."""

from __future__ import annotations

import json
import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from console.engines.process import RunningEngine, identity
from console.infra import resources
from console.infra.errors import ConsoleError
from console.infra.userfiles import read_text


def state_dir() -> Path:
    return resources.state_dir() / "engines"


@dataclass(frozen=True)
class EngineRecord:
    """What `engine start` wrote down about an engine it left running."""

    kind: str
    dsn: str
    pid: int
    log_path: str
    data_dir: str | None
    remove_on_stop: list[str]
    stop_signal: int
    start_time: int | None = None
    cmdline: list[str] = field(default_factory=list)

    def engine(self) -> RunningEngine:
        return RunningEngine(
            kind=self.kind,
            dsn=self.dsn,
            pid=self.pid,
            log_path=Path(self.log_path),
            data_dir=Path(self.data_dir) if self.data_dir else None,
            remove_on_stop=[p for p in map(Path, self.remove_on_stop) if own_folder(self.kind, p)],
            stop_signal=signal.Signals(self.stop_signal),
        )

    def unproven(self) -> str | None:
        """Why pid is not provably the engine that was started (None when it is)."""
        if self.pid <= 1:
            return f"pid {self.pid} cannot be an engine"
        now = identity(self.pid)
        if now is None:
            return f"pid {self.pid} is not running"
        if self.start_time is None or not self.cmdline:
            return f"the state file records no start time or command line for pid {self.pid}"
        if (now.start_time, list(now.cmdline), now.group) != (self.start_time, self.cmdline, self.pid):
            return f"pid {self.pid} is another process now (its start time or command line differ)"
        return None

    @property
    def running(self) -> bool:
        return self.unproven() is None

    @property
    def gone(self) -> bool:
        """The engine's process has exited (its pid names no live process)."""
        return self.pid > 1 and identity(self.pid) is None


def own_folder(kind: str, path: Path) -> bool:
    """Whether `path` is a folder an engine of `kind` created for itself (obsconsole-KIND-* in the temp dir)."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return (resolved.is_dir() and not path.is_symlink() and resolved.name.startswith(f"obsconsole-{kind}-")
            and resolved.parent == Path(tempfile.gettempdir()).resolve())


def _path(kind: str) -> Path:
    return state_dir() / f"{kind}.json"


def save(engine: RunningEngine) -> None:
    """Write down `engine` (just started by us) with the identity of its process."""
    started = identity(engine.pid)
    if started is None:
        raise ConsoleError(f"{engine.kind} engine (pid {engine.pid}) exited as it started; its log: "
                           f"{engine.log_path}")
    record = {
        "kind": engine.kind,
        "dsn": engine.dsn,
        "pid": engine.pid,
        "log_path": str(engine.log_path),
        "data_dir": str(engine.data_dir) if engine.data_dir else None,
        "remove_on_stop": [str(p) for p in engine.remove_on_stop],
        "stop_signal": int(engine.stop_signal),
        "start_time": started.start_time,
        "cmdline": list(started.cmdline),
    }
    resources.ensure_state_dir()
    path = _path(engine.kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(record))


def load(kind: str) -> EngineRecord | None:
    """The record of the `kind` engine, None when there is none; ConsoleError (exit 2) for a damaged file."""
    path = _path(kind)
    try:
        data = json.loads(read_text(path, f"{kind} engine state file", 64 << 10))
        record = EngineRecord(**data)
        if not (isinstance(record.pid, int) and isinstance(record.remove_on_stop, list)
                and isinstance(record.cmdline, list) and isinstance(record.stop_signal, int)):
            raise TypeError("wrong field types")
        signal.Signals(record.stop_signal)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        raise ConsoleError(f"{kind} engine state file {path} is damaged ({exc.__class__.__name__}): nothing "
                           f"stopped; remove it (rm {path}) if no {kind} engine is running") from None
    return record


def forget(kind: str) -> None:
    _path(kind).unlink(missing_ok=True)
