"""Issue 24, points 1 and 2, on the tsl engine: a comparison states its basis (the cost change pairs bucket k of
the window with bucket k of the one before, only where both hold data, and shows "n/a (baseline partial)" under
half coverage), and an estimate is marked (`~`, and how many, on screen at 80x24), while a demo-sized catalog is
measured exactly on a console's first refresh."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from console.infra import fmt
from console.infra.dsn import ResolvedDsn
from console.infra.server import server_info
from console.infra.session import Session
from console.panes import CostWindow, PaneOptions, cost_per_model, refresh_all
from console.panes.catalog.cache import PaneCache
from console.panes.catalog.sizes import FIRST_EXACT_CHUNKS, SizeCache
from console.panes.cost import BASELINE_PARTIAL
from console.panes.cost import view as cost_view
from console.tui.app import ObsConsoleApp
from console.tui.widgets.pane_box import PaneBox
from tests.conftest import CliResult, TestDb
from tests.known_data import Conn, connect
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]
HOUR = timedelta(hours=1)


def _seed(cli: Cli, dsn: str, *args: str) -> None:
    seeded = cli("seed", "--dsn", dsn, "--rate", "20", *args, timeout=300)
    assert seeded.code == 0, seeded.output


def _hourly(conn: Conn, start: datetime, end: datetime, watermark: datetime) -> dict[datetime, dict[str, Decimal]]:
    """From the raw spans (tests may read them): per hourly bucket below the watermark, the cost per model."""
    rows = conn.execute(
        "SELECT time_bucket('1 hour', ts), provider || '/' || model, sum(total_cost_usd) FROM llm_traces"
        " WHERE ts >= %(s)s AND ts < %(e)s AND time_bucket('1 hour', ts) < %(w)s GROUP BY 1, 2",
        {"s": start, "e": end, "w": watermark}).fetchall()
    buckets: dict[datetime, dict[str, Decimal]] = {}
    for bucket, model, cost in rows:
        buckets.setdefault(bucket, {})[model] = cost
    return buckets


def _expected(conn: Conn, summary: Any) -> tuple[int, list[datetime], dict[str, tuple[Decimal, Decimal | None]]]:
    """Previous buckets holding data, the paired buckets of the window, and per model (paired, previous) cost."""
    watermark = summary.freshness.watermark
    hours = _hourly(conn, summary.previous_start, summary.window_end, watermark)
    length = summary.window_start - summary.previous_start
    previous = [b for b in hours if b < summary.window_start]
    paired = sorted(b for b in hours if b >= summary.window_start and b - length in hours)
    per_model: dict[str, tuple[Decimal, Decimal | None]] = {}
    for model in {m for costs in hours.values() for m in costs}:
        now_costs = [hours[b].get(model) for b in paired]
        before = [c for c in (hours[b - length].get(model) for b in paired) if c is not None]
        per_model[model] = (sum((c for c in now_costs if c is not None), Decimal(0)),
                            sum(before, Decimal(0)) if before else None)
    return len(previous), paired, per_model


@pytest.mark.tsl
def test_cost_change_pairs_buckets_holding_data_and_says_so(cli: Cli, tsl_migrated_db: TestDb) -> None:
    # Ten days of data: a 7-day window's previous week holds data for only its last 3 days (72 of 168 buckets);
    # a 6-day window's previous 6 days hold 4 days of it (96 of 144: compared over the pairs); a day, all of it.
    _seed(cli, tsl_migrated_db.dsn, "--days", "10")
    with connect(tsl_migrated_db.dsn) as conn:
        info = server_info(conn)
        week = cost_per_model(conn, info, CostWindow.last("7d"))
        summary = week.summary
        assert summary is not None and summary.buckets == 168
        previous, paired, _ = _expected(conn, summary)
        assert 60 <= previous <= 72 and summary.previous_buckets == previous
        assert summary.paired_buckets == len(paired)
        assert summary.baseline_partial and summary.change_pct is None
        assert week.rows and all(m.change_pct is None for m in week.rows)
        shown = cost_view(week)
        assert f"({BASELINE_PARTIAL}: {previous} of the 168 buckets before hold data)" in (shown.summary or "")
        change = [c.name for c in shown.columns].index("vs before")
        assert {row.cells[change].text for row in shown.rows} == {BASELINE_PARTIAL}

        for window, buckets in (("6d", 144), ("24h", 24)):
            result = cost_per_model(conn, info, CostWindow.last(window))
            summary = result.summary
            assert summary is not None and summary.buckets == buckets
            previous, paired, per_model = _expected(conn, summary)
            assert summary.previous_buckets == previous >= buckets / 2 and not summary.baseline_partial
            assert summary.paired_buckets == len(paired) > 0
            if window == "6d":
                assert len(paired) < buckets - 24, "the pairs only, not the whole window"
            paired_total = sum((p for p, _b in per_model.values()), Decimal(0))
            before_total = sum((b for _p, b in per_model.values() if b is not None), Decimal(0))
            assert summary.paired_total_cost_usd == paired_total
            assert summary.previous_total_cost_usd == before_total
            assert summary.change_pct == pytest.approx(float(100 * (paired_total - before_total) / before_total))
            for m in result.rows:
                now_cost, before = per_model[f"{m.provider}/{m.model}"]
                assert m.previous_cost_usd == before, m.model
                if before:
                    assert m.change_pct == pytest.approx(float(100 * (now_cost - before) / before)), m.model
                else:
                    assert m.change_pct is None, m.model
            line = cost_view(result).summary or ""
            assert f"vs {len(paired)} of {buckets} buckets)" in line and BASELINE_PARTIAL not in line

    # The CLI prints the same words.
    printed = cli("snapshot", "--dsn", tsl_migrated_db.dsn, "--pane", "cost", "--window", "7d")
    assert printed.code == 0, printed.output
    assert BASELINE_PARTIAL in printed.stdout and "of the 168 buckets before hold data" in printed.stdout


@pytest.mark.tsl
def test_growth_per_day_says_when_the_chunks_cover_less_than_its_week(cli: Cli, tsl_migrated_db: TestDb) -> None:
    _seed(cli, tsl_migrated_db.dsn, "--days", "3")
    with connect(tsl_migrated_db.dsn) as conn:
        snap = refresh_all(conn, server_info(conn), only=["chunks"])
    pane, shown = snap.pane("chunks"), snap.views[0]
    assert pane is not None
    growth = [c.name for c in shown.columns].index("growth/day")
    traces = next(t for t in pane.rows if t.name == "llm_traces")
    assert traces.growth_days is not None and 3 <= traces.growth_days < 5
    row = next(r for r in shown.rows if r.key == "public.llm_traces")
    assert row.cells[growth].text.endswith(f" ({traces.growth_days:.1f} d)")
    assert any(n.text.startswith("growth/day over less than 7 days") and f"llm_traces {traces.growth_days:.1f} d"
               in n.text for n in shown.notes)


def _detailed(conn: Conn, hypertable: str) -> int:
    row = conn.execute("SELECT COALESCE(sum(total_bytes), 0)::bigint FROM chunks_detailed_size(%s)",
                       (hypertable,)).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.tsl
def test_first_refresh_measures_a_demo_sized_catalog_and_estimates_are_marked(
        cli: Cli, tsl_migrated_db: TestDb, monkeypatch: pytest.MonkeyPatch) -> None:
    _seed(cli, tsl_migrated_db.dsn, "--days", "10")  # the demo's ten days: a few hundred chunks
    with connect(tsl_migrated_db.dsn) as conn:
        info = server_info(conn)
        # A console's first refresh (a fresh PaneCache, its defaults) measures every chunk, whatever it takes.
        snap = refresh_all(conn, info, PaneOptions(cache=PaneCache()), only=["chunks", "compression"])
        chunks, compressed = snap.pane("chunks"), snap.pane("compression")
        assert chunks is not None and chunks.summary is not None and compressed is not None
        assert 150 <= chunks.summary.chunks <= FIRST_EXACT_CHUNKS
        assert chunks.summary.estimated_chunks == 0 and chunks.summary.measured_now == chunks.summary.chunks
        for table in chunks.rows:
            assert table.total_bytes == _detailed(conn, f"{table.hypertable_schema}.{table.hypertable_name}")
        shown = snap.views[0]
        assert not [c.text for r in shown.rows for c in r.cells if c.text.startswith("~")]
        assert "estimate" not in (shown.summary or "") and not [n for n in shown.notes if "estimate" in n.text]
        # The compression pane's figures and the chunk pane's come from measurements of the same chunks: the
        # compressed chunks hold at least what compression left of them.
        by_name = {t.name: t for t in chunks.rows}
        for table in compressed.rows:
            assert by_name[table.name].compressed_bytes >= table.after_total_bytes > 0, table.name
        # With no time to measure (a catalog too big for one refresh), every figure counting an estimate says so.
        starved = SizeCache(budget=timedelta(0), first_budget=timedelta(0), first_exact=0)
        snap = refresh_all(conn, info, PaneOptions(cache=PaneCache(sizes=starved)), only=["chunks"])
        chunks, shown = snap.pane("chunks"), snap.views[0]
        assert chunks is not None and chunks.summary is not None
        estimated = chunks.summary.estimated_chunks
        assert estimated > 100
        assert f"({estimated} ~ estimated)" in (shown.summary or "") and "· ~" in (shown.summary or "")
        total = [c.name for c in shown.columns].index("total")
        for table, row in zip(chunks.rows, shown.rows, strict=True):
            assert row.cells[total].text.startswith("~") is (table.estimated_chunks > 0), table.name

    async def console(exact: dict[str, str] | None) -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_migrated_db.dsn, "test")), refresh_s=60)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = app.screen.query_one("#pane-chunks", PaneBox)
            await wait_for(pilot, lambda: pane.table.row_count > 0, timeout=60)
            pane.scroll_visible(animate=False)
            await pilot.pause(0.2)
            screen = app.export_screenshot().replace("&#160;", " ")
            assert pane.view is not None
            if exact is not None:  # the first refresh: every size measured, none marked
                assert "estimate" not in screen and "~" not in str(pane.border_subtitle)
                total = [c.name for c in pane.view.columns].index("total")
                shown = {r.key: r.cells[total].text for r in pane.view.rows}
                assert shown == exact
            else:  # the count of estimates is on screen with the chunk pane
                assert "~ estimated)" in screen, str(pane.border_subtitle)

    # A freshly launched console on the demo-sized catalog: exact from its first refresh.
    with connect(tsl_migrated_db.dsn) as conn:
        exact = {f"{t.schema}.{t.name}": fmt.size(_detailed(conn, f"{t.hypertable_schema}.{t.hypertable_name}"))
                 for t in chunks.rows}
    asyncio.run(console(exact))
    # With no time to measure, at 80x24.
    monkeypatch.setattr("console.tui.screens.dashboard.PaneCache", lambda: PaneCache(sizes=SizeCache(
        budget=timedelta(0), first_budget=timedelta(0), first_exact=0)))
    asyncio.run(console(None))
