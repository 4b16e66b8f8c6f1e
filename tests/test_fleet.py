"""The fleet (issue 26): targets from libpq's service file or a fleet.toml, `fleet --json` against real engines
(native clones, a hot standby, pgbouncer, an unreachable target, the tsl engine), bad input said in one line with
the rest of the fleet still shown, and a kept connection re-opened after an outage."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from console.engines.process import RunningEngine, free_port
from console.fleet import targets as fleet_targets
from console.fleet.metrics import exposition
from console.fleet.model import Level
from console.fleet.probe import FleetMonitor
from console.infra.dsn import ResolvedDsn
from tests.conftest import SECRETS, CliResult, TestDb, _with_database
from tests.known_data import write_failed_run
from tests.pooler import start_pgbouncer, start_standby
from tests.test_production import _started, _stop, via

Cli = Callable[..., CliResult]
WRONG_PASSWORD = "Fleet-Wrong-Pw-7731"
SECRETS.add(WRONG_PASSWORD)
CLONES = 100


def service_section(name: str, dsn: str, **override: str) -> str:
    """A service file section connecting where `dsn` does (its password included, as service files hold them)."""
    info = {k: str(v) for k, v in psycopg.conninfo.conninfo_to_dict(dsn).items() if v is not None}
    info.update(override)
    return f"[{name}]\n" + "".join(f"{k}={v}\n" for k, v in info.items()) + "\n"


def fleet_json(result: CliResult) -> dict[str, dict[str, object]]:
    data = json.loads(result.stdout)
    assert isinstance(data["elapsed_ms"], float | int)
    return {d["name"]: d for d in data["databases"]}


def samples(text: str) -> dict[str, list[Sample]]:
    """Every sample by its name, as prometheus_client's OpenMetrics parser reads the text (it raises on any
    deviation from the format, # EOF included)."""
    found: dict[str, list[Sample]] = {}
    for family in text_string_to_metric_families(text):  # type: ignore[no-untyped-call]
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


def value(found: dict[str, list[Sample]], name: str, database: str) -> float:
    matches = [s.value for s in found[name] if s.labels.get("database") == database]
    assert len(matches) == 1, (name, database, found.get(name))
    return matches[0]


@pytest.fixture
def migrated(native_migrated_db: TestDb, cli: Cli) -> str:
    """A native database migrated as far as the Apache edition goes (003)."""
    return native_migrated_db.dsn


