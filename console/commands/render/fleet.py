"""`fleet --json`."""

from __future__ import annotations

from console.fleet.model import FleetReport, as_dict
from console.infra.json_out import print_json as dump


def print_json(report: FleetReport) -> None:
    """{"databases": [...worst first], "problems": [...], "elapsed_ms": ...}."""
    dump({"databases": [as_dict(d) for d in report.databases], "problems": report.problems,
          "elapsed_ms": round(report.elapsed_ms, 1), "refreshed_at": report.refreshed_at,
          "concurrency": report.concurrency})
