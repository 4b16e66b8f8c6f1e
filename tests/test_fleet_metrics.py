"""`obsconsole metrics` (issue 26): OpenMetrics text parsed back with prometheus_client's own parser, and
`metrics --listen` scraped over real HTTP, then stopped cleanly by SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from console.engines.process import free_port
from tests.conftest import OBSCONSOLE, CliResult, TestDb, record_output
from tests.test_fleet import samples, service_section, value

Cli = Callable[..., CliResult]


@pytest.fixture
def migrated(native_migrated_db: TestDb, cli: Cli) -> str:
    return native_migrated_db.dsn


def _service_file(tmp_path: Path, dsn: str) -> dict[str, str]:
    path = tmp_path / "pg_service.conf"
    path.write_text(service_section("eu", dsn) + service_section("gone", dsn, port=str(free_port())))
    return {"PGSERVICEFILE": str(path)}


def test_metrics_text(cli: Cli, migrated: str, tmp_path: Path) -> None:
    env = _service_file(tmp_path, migrated)
    result = cli("metrics", extra_env=env)
    assert result.code == 0 and result.stderr == "", result.output
    assert result.stdout.endswith("# EOF\n")
    found = samples(result.stdout)
    assert value(found, "obsconsole_up", "eu") == 1 and value(found, "obsconsole_up", "gone") == 0
    assert value(found, "obsconsole_down_since_timestamp_seconds", "gone") > 1.7e9
    assert value(found, "obsconsole_chunks", "eu") == 0
    assert value(found, "obsconsole_chunk_size_bytes", "eu") == 0
    assert value(found, "obsconsole_jobs_failing", "eu") == 0  # the Apache build's known failure set aside
    assert value(found, "obsconsole_job_failures_total", "eu") >= 0  # a counter: _total
    assert value(found, "obsconsole_compression_backlog_chunks", "eu") == 0
    assert value(found, "obsconsole_retention_overdue_chunks", "eu") == 0
    assert value(found, "obsconsole_worst_finding_level", "gone") == 3
    info = [s for s in found["obsconsole_database_info"] if s.labels["database"] == "eu"]
    assert info and info[0].labels["edition"] == "apache" and info[0].labels["role"] == "primary"
    assert not [s for s in found.get("obsconsole_chunks", []) if s.labels["database"] == "gone"]  # unknown: absent
    partly = cli("metrics", "--services", "eu,nosuch", extra_env=env)  # bad input: named, the rest printed
    assert partly.code == 1 and partly.stderr.startswith("obsconsole: service file ") and "'nosuch'" in partly.stderr
    assert len(partly.stderr.strip().splitlines()) == 1
    assert value(samples(partly.stdout), "obsconsole_up", "eu") == 1


def _get(url: str, deadline: float) -> str:
    """The body of `url`, retried while the server is not listening yet (until `deadline`)."""
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(
                    url, headers={"Accept": "application/openmetrics-text; version=1.0.0"}), timeout=10) as response:
                assert response.status == 200
                assert response.headers["Content-Type"].startswith("application/openmetrics-text")
                return str(response.read().decode())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_metrics_listen_scraped_and_stopped(migrated: str, tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"OBSCONSOLE_DSN", "DATABASE_URL"}}
    env.update(_service_file(tmp_path, migrated))
    proc = subprocess.Popen([OBSCONSOLE, "metrics", "--listen", f"127.0.0.1:{port}"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        first = samples(_get(f"http://127.0.0.1:{port}/metrics", deadline))
        second = samples(_get(f"http://127.0.0.1:{port}/metrics", deadline))
        for found in (first, second):  # each scrape is a fresh refresh over the kept connections
            assert value(found, "obsconsole_up", "eu") == 1 and value(found, "obsconsole_up", "gone") == 0
        assert next(s.value for s in second["obsconsole_refresh_duration_seconds"]) > 0
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    record_output(("metrics", "--listen"), stdout, stderr)
    assert proc.returncode == 0, stderr
    assert "serving OpenMetrics on http://127.0.0.1:" in stderr and stderr.rstrip().endswith("stopped"), stderr
    refused = False
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5)
    except (urllib.error.URLError, ConnectionError):
        refused = True
    assert refused, "the port still answers after the stop"


def test_no_control_sequence_from_a_name_reaches_the_terminal(cli: Cli, tmp_path: Path) -> None:
    """A target named with an escape sequence (a fleet.toml is data too): escaped in JSON, made printable in the
    metrics and in the one-line problems."""
    fleet_file = tmp_path / "fleet.toml"
    dead = f"postgresql://u@127.0.0.1:{free_port()}/x?sslmode=disable"
    fleet_file.write_text(f'[[database]]\nname = "evil\\u001b[2J"\ndsn = "{dead}"\n'
                          f'[[database]]\nname = "evil\\u001b[2J"\ndsn = "{dead}"\n')
    for command in (("fleet", "--json"), ("metrics",)):
        result = cli(*command, "--fleet-file", str(fleet_file))
        assert result.code == 1, result.output
        assert "\x1b" not in result.stdout and "\x1b" not in result.stderr, result.output
        assert "duplicate name 'evil\\x1b[2J'" in result.stderr
    assert value(samples(result.stdout), "obsconsole_up", "evil\\x1b[2J") == 0
