"""The native engine: Debian's PostgreSQL 15 with TimescaleDB (Apache edition) in a throwaway cluster.

initdb refuses to run as root, so as root the cluster runs as the unprivileged `obsconsole` user that
`make setup` creates. The server listens on 127.0.0.1 (random free port) and a private unix-socket dir.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg

from console.engines.process import RunningEngine, remembered_port, spawn
from console.infra.errors import ConsoleError
from console.infra.queries import query

ENGINE_USER = "obsconsole"
START_TIMEOUT_S = 60.0
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "shared_preload_libraries": "timescaledb",
    "timescaledb.telemetry_level": "off",
    "max_connections": "150",  # bench --fleet 100 and the fleet tests keep one connection per clone
    "fsync": "off",  # a throwaway test cluster: durability is not the point, speed is
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "log_min_messages": "warning",
}


def pg_bin() -> Path:
    """PostgreSQL 15's programs: $OBSCONSOLE_PG_BIN, read when asked (not at import)."""
    return Path(os.environ.get("OBSCONSOLE_PG_BIN", "/usr/lib/postgresql/15/bin"))


def start(data_dir: Path | None = None, *, detached: bool = False, port: int | None = None) -> RunningEngine:
    """Start PostgreSQL 15 + TimescaleDB; a new cluster in a temp dir unless `data_dir` is given; on `port`
    (e.g. the port of an earlier start on the same data dir, so clients can reconnect) or a free one."""
    if not (pg_bin() / "postgres").exists():
        raise ConsoleError(f"native engine not installed: {pg_bin() / 'postgres'} is missing (run `make setup`)")
    user = _run_as_user()
    workdir = Path(tempfile.mkdtemp(prefix="obsconsole-native-"))
    removable = [workdir]
    cluster = data_dir or workdir / "data"
    sockets = workdir / "sockets"
    sockets.mkdir()
    password_file = (cluster / "obsconsole.password") if data_dir else workdir / "password"
    _chown(workdir, user)
    _chown(sockets, user)
    if not (cluster / "PG_VERSION").exists():
        cluster.mkdir(parents=True, exist_ok=True)
        _chown(cluster, user)
        password = secrets.token_urlsafe(18)
        _initdb(cluster, password, user, workdir)
        password_file.write_text(password)
        _chown(password_file, user)
    password = password_file.read_text().strip()
    port = remembered_port(cluster / "obsconsole.port" if data_dir else None, port)
    argv = [str(pg_bin() / "postgres"), "-D", str(cluster), "-p", str(port), "-k", str(sockets)]
    for key, value in SERVER_SETTINGS.items():
        argv += ["-c", f"{key}={value}"]
    log_path = workdir / "server.log"
    popen = spawn(argv, log_path, user=user)
    engine = RunningEngine(
        kind="native",
        dsn=f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres?sslmode=disable",
        pid=popen.pid,
        log_path=log_path,
        data_dir=data_dir,
        remove_on_stop=removable,
        stop_signal=signal.SIGINT,  # PostgreSQL's fast shutdown
        _popen=None if detached else popen,
    )
    engine.wait_until_ready(START_TIMEOUT_S)
    with psycopg.connect(engine.dsn, autocommit=True) as conn:
        conn.execute(query("create_extension"))
    return engine


def _run_as_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        import pwd

        pwd.getpwnam(ENGINE_USER)
    except KeyError:
        raise ConsoleError(
            f"running as root needs the unprivileged OS user {ENGINE_USER!r} for the cluster (run `make setup`)"
        ) from None
    return ENGINE_USER


def _chown(path: Path, user: str | None) -> None:
    if user is not None:
        shutil.chown(path, user, user)


def _initdb(cluster: Path, password: str, user: str | None, workdir: Path) -> None:
    pwfile = workdir / "initdb.pw"
    pwfile.write_text(password)
    _chown(pwfile, user)
    try:
        result = subprocess.run(
            [str(pg_bin() / "initdb"), "-D", str(cluster), "-U", "postgres", f"--pwfile={pwfile}",
             "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"],
            user=user, group=user, capture_output=True, text=True, check=False,
        )
    finally:
        pwfile.unlink(missing_ok=True)
    (workdir / "initdb.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-10:])
        raise ConsoleError(f"native engine: initdb failed:\n{tail}")
