"""`bench --fleet N` on the native engine: the clones' refresh figures, and where the cold refresh's time goes
(this process's CPU and, the server being on this machine, its backends' and postmaster's), every clone dropped
afterwards. The figures are printed, never judged against a time: this checks they are measured."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import psycopg

from console.engines.process import RunningEngine
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def test_bench_fleet_prints_cpu_for_the_cold_refresh_and_drops_its_clones(
        cli: Cli, native_engine: RunningEngine, tmp_path: Path) -> None:
    out = tmp_path / "fleet.json"
    result = cli("bench", "--fleet", "3", "--repeat", "2", "--dsn", native_engine.dsn, "--json", str(out))
    assert result.code == 0, result.output
    data = json.loads(out.read_text())
    assert data["databases"] == 3 and data["reachable"] == 3 and data["refresh"]["p50_ms"] > 0
    for cpu in (data["cold_cpu"], data["refresh_cpu"], data["connect"]["cpu"]):
        assert cpu["client_ms"] > 0 and cpu["backends_ms"] is not None and cpu["postmaster_ms"] is not None, data
    assert data["cold_cpu"]["backends_ms"] > 0 and data["connect"]["cpu"]["backends_ms"] > 0, data
    assert "/proc/<pid>/schedstat" in data["server_cpu"], data["server_cpu"]
    assert "cold refresh: this process" in result.stdout and "connecting alone" in result.stdout, result.stdout
    with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
        row = admin.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'obsconsole_bench%'").fetchone()
    assert row == (0,)  # every clone and the scratch database dropped