def test_service_file_fleet_with_bad_input(cli: Cli, migrated: str, native_plain_db: TestDb, tmp_path: Path) -> None:
    """Every service of PGSERVICEFILE, narrowed by a glob; an unreachable server, a wrong password, a broken
    section and an unknown service are each named in one line, and the healthy databases are still shown."""
    services = tmp_path / "pg_service.conf"
    services.write_text(
        "# the fleet\n"
        + service_section("prod-eu", migrated)
        + service_section("prod-plain", native_plain_db.dsn)
        + service_section("prod-dead", migrated, port=str(free_port()))
        + service_section("prod-badpw", migrated, password=WRONG_PASSWORD)
        + "[prod-broken]\nhost=localhost\nthis line is not key value\n\n"
        + service_section("staging", migrated)
    )
    env = {"PGSERVICEFILE": str(services)}
    result = cli("fleet", "--json", "--services", "prod-*,nosuch", extra_env=env)
    assert result.code == 1, result.output
    problems = result.stderr.strip().splitlines()
    assert len(problems) == 2, result.stderr
    assert all(line.startswith("obsconsole: service file ") for line in problems)
    assert any("unknown service 'nosuch'" in line for line in problems)
    assert any("service 'prod-broken': line" in line and "not key=value" in line for line in problems)
    databases = fleet_json(result)
    assert list(databases) == ["prod-badpw", "prod-dead", "prod-eu", "prod-plain"]  # worst first, then by name
    assert databases["prod-dead"]["reachable"] is False and "cannot reach the server" in str(
        databases["prod-dead"]["error"])
    assert databases["prod-dead"]["unreachable_since"]
    assert databases["prod-badpw"]["reachable"] is False
    assert "authentication failed" in str(databases["prod-badpw"]["error"])
    eu = databases["prod-eu"]
    assert eu["reachable"] is True and eu["role"] == "primary" and eu["edition"] == "apache"
    assert eu["timescaledb_version"] == "2.19.3" and str(eu["postgres_version"]).startswith("15.")
    assert eu["chunks"] == 0 and eu["failing_jobs"] == 0 and eu["compression_backlog"] == 0
    plain = databases["prod-plain"]
    assert plain["edition"] == "none" and plain["worst_finding"] == {
        "level": "WARN", "text": "TimescaleDB is not installed in this database"}
    assert WRONG_PASSWORD not in result.output
    # Piped, without --json: the screen's table once, within COLUMNS, names and findings whole, the same exit.
    piped = cli("fleet", "--services", "prod-*,nosuch", extra_env=env | {"COLUMNS": "80"})
    assert piped.code == 1 and piped.stderr == result.stderr, piped.output
    lines = piped.stdout.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines), piped.stdout
    rows = [line.split(None, 1) for line in lines if line.split(None, 1)[:1] and line.split()[0] in databases]
    assert [name for name, _rest in rows] == ["prod-badpw", "prod-dead", "prod-eu", "prod-plain"], piped.stdout
    plain_row = next(rest.strip() for name, rest in rows if name == "prod-plain")
    assert plain_row.split(None, 1) == ["up", "TimescaleDB is not installed in this database"], plain_row
    assert "DOWN since " in next(rest for name, rest in rows if name == "prod-dead")
    words = " ".join(piped.stdout.split())
    assert "column(s) left out at 80 columns: role," in words
    # A finding too long for the line wraps in its cell between words.
    assert "connection refused (is it running, right host and port?)" in words
    assert "policy_job_stat_history_retention fails (known: Apache builds cannot run it)" in words
    wide = cli("fleet", "--services", "prod-*", "--wide", extra_env=env | {"COLUMNS": "80"})
    assert "left out" not in wide.stdout and "cost 24h" in wide.stdout and "2.19.3 apache" in wide.stdout
    # The same service through --dsn service=NAME, in any command.
    status = cli("status", "--dsn", "service=prod-eu", extra_env=env)
    assert status.code == 0 and "003" in status.stdout, status.output
    one = cli("fleet", "--json", "--dsn", "service=staging", extra_env=env)
    assert one.code == 0 and list(fleet_json(one)) == ["staging"], one.output


def test_service_file_that_cannot_be_read_and_fleet_toml(cli: Cli, migrated: str, tmp_path: Path) -> None:
    """A service file that is not text is one line; a fleet.toml's entries (dsn or service, tags) are still
    watched, and its duplicate and malformed entries are one line each."""
    broken = tmp_path / "broken.conf"
    broken.write_bytes(b"\xff\xfe[x]\nhost=\x00\xff\n")
    fleet_file = tmp_path / "fleet.toml"
    fleet_file.write_text(
        f'[[database]]\nname = "eu"\ndsn = "{migrated}"\ntags = ["prod", "eu"]\n'
        f'[[database]]\nname = "eu"\ndsn = "{migrated}"\n'
        f'[[database]]\nname = "no-dsn"\ntags = ["x"]\n'
        f'[[database]]\nname = "odd"\ndsn = "{migrated}"\ncolour = "red"\n'
    )
    result = cli("fleet", "--json", "--fleet-file", str(fleet_file), "--services", "*",
                 extra_env={"PGSERVICEFILE": str(broken)})
    assert result.code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4, result.stderr
    assert any("database #2" in line and "duplicate name 'eu'" in line for line in lines)
    assert any("database #3" in line and "exactly one of dsn and service" in line for line in lines)
    assert any("database #4" in line and "unknown key 'colour'" in line for line in lines)
    assert any(line.startswith(f"obsconsole: service file {broken}: cannot be read") for line in lines)
    databases = fleet_json(result)
    assert list(databases) == ["eu"] and databases["eu"]["tags"] == ["prod", "eu"]
    assert databases["eu"]["reachable"] is True
    unparsable = tmp_path / "bad.toml"
    unparsable.write_text("[[database]\nname=")
    nothing = cli("fleet", "--json", "--fleet-file", str(unparsable))
    assert nothing.code == 2 and "is not valid TOML" in nothing.stderr, nothing.output


