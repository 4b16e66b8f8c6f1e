"""`obsconsole engine start|status|stop` as a person runs it, and the CLI's basics."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from console import __version__
from console.engines.process import pid_alive
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.mark.parametrize("kind", [pytest.param("tsl", marks=pytest.mark.tsl),
                                  pytest.param("native", marks=pytest.mark.native)])
def test_engine_start_status_stop(cli: Cli, kind: str) -> None:
    # A real process: the engine must outlive the command that started it (in this process it would be our child,
    # and a stopped child stays a zombie that `engine stop` would wait on).
    started = cli("engine", "start", "--kind", kind, process=True)
    assert started.code == 0, started.output
    dsn = started.stdout.strip()
    password = str(psycopg.conninfo.conninfo_to_dict(dsn)["password"])
    assert password not in started.stderr  # the log line masks it; stdout is the DSN itself, for scripts
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    status = cli("engine", "status", "--kind", kind)
    assert status.code == 0 and "running" in status.stdout and password not in status.output
    pid = int(status.stdout.split("pid ")[1].split(",")[0])
    again = cli("engine", "start", "--kind", kind)
    assert again.code == 2 and "already running" in again.stderr
    stopped = cli("engine", "stop", "--kind", kind)
    assert stopped.code == 0, stopped.output
    assert not pid_alive(pid)
    assert cli("engine", "status", "--kind", kind).code == 1


def test_version_and_help(cli: Cli) -> None:
    assert cli("--version").stdout.strip() == f"obsconsole {__version__}"
    helped = cli("--help")
    assert helped.code == 0 and "doctor" in helped.stdout and "engine" in helped.stdout


def test_bad_flag_and_bad_kind(cli: Cli) -> None:
    assert cli("doctor", "--no-such-flag").code == 2
    bad = cli("engine", "start", "--kind", "oracle")
    assert bad.code == 2 and bad.stderr.strip() == "obsconsole: unknown engine kind 'oracle': choose one of tsl, native"
