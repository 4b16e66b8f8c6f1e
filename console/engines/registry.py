"""Engines started by `obsconsole engine start`, remembered in a state file so `stop`/`status` find them."""

from __future__ import annotations

import json
import signal
from dataclasses import dataclass
from pathlib import Path

from console.engines.process import RunningEngine, pid_alive
from console.infra import resources


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

    def engine(self) -> RunningEngine:
        return RunningEngine(
            kind=self.kind,
            dsn=self.dsn,
            pid=self.pid,
            log_path=Path(self.log_path),
            data_dir=Path(self.data_dir) if self.data_dir else None,
            remove_on_stop=[Path(p) for p in self.remove_on_stop],
            stop_signal=signal.Signals(self.stop_signal),
        )

    @property
    def running(self) -> bool:
        return pid_alive(self.pid)


def _path(kind: str) -> Path:
    return state_dir() / f"{kind}.json"


def save(engine: RunningEngine) -> None:
    record = {
        "kind": engine.kind,
        "dsn": engine.dsn,
        "pid": engine.pid,
        "log_path": str(engine.log_path),
        "data_dir": str(engine.data_dir) if engine.data_dir else None,
        "remove_on_stop": [str(p) for p in engine.remove_on_stop],
        "stop_signal": int(engine.stop_signal),
    }
    resources.ensure_state_dir()
    path = _path(engine.kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(record))


def load(kind: str) -> EngineRecord | None:
    try:
        return EngineRecord(**json.loads(_path(kind).read_text()))
    except FileNotFoundError:
        return None


def forget(kind: str) -> None:
    _path(kind).unlink(missing_ok=True)
