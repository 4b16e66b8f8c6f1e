"""Launchers for the production-shaped fixtures: pgbouncer in transaction mode in front of the native engine,
and a hot standby of the native cluster (pg_basebackup -R, a second postmaster). Both run as the engine's
unprivileged OS user when the tests run as root (pgbouncer and postgres refuse root), in their own process
group, and stop leaving no process and no files behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg

from console.engines import native
from console.engines.process import RunningEngine, free_port, spawn
from console.infra.errors import ConsoleError

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
POOL_SIZE = 4


def _user() -> str | None:
    return native.ENGINE_USER if os.geteuid() == 0 else None


def _workdir(prefix: str) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    user = _user()
    if user:
        shutil.chown(workdir, user, user)
    return workdir


def socket_dir(engine: RunningEngine) -> Path:
    """The native engine's private unix-socket directory (local connections there are trusted)."""
    return engine.remove_on_stop[0] / "sockets"


def port_of(dsn: str) -> int:
    return int(psycopg.conninfo.conninfo_to_dict(dsn)["port"] or 5432)


def start_pgbouncer(engine: RunningEngine) -> RunningEngine:
    """pgbouncer, pool_mode=transaction, POOL_SIZE server sessions per database/user, in front of `engine`."""
    if not Path(PGBOUNCER).exists():
        raise ConsoleError("pgbouncer is not installed (run `make setup`)")
    workdir = _workdir("obsconsole-pgbouncer-")
    port = free_port()
    (workdir / "userlist.txt").write_text('"postgres" ""\n"app" ""\n')
    (workdir / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={socket_dir(engine)} port={port_of(engine.dsn)}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {workdir / 'userlist.txt'}\n"
        f"pool_mode = transaction\ndefault_pool_size = {POOL_SIZE}\nmax_client_conn = 100\n"
        "server_reset_query =\nignore_startup_parameters = extra_float_digits\n"
    )
    user = _user()
    for path in workdir.iterdir():
        if user:
            shutil.chown(path, user, user)
    popen = spawn([PGBOUNCER, str(workdir / "pgbouncer.ini")], workdir / "pgbouncer.log", user=user)
    pooled = RunningEngine(kind="pgbouncer", dsn=f"postgresql://postgres@127.0.0.1:{port}/postgres?sslmode=disable",
                           pid=popen.pid, log_path=workdir / "pgbouncer.log", data_dir=None,
                           remove_on_stop=[workdir], stop_signal=signal.SIGINT, _popen=popen)
    pooled.wait_until_ready(20)
    return pooled


def start_standby(engine: RunningEngine, *, preload: bool = True) -> RunningEngine:
    """A hot standby of `engine`'s cluster: pg_basebackup -R over the private socket, then a second postmaster
    on another port (same OS user); with preload=False, without shared_preload_libraries=timescaledb."""
    workdir = _workdir("obsconsole-standby-")
    data = workdir / "data"
    sockets = workdir / "sockets"
    sockets.mkdir()
    user = _user()
    if user:
        shutil.chown(sockets, user, user)
    result = subprocess.run(
        [str(native.pg_bin() / "pg_basebackup"), "-h", str(socket_dir(engine)), "-p", str(port_of(engine.dsn)),
         "-U", "postgres", "-D", str(data), "-R", "-X", "stream", "--no-sync",
         "--checkpoint=fast"],  # the default, spread, waited out most of a checkpoint_timeout (115 s measured)
        user=user, group=user, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(workdir, ignore_errors=True)
        raise ConsoleError(f"pg_basebackup failed: {result.stderr.strip()}")
    port = free_port()
    argv = [str(native.pg_bin() / "postgres"), "-D", str(data), "-p", str(port), "-k", str(sockets)]
    for key, value in native.SERVER_SETTINGS.items():
        if key == "shared_preload_libraries" and not preload:
            continue
        argv += ["-c", f"{key}={value}"]
    popen = spawn(argv, workdir / "server.log", user=user)
    password = psycopg.conninfo.conninfo_to_dict(engine.dsn)["password"]
    standby = RunningEngine(kind="standby", dsn=f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres"
                            "?sslmode=disable", pid=popen.pid, log_path=workdir / "server.log", data_dir=None,
                            remove_on_stop=[workdir], stop_signal=signal.SIGINT, _popen=popen)
    standby.wait_until_ready(60)
    return standby
