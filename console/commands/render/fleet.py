"""`fleet --json`, and `fleet` without a terminal: the fleet screen's table once, within the console's width."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from console.commands.render.view import print_table
from console.fleet import view
from console.fleet.model import FleetReport, as_dict
from console.infra.json_out import print_json as dump


def print_fleet(report: FleetReport, *, wide: bool = False) -> None:
    """One line for the fleet, then one row per database, worst first (names and findings never cut)."""
    out = Console(highlight=False)
    out.print(Text(f"fleet: {len(report.databases)} database(s), refreshed {report.refreshed_at:%H:%M:%S} UTC in "
                   f"{report.elapsed_ms:,.0f} ms", style="bold"))
    print_table(out, view.COLUMNS, [view.row(d) for d in report.databases], wide=wide)


def print_json(report: FleetReport) -> None:
    """{"databases": [...worst first], "problems": [...], "elapsed_ms": ...}."""
    dump({"databases": [as_dict(d) for d in report.databases], "problems": report.problems,
          "elapsed_ms": round(report.elapsed_ms, 1), "refreshed_at": report.refreshed_at,
          "concurrency": report.concurrency})
