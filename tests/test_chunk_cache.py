"""The chunk sizes pane at scale: with a SizeCache (the dashboard's), hot chunks are measured on every refresh and
cold ones within a small time budget, oldest first, estimates standing in until then; the figures it shows agree
with a fresh measurement (chunks_detailed_size) once measured, and again after a cold chunk changes and its
measurement is due."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from console.infra.server import server_info
from console.panes import PaneOptions, refresh_all
from console.panes.catalog.cache import PaneCache
from console.panes.catalog.sizes import HOT_PER_TABLE, SizeCache
from tests.conftest import CliResult, TestDb
from tests.known_data import Conn, connect

# 300 one-hour llm_metrics chunks, and 3 one-day llm_traces chunks.
FILL = """
INSERT INTO llm_metrics (ts, metric_name, provider, model, value)
SELECT now() - n * interval '1 hour', 'latency', 'openai', 'gpt-4o', n FROM generate_series(0, 299) AS n;
INSERT INTO llm_traces (ts, trace_id, span_id, span_name, service_name, provider, model, status)
SELECT now() - n * interval '1 day', md5(n::text), left(md5(n::text), 16), 'chat', 'svc', 'openai', 'gpt-4o', 'ok'
FROM generate_series(0, 2) AS n
"""


def _fresh(conn: Conn, table: Any) -> tuple[int, int]:
    row = conn.execute("SELECT count(*), COALESCE(sum(total_bytes), 0)::bigint FROM chunks_detailed_size(%s)",
                       (f"{table.hypertable_schema}.{table.hypertable_name}",)).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _chunks(conn: Conn, sizes: SizeCache) -> Any:
    snap = refresh_all(conn, server_info(conn), PaneOptions(cache=PaneCache(sizes=sizes)), only=["chunks"])
    pane = snap.pane("chunks")
    assert pane is not None and pane.summary is not None, pane
    return pane


def _no_time() -> SizeCache:
    """A cache with no time for cold chunks, on the first refresh as on the others."""
    return SizeCache(budget=timedelta(0), first_budget=timedelta(0), first_exact=0)


@pytest.mark.native
def test_cached_and_fresh_chunk_sizes_agree(cli: Any, native_db: TestDb) -> None:
    result: CliResult = cli("migrate", "--dsn", native_db.dsn, "--to", "3")
    assert result.code == 0, result.output
    with connect(native_db.dsn) as conn:
        conn.execute(FILL)
        conn.execute("ANALYZE")  # pg_class.relpages for the estimates

        # No time for cold chunks: only the hot ones are exact, the rest estimated (and said so).
        starved = _chunks(conn, _no_time())
        hot = starved.summary.measured_now
        assert 0 < hot <= HOT_PER_TABLE * len(starved.rows)
        assert starved.summary.estimated_chunks == starved.summary.chunks - hot > 290
        view = refresh_all(conn, server_info(conn), PaneOptions(cache=PaneCache(sizes=_no_time())),
                           only=["chunks"]).views[0]
        assert any("pg_class estimates until measured" in note.text for note in view.notes)

        # A cache with time for everything: the first refresh measures all, and agrees with a fresh measurement.
        cache = SizeCache(budget=timedelta(seconds=30))
        first = _chunks(conn, cache)
        assert first.summary.estimated_chunks == 0 and first.summary.measured_now == first.summary.chunks
        for table in first.rows:
            assert _fresh(conn, table) == (table.chunk_count, table.total_bytes), table.name

        # The next refresh measures the hot chunks only, and the figures still agree (nothing changed).
        second = _chunks(conn, cache)
        assert second.summary.measured_now == hot
        assert {t.name: t.total_bytes for t in second.rows} == {t.name: t.total_bytes for t in first.rows}
        assert "cold sizes up to" in refresh_all(conn, server_info(conn), PaneOptions(cache=PaneCache(sizes=cache)),
                                                 only=["chunks"]).views[0].summary

        # A cold chunk grows: the cache keeps its measurement until it is due, then agrees again.
        conn.execute("INSERT INTO llm_metrics (ts, metric_name, provider, model, value)"
                     " SELECT now() - interval '200 hours' + g * interval '1 ms', 'latency', 'openai', 'gpt-4o', g"
                     " FROM generate_series(1, 20000) AS g")
        metrics = next(t for t in _chunks(conn, cache).rows if t.name == "llm_metrics")
        assert _fresh(conn, metrics)[1] > metrics.total_bytes  # cached: not re-measured yet
        cache.ttl = timedelta(0)
        metrics = next(t for t in _chunks(conn, cache).rows if t.name == "llm_metrics")
        assert _fresh(conn, metrics) == (metrics.chunk_count, metrics.total_bytes)
