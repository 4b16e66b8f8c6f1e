"""The tsl engine: TimescaleDB 2.23 Community in WASM PostgreSQL 17 (PGlite) behind pglite-socket.

Limits measured here: one client connection at a time; COPY FROM STDIN and pipeline mode crash it; no
background workers (jobs run only through CALL run_job). pglite-socket alone also crashes on a client message
split over two socket reads (always one over ~64 KiB); the launcher (engines/tsl-server.mjs) hands PGlite whole
messages only.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import tempfile
from pathlib import Path

from console.engines.process import RunningEngine, remembered_port, spawn
from console.infra.errors import ConsoleError
from console.infra.resources import ENGINES_DIR

LAUNCHER = ENGINES_DIR / "tsl-server.mjs"
START_TIMEOUT_S = 90.0


def start(data_dir: Path | None = None, *, detached: bool = False, port: int | None = None) -> RunningEngine:
    """Start the PGlite TimescaleDB engine in memory, or persisted in `data_dir`; on `port`, or the one it had
    last time on `data_dir` while free, or a free one."""
    node = shutil.which("node")
    if node is None:
        raise ConsoleError("tsl engine needs Node.js (`node` not on PATH; run `make setup`)")
    if not (ENGINES_DIR / "node_modules" / "@electric-sql" / "pglite-socket").exists():
        raise ConsoleError(f"tsl engine not installed: {ENGINES_DIR}/node_modules is missing (run `make setup`)")
    workdir = Path(tempfile.mkdtemp(prefix="obsconsole-tsl-"))
    if data_dir is not None:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
    port = remembered_port(_beside(data_dir, "port"), port)
    argv = [node, str(LAUNCHER), "--port", str(port)]
    if not detached:
        argv += ["--watch-pid", str(os.getpid())]  # it stops by itself if we die without stopping it
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
        argv += ["--data-dir", str(data_dir.resolve())]
    log_path = workdir / "server.log"
    popen = spawn(argv, log_path, cwd=ENGINES_DIR)
    # The engine accepts any password; a random one keeps DSN handling honest (it is masked everywhere). Kept
    # with the data, so a restart on the same data dir has the same DSN.
    password = _password(data_dir)
    engine = RunningEngine(
        kind="tsl",
        dsn=f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres?sslmode=disable",
        pid=popen.pid,
        log_path=log_path,
        data_dir=data_dir,
        remove_on_stop=[workdir],
        stop_signal=signal.SIGTERM,
        _popen=None if detached else popen,
    )
    engine.wait_until_ready(START_TIMEOUT_S)
    return engine


def _beside(data_dir: Path | None, what: str) -> Path | None:
    """A file kept beside the data dir (PGlite wants its data dir to itself)."""
    return None if data_dir is None else data_dir.parent / f".{data_dir.name}.obsconsole-{what}"


def _password(data_dir: Path | None) -> str:
    record = _beside(data_dir, "password")
    if record is None:
        return secrets.token_urlsafe(12)
    if not record.exists():
        record.touch(mode=0o600)
        record.write_text(secrets.token_urlsafe(12))
    return record.read_text().strip()