@pytest.fixture
def clones(native_engine: RunningEngine) -> Iterator[list[str]]:
    """CLONES databases made with CREATE DATABASE ... TEMPLATE from one migrated to 003 (bench --fleet's way),
    dropped right after the test (a hot standby's base backup would copy them all)."""
    from console.bench.fleet import clones as make_clones

    with make_clones(ResolvedDsn(native_engine.dsn, "test"), CLONES) as (_migrated, dsns):
        yield [d.dsn for d in dsns]


def test_hundred_clones(cli: Cli, clones: list[str], tmp_path: Path) -> None:
    """100 databases in one fleet.toml: every one read (the timing is the bench's: `bench --fleet 100`)."""
    fleet_file = tmp_path / "fleet.toml"
    fleet_file.write_text("".join(f'[[database]]\nname = "c{i:03d}"\ndsn = "{dsn}"\ntags = ["clone"]\n'
                                  for i, dsn in enumerate(clones)))
    result = cli("fleet", "--json", "--fleet-file", str(fleet_file))
    databases = fleet_json(result)
    assert len(databases) == CLONES and result.stderr == "", result.stderr
    assert all(d["reachable"] and d["edition"] == "apache" and d["chunks"] == 0 for d in databases.values())
    # Apache builds fail their built-in history job: WARN (as verify says), not a FAIL, so exit 0.
    assert result.code == 0, result.output


def test_standby_pgbouncer_and_outage(native_engine: RunningEngine, migrated: str) -> None:
    """A hot standby (role and replay lag), the same database through pgbouncer in transaction mode, and a kept
    connection that is lost (terminated backend, then refused connections) and re-opened once the database
    answers again."""
    replica = _started(lambda: start_standby(native_engine), "hot standby")
    pooled = _started(lambda: start_pgbouncer(native_engine), "pgbouncer")
    name = psycopg.conninfo.conninfo_to_dict(migrated)["dbname"]
    try:
        targets = [fleet_targets.Target("primary", ResolvedDsn(migrated, "test")),
                   fleet_targets.Target("replica", ResolvedDsn(_with_database(replica.dsn, "postgres"), "test")),
                   fleet_targets.Target("pooled", ResolvedDsn(via(pooled, migrated), "test"))]
        with FleetMonitor(targets, timeout_s=5) as monitor:
            report = monitor.refresh()
            by_name = {d.name: d for d in report.databases}
            assert all(d.reachable for d in report.databases), report
            assert by_name["primary"].role == "primary" and by_name["pooled"].role == "primary"
            assert by_name["pooled"].timescaledb_version == "2.19.3" and by_name["pooled"].chunks == 0
            assert by_name["replica"].role == "standby"
            assert by_name["replica"].replay_lag_seconds is not None and by_name["replica"].replay_lag_seconds >= 0

            with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
                def backends() -> int:
                    row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                                        "application_name = 'obsconsole'", (name,)).fetchone()
                    assert row is not None
                    return int(row[0])

                assert backends() >= 1  # kept open between refreshes (the direct one; pgbouncer's may be too)
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND "
                              "application_name = 'obsconsole'", (name,))
                again = {d.name: d for d in monitor.refresh().databases}
                assert again["primary"].reachable, again["primary"]  # re-opened at once
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND "
                              "backend_type = 'client backend' AND pid <> pg_backend_pid()", (name,))
                down = {d.name: d for d in monitor.refresh().databases}
                assert not down["primary"].reachable and down["primary"].unreachable_since is not None
                assert down["primary"].worst.level is Level.UNREACHABLE
                still = {d.name: d for d in monitor.refresh().databases}["primary"]
                assert still.unreachable_since == down["primary"].unreachable_since  # since when, kept
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
                back = {d.name: d for d in monitor.refresh().databases}["primary"]
                assert back.reachable and back.unreachable_since is None
        with psycopg.connect(native_engine.dsn, autocommit=True) as admin:
            row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                                "application_name = 'obsconsole'", (name,)).fetchone()
            assert row is not None and row[0] == 0  # closed: nothing left on the server
    finally:
        _stop(pooled)
        _stop(replica)


