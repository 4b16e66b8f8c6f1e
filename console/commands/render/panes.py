"""Printing a pane snapshot: each pane's view model as a table (console/commands/render/view.py), or JSON.

JSON: timestamps ISO 8601, durations in seconds, costs in USD (exact decimal strings), enums as their value."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.text import Text

from console.commands.render.view import INDENT, print_view
from console.infra import json_out
from console.infra.fmt import printable
from console.infra.json_out import plain
from console.panes import Snapshot
from console.panes.view import LineChart

_SPARK = "▁▂▃▄▅▆▇█"


def snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    info = snapshot.info
    return {
        "server": {"postgresql": info.server_version, "timescaledb": info.timescaledb_installed,
                   "edition": info.edition, "database": info.database},
        "elapsed_ms": round(snapshot.elapsed_ms, 1),
        "panes": {p.pane: plain(p) | {"elapsed_ms": round(p.elapsed_ms, 1)} for p in snapshot.panes},
    }


def print_json(snapshot: Snapshot) -> None:
    json_out.print_json(snapshot_dict(snapshot))


def print_snapshot(snapshot: Snapshot, console: Console | None = None, *, wide: bool = False) -> None:
    """Each pane as a titled table, or one line saying why it has nothing to show."""
    out = console or Console(highlight=False)
    info = snapshot.info
    out.print(Text(printable(
        f"PostgreSQL {info.server_version}, TimescaleDB {info.timescaledb_installed or 'not installed'} "
        f"({info.edition} edition), database {info.database}; {len(snapshot.views)} pane(s) in "
        f"{snapshot.elapsed_ms:.0f} ms; times in UTC")))
    for view in snapshot.views:
        out.print()
        print_view(view, out, wide=wide)
        if isinstance(view.chart, LineChart) and view.rows:
            out.print(Text(f"{INDENT}hourly cost {sparkline(view.chart)}"))


def sparkline(chart: LineChart) -> str:
    """The chart's series summed per bucket, one block per bucket (hours without data count as zero)."""
    totals: dict[datetime, float] = {}
    for points in chart.series.values():
        for moment, value in points:
            totals[moment] = totals.get(moment, 0.0) + value
    if not totals:
        return "(no data)"
    moments = sorted(totals)
    step = min((b - a for a, b in itertools.pairwise(moments)), default=None)
    values = [totals[m] for m in moments] if step is None else [
        totals.get(moments[0] + i * step, 0.0) for i in range(int((moments[-1] - moments[0]) / step) + 1)]
    top = max(values)
    if top <= 0:
        return _SPARK[0] * len(values)
    return "".join(_SPARK[min(len(_SPARK) - 1, int(v / top * (len(_SPARK) - 1)))] for v in values)
