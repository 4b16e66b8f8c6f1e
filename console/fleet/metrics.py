"""The fleet as OpenMetrics (prometheus_client): printed for node_exporter's textfile collector, or served on
/metrics for Prometheus, each scrape one refresh over the monitor's kept-open connections. Every metric is
labelled by database; names follow Prometheus' conventions (base units in the name: _seconds, _bytes; counters
end in _total)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics
from prometheus_client.registry import Collector

from console.fleet.model import DatabaseStatus, FleetReport
from console.fleet.probe import FleetMonitor
from console.infra.errors import ConsoleError
from console.infra.fmt import printable

# (name, help, figure): one gauge per database where the figure is known.
_GAUGES: tuple[tuple[str, str, Callable[[DatabaseStatus], float | int | None]], ...] = (
    ("obsconsole_replay_lag_seconds", "How far a standby's replay is behind (0 caught up; primaries omitted).",
     lambda d: d.replay_lag_seconds),
    ("obsconsole_jobs_failing", "Background jobs whose last run failed (the Apache build's known one aside).",
     lambda d: d.failing_jobs),
    ("obsconsole_jobs_overdue", "Scheduled background jobs past their next start (beyond a 5-minute grace).",
     lambda d: d.overdue_jobs),
    ("obsconsole_compression_backlog_chunks", "Chunks still uncompressed past their policy's compress_after.",
     lambda d: d.compression_backlog),
    ("obsconsole_compression_ratio", "Bytes before compression per byte after, over every compressed chunk.",
     lambda d: d.compression_ratio),
    ("obsconsole_aggregate_lag_seconds", "How far the most lagging continuous aggregate's watermark is behind now.",
     lambda d: d.aggregate_lag_seconds),
    ("obsconsole_aggregates_late", "Continuous aggregates lagging more than their refresh policy allows.",
     lambda d: d.late_aggregates),
    ("obsconsole_retention_overdue_chunks", "Chunks still present past their retention policy's drop_after.",
     lambda d: d.retention_overdue),
    ("obsconsole_chunks", "Chunks of every hypertable and continuous aggregate.", lambda d: d.chunks),
    ("obsconsole_chunks_compressed", "Compressed chunks.", lambda d: d.compressed_chunks),
    ("obsconsole_chunk_size_bytes", "Bytes of every chunk (catalog statistics; compressed size once compressed).",
     lambda d: d.chunk_bytes),
    ("obsconsole_chunk_growth_bytes_per_day", "Bytes per day of the chunks of the last 7 days.",
     lambda d: d.growth_bytes_per_day),
    ("obsconsole_cost_24h_usd", "Cost of the last 24 hours (USD), from cost_analysis_hourly.",
     lambda d: float(d.cost_24h_usd) if d.cost_24h_usd is not None else None),
    ("obsconsole_worst_finding_level", "The worst finding: 0 OK, 1 WARN, 2 FAIL, 3 unreachable.",
     lambda d: int(d.worst.level)),
    ("obsconsole_probe_duration_seconds", "How long reading the database took in this refresh.",
     lambda d: d.elapsed_ms / 1000),
)


def families(report: FleetReport) -> Iterator[Metric]:
    """Every metric family of one refresh."""
    up = GaugeMetricFamily("obsconsole_up", "1 when the database answered this refresh, else 0.",
                           labels=["database"])
    down_since = GaugeMetricFamily("obsconsole_down_since_timestamp_seconds",
                                   "When the database stopped answering (Unix time; only while it does not).",
                                   labels=["database"])
    info = InfoMetricFamily("obsconsole_database", "What the database is.",
                            labels=["database", "role", "postgres_version", "timescaledb_version", "edition"])
    failures = CounterMetricFamily("obsconsole_job_failures", "Failed background job runs, as the jobs' "
                                   "statistics count them.", labels=["database"])
    cost = GaugeMetricFamily("obsconsole_model_cost_last_hour_usd", "Cost per provider and model in the last "
                             "materialized hour (USD), from cost_analysis_hourly.",
                             labels=["database", "provider", "model"])
    gauges = [(GaugeMetricFamily(name, text, labels=["database"]), figure) for name, text, figure in _GAUGES]
    for db in report.databases:
        name = printable(db.name)  # a label is text for people and terminals too
        up.add_metric([name], 1 if db.reachable else 0)
        if db.unreachable_since is not None:
            down_since.add_metric([name], db.unreachable_since.timestamp())
        if db.reachable and db.role is not None:
            info.add_metric([name], {"role": db.role, "postgres_version": db.postgres_version or "",
                                        "timescaledb_version": db.timescaledb_version or "",
                                        "edition": db.edition or ""})
        if db.job_failures_total is not None:
            failures.add_metric([name], db.job_failures_total)
        for model in db.costs:
            if model.last_hour_usd is not None:
                cost.add_metric([name, model.provider, model.model], float(model.last_hour_usd))
        for family, figure in gauges:
            value = figure(db)
            if value is not None:
                family.add_metric([name], float(value))
    yield from (up, down_since, info, failures, cost, *(family for family, _figure in gauges))
    refresh = GaugeMetricFamily("obsconsole_refresh_duration_seconds", "Wall time of the whole fleet's refresh.")
    refresh.add_metric([], report.elapsed_ms / 1000)
    yield refresh


class _FleetCollector(Collector):
    """Each collect() is a fresh refresh of the monitor's fleet."""

    def __init__(self, monitor: FleetMonitor) -> None:
        self.monitor = monitor

    def collect(self) -> Iterator[Metric]:
        yield from families(self.monitor.refresh())


class _ReportCollector(Collector):
    def __init__(self, report: FleetReport) -> None:
        self.report = report

    def collect(self) -> Iterator[Metric]:
        yield from families(self.report)


def exposition(report: FleetReport) -> bytes:
    """One refresh as OpenMetrics text."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_ReportCollector(report))
    text: bytes = generate_openmetrics(registry)  # type: ignore[no-untyped-call]
    return text


def parse_listen(value: str) -> tuple[str, int]:
    """'HOST:PORT' (e.g. 127.0.0.1:9187, [::1]:9187) as (host, port); ConsoleError (exit 2) otherwise."""
    host, colon, port = value.rpartition(":")
    host = host.strip("[]")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConsoleError(f"--listen takes HOST:PORT, e.g. 127.0.0.1:9187 (got {value!r})")
    return host, int(port)


def serve(monitor: FleetMonitor, address: tuple[str, int], say: Callable[[str], None]) -> None:
    """Serve /metrics on `address` until SIGINT or SIGTERM, then stop the server cleanly (the caller closes the
    monitor's connections)."""
    from prometheus_client import start_http_server

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_FleetCollector(monitor))
    try:
        server, thread = start_http_server(address[1], addr=address[0], registry=registry)
    except OSError as exc:
        raise ConsoleError(f"cannot listen on {address[0]}:{address[1]}: {exc.strerror or exc}") from None
    stop = threading.Event()

    def stopping(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, stopping) for sig in (signal.SIGINT, signal.SIGTERM)}
    say(f"serving OpenMetrics on http://{address[0]}:{server.server_port}/metrics for {len(monitor.targets)} "
        "database(s); Ctrl+C stops")
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.shutdown()
        server.server_close()
        thread.join(10)
        say("stopped")
