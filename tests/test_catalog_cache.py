"""The panes at scale keep the chunk catalog between refreshes (re-read only when its version changes) and
per-hypertable totals updated by each refresh's measurements: what they show must be what a fresh, uncached
refresh shows, as the catalog changes under them (chunks created, compressed, decompressed and dropped, a
retention policy changed), on the engine where all of it can happen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from console.infra.server import ServerInfo, server_info
from console.panes import PaneOptions, refresh_all
from console.panes.catalog.cache import PaneCache
from console.panes.catalog.objects import CatalogCache, read
from console.panes.catalog.sizes import SizeCache
from tests.conftest import CliResult, TestDb
from tests.known_data import SEED_LOGS, SEED_OLD_LOGS, SEED_TRACES, Conn, connect

Cli = Callable[..., CliResult]
PANES = ["chunks", "retention"]


def _rows(conn: Conn, info: ServerInfo, options: PaneOptions) -> dict[str, list[tuple[str, ...]]]:
    """What the chunk and retention panes show, row by row (the cells' text)."""
    snap = refresh_all(conn, info, options, only=PANES)
    assert [p.status.value for p in snap.panes] == ["ok", "ok"], [p.reason for p in snap.panes]
    return {v.pane: [tuple(c.text for c in row.cells) for row in v.rows] for v in snap.views}


def _agree(conn: Conn, info: ServerInfo, cache: PaneCache) -> dict[str, list[tuple[str, ...]]]:
    cached = _rows(conn, info, PaneOptions(cache=cache))
    assert cached == _rows(conn, info, PaneOptions()), "the cached panes differ from a fresh refresh"
    return cached


def test_cached_panes_agree_with_fresh_ones_as_the_catalog_changes(cli: Cli, tsl_migrated_db: TestDb) -> None:
    with connect(tsl_migrated_db.dsn) as conn:
        conn.execute(SEED_TRACES)
        conn.execute(SEED_LOGS)
        info = server_info(conn)
        # Time enough to measure every new chunk in one refresh: the test is about the catalog, not the cadence.
        cache = PaneCache(sizes=SizeCache(budget=timedelta(seconds=60)))
        first = _agree(conn, info, cache)
        logs = next(r for r in first["retention"] if r[0] == "llm_logs")
        assert logs[3] == "0", logs  # nothing overdue yet

        conn.execute(SEED_OLD_LOGS)  # three chunks past llm_logs' retention: new chunks, overdue
        overdue = next(r for r in _agree(conn, info, cache)["retention"] if r[0] == "llm_logs")
        assert overdue[3] == "3", overdue

        conn.execute("SELECT compress_chunk(c) FROM show_chunks('llm_traces', older_than => interval '3 days') c")
        compressed = next(r for r in _agree(conn, info, cache)["chunks"] if r[0] == "llm_traces")
        assert compressed[3].split("/")[0] != "0", compressed

        conn.execute("SELECT decompress_chunk(c) FROM show_chunks('llm_traces', older_than => interval '6 days') c")
        _agree(conn, info, cache)

        conn.execute("SELECT drop_chunks('llm_logs', older_than => interval '30 days')")
        dropped = next(r for r in _agree(conn, info, cache)["retention"] if r[0] == "llm_logs")
        assert dropped[3] == "0", dropped

        conn.execute("SELECT remove_retention_policy('llm_traces')")
        conn.execute("SELECT add_retention_policy('llm_traces', interval '5 days')")
        shortened = next(r for r in _agree(conn, info, cache)["retention"] if r[0] == "llm_traces")
        assert shortened[1] == "drop after 5 days" and shortened[3] != "0", shortened


def test_the_catalog_is_read_again_only_when_its_version_changes(cli: Cli, tsl_migrated_db: TestDb) -> None:
    with connect(tsl_migrated_db.dsn) as conn:
        conn.execute(SEED_LOGS)
        cache = CatalogCache()

        def reread() -> bool:
            cache.begin_refresh()
            return read(conn, cache).read_now

        assert reread() and not reread(), "read once, then kept while unchanged"
        assert not read(conn, cache).read_now, "within one refresh, read from the cache without asking"
        changes = [
            "INSERT INTO llm_logs (ts, trace_id, service_name, log_level, message)"
            " VALUES (now() + interval '3 days', 'x', 'svc', 'info', 'a new chunk')",
            "SELECT compress_chunk(c) FROM show_chunks('llm_logs', older_than => interval '5 days') c",
            "SELECT decompress_chunk(c) FROM show_chunks('llm_logs', older_than => interval '8 days') c",
            "SELECT drop_chunks('llm_logs', older_than => interval '9 days')",
            "SELECT set_chunk_time_interval('llm_logs', interval '12 hours')",
            "ALTER TABLE llm_logs RENAME TO llm_logs_renamed",
        ]
        for change in changes:
            conn.execute(change)
            assert reread(), f"not noticed: {change}"
            assert not reread(), f"read again with nothing changed after: {change}"
