"""Printing a doctor report."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from console.actions.audit import path as audit_path
from console.doctor import DoctorReport


def print_report(report: DoctorReport) -> None:
    """The server facts, then a table of what the console can and cannot show."""
    out = Console()
    info = report.info
    out.print(f"server      {report.target}  (from {report.source})", markup=False, highlight=False)
    out.print(f"PostgreSQL  {info.server_version}", markup=False, highlight=False)
    installed = info.timescaledb_installed or "not installed"
    available = info.timescaledb_available or "not available"
    out.print(f"TimescaleDB {installed} (available: {available})", markup=False, highlight=False)
    edition = info.edition if not report.preload_missing or info.timescaledb_installed is None else (
        "unknown: timescaledb is not preloaded on this server")
    out.print(f"edition     {edition} (timescaledb.license={info.license})", markup=False, highlight=False)
    refusal = report.guard.refusal()
    out.print(f"writes      {'refused: ' + refusal if refusal else 'allowed'}", markup=False, highlight=False)
    for finding in report.findings():
        out.print(f"note        {finding}", markup=False, highlight=False)
    out.print(f"audit log   {audit_path()} (obsconsole audit)", markup=False, highlight=False)
    table = Table("shows", "available", "why not", title="What obsconsole can show here")
    for cap in report.capabilities:
        table.add_row(cap.name, "yes" if cap.available else "no", cap.reason)
    out.print(table)
