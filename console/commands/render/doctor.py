"""Printing a doctor report."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from console.actions.audit import path as audit_path
from console.doctor import DoctorReport
from console.infra.fmt import printable


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
    taken = "the server takes them; each write command first checks this role's privileges"
    out.print(f"writes      {'refused: ' + refusal if refusal else taken}", markup=False, highlight=False)
    for finding in report.findings():
        out.print(f"note        {finding}", markup=False, highlight=False)
    _print_grants(out, report)
    out.print(f"audit log   {audit_path()} (obsconsole audit)", markup=False, highlight=False)
    table = Table("shows", "available", "why not", title="What obsconsole can show here")
    for cap in report.capabilities:
        table.add_row(cap.name, "yes" if cap.available else "no", cap.reason)
    out.print(table)


def _print_grants(out: Console, report: DoctorReport) -> None:
    """What the role cannot read, each with its grant, then the short set of statements that fixes them all."""
    readable = report.access
    if readable.superuser:
        out.print(f"role        {printable(readable.role)}: superuser (reads everything)", markup=False,
                  highlight=False)
        return
    missing = readable.missing()
    if not missing:
        out.print(f"role        {printable(readable.role)}: reads everything the console shows (a whole "
                  "monitoring role)", markup=False, highlight=False)
        return
    out.print(f"role        {printable(readable.role)}: cannot read {len(missing)} thing(s) the console shows; "
              "those parts say COULD NOT CHECK or cannot read", markup=False, highlight=False)
    for what, grant in missing:
        out.print(f"  missing   {printable(what)} ({printable(grant)})", markup=False, highlight=False)
    out.print("  to fix    run as a role that may grant them:", markup=False, highlight=False)
    for statement in readable.whole():
        out.print(f"            {printable(statement)}", markup=False, highlight=False)
