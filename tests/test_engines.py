"""Both engines start, answer a query, and stop with no process left behind."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from console import engines
from console.engines import native
from console.engines.process import pid_alive
from console.infra.errors import ConsoleError
from tests.conftest import IN_CI


def _start_or_skip(kind: str) -> engines.RunningEngine:
    try:
        return engines.start(kind)
    except ConsoleError as exc:
        if IN_CI:
            raise
        pytest.skip(exc.message)


@pytest.mark.parametrize("kind", [pytest.param("native", marks=pytest.mark.native),
                                  pytest.param("tsl", marks=pytest.mark.tsl)])
def test_engine_starts_answers_and_stops_without_orphans(kind: str) -> None:
    engine = _start_or_skip(kind)
    try:
        with psycopg.connect(engine.dsn, autocommit=True) as conn:
            row = conn.execute("SELECT extname FROM pg_extension WHERE extname = 'timescaledb'").fetchone()
        assert row == ("timescaledb",)
        workdirs = list(engine.remove_on_stop)
    finally:
        engine.stop()
    assert not pid_alive(engine.pid)
    assert not engine.alive()
    assert all(not Path(p).exists() for p in workdirs), "throwaway files left behind"


@pytest.mark.native
def test_native_start_failure_shows_the_server_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(native.SERVER_SETTINGS, "shared_buffers", "not-a-size")
    with pytest.raises(ConsoleError) as caught:
        native.start()
    assert "native engine exited" in caught.value.message
    assert "shared_buffers" in caught.value.message  # the server's own complaint, from its log


@pytest.mark.native
def test_native_data_dir_survives_restart() -> None:
    with tempfile.TemporaryDirectory(prefix="obsconsole-test-") as parent:
        Path(parent).chmod(0o755)  # the cluster's unprivileged OS user must reach it
        data = Path(parent) / "cluster"
        first = native.start(data)
        try:
            with psycopg.connect(first.dsn, autocommit=True) as conn:
                conn.execute("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)")
        finally:
            first.stop()
        second = native.start(data)
        try:
            assert second.dsn == first.dsn  # same port and password: a watching console reconnects by itself
            with psycopg.connect(second.dsn, autocommit=True) as conn:
                assert conn.execute("SELECT x FROM kept").fetchone() == (42,)
        finally:
            second.stop()
        assert (data / "PG_VERSION").exists()
        shutil.rmtree(data, ignore_errors=True)


@pytest.mark.tsl
def test_tsl_data_dir_keeps_its_dsn_across_restarts(tmp_path: Path) -> None:
    data = tmp_path / "tsl"
    first = engines.start("tsl", data)
    try:
        with psycopg.connect(first.dsn, autocommit=True, prepare_threshold=None) as conn:
            conn.execute("SET default_transaction_read_only = off")
            conn.execute("CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)")
    finally:
        first.stop()
    second = engines.start("tsl", data)
    try:
        assert second.dsn == first.dsn
        with psycopg.connect(second.dsn, autocommit=True, prepare_threshold=None) as conn:
            assert conn.execute("SELECT x FROM kept").fetchone() == (7,)
            # The extension was there already: the engine loaded its library anyway (its edition is known).
            assert conn.execute("SELECT current_setting('timescaledb.license', true)").fetchone() == ("timescale",)
    finally:
        second.stop()
    assert not second.alive()