def test_tsl_engine_community_figures(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path) -> None:
    """The tsl engine (Community, ONE client connection): aggregates, compression and cost are read through the
    fleet's single kept connection, and a slow or dead neighbour does not hold it up."""
    assert cli("seed", "--dsn", tsl_migrated_db.dsn, "--days", "2", "--rate", "20").code == 0
    targets = [fleet_targets.Target("tsl", ResolvedDsn(tsl_migrated_db.dsn, "test"), ("community",)),
               fleet_targets.Target("dead", ResolvedDsn(f"postgresql://u@127.0.0.1:{free_port()}/x", "test"))]
    with FleetMonitor(targets, timeout_s=10) as monitor:
        first = monitor.refresh()
        second = monitor.refresh()  # the same kept connection (a second one would be refused by the engine)
    for report in (first, second):
        tsl = {d.name: d for d in report.databases}["tsl"]
        assert tsl.reachable and tsl.edition == "community" and tsl.role == "primary", tsl
        assert tsl.aggregates is not None and tsl.aggregates >= 1
        assert tsl.chunks is not None and tsl.chunks > 0 and tsl.chunk_bytes is not None and tsl.chunk_bytes > 0
        assert tsl.compression_backlog is not None and tsl.retention_overdue is not None
        assert tsl.cost_24h_usd is not None and tsl.cost_24h_usd > 0 and tsl.costs
        assert report.databases[0].name == "dead"
    found = samples(exposition(second).decode())  # the same figures as OpenMetrics: cost per model per hour
    assert value(found, "obsconsole_up", "tsl") == 1 and value(found, "obsconsole_up", "dead") == 0
    assert value(found, "obsconsole_aggregate_lag_seconds", "tsl") >= 0
    assert value(found, "obsconsole_cost_24h_usd", "tsl") > 0
    per_model = [s for s in found.get("obsconsole_model_cost_last_hour_usd", []) if s.labels["database"] == "tsl"]
    assert per_model and all(s.labels["model"] and s.labels["provider"] for s in per_model), found.keys()


def test_a_silent_database_does_not_hold_up_the_rest(migrated: str) -> None:
    """A server that accepts the TCP connection and never answers (a listening socket nobody serves) is reported
    after the per-database timeout; the healthy database in the same refresh is read all the same."""
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the handshake; nothing ever answers the startup packet
    port = silent.getsockname()[1]
    targets = [fleet_targets.Target("healthy", ResolvedDsn(migrated, "test")),
               fleet_targets.Target("silent", ResolvedDsn(f"postgresql://u@127.0.0.1:{port}/x?sslmode=disable",
                                                          "test"))]
    try:
        with FleetMonitor(targets, timeout_s=1) as monitor:
            by_name = {d.name: d for d in monitor.refresh().databases}
    finally:
        silent.close()
    assert by_name["healthy"].reachable and by_name["healthy"].edition == "apache"
    assert not by_name["silent"].reachable and by_name["silent"].error == "no answer within 1 s"


@pytest.mark.tsl
def test_fleet_json_exits_1_on_a_fail_level_finding(cli: Cli, tsl_migrated_db: TestDb) -> None:
    """A job whose last run failed is a FAIL-level finding (as verify's H01 says): `fleet --json` names it as the
    database's worst finding and exits 1, though every database answered."""
    # the engine takes one client: closed before the CLI
    with psycopg.connect(tsl_migrated_db.dsn, autocommit=True) as conn:
        conn.execute("CREATE PROCEDURE public.nightly(job_id int, config jsonb) LANGUAGE plpgsql AS "
                     "$$ BEGIN RAISE EXCEPTION 'nightly failed: disk full'; END $$")
        row = conn.execute("SELECT add_job('public.nightly', '1 day')").fetchone()
        assert row is not None
        write_failed_run(conn, row[0])
    result = cli("fleet", "--json", "--dsn", tsl_migrated_db.dsn)
    assert result.code == 1, result.output
    [database] = json.loads(result.stdout)["databases"]
    assert database["reachable"] is True and database["worst_finding"]["level"] == "FAIL", database
    assert "failing: nightly" in database["worst_finding"]["text"], database["worst_finding"]
