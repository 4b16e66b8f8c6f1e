"""Printing an action's plan (the exact SQL and what it touches) and the audit log."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from console.actions.audit import Entry
from console.actions.plan import Plan
from console.actions.view import plan_view
from console.commands.render.view import text
from console.infra.fmt import printable


def print_plan(plan: Plan) -> None:
    """What will be touched, then the SQL exactly as it will run, then notes; on stdout. Every line is escaped
    (names from the server may hold control characters)."""
    out = Console(highlight=False, soft_wrap=True)
    view = plan_view(plan)
    out.print(f"action   {view.action}", markup=False)
    out.print(Text.assemble("runs as  ", text(view.runs_as)))
    if view.touches:
        out.print("touches:", markup=False)
        for line in view.touches:
            out.print(f"  {line}", markup=False)
    if plan.statements:
        out.print("SQL:", markup=False)
        for cell in view.sql:
            out.print(text(cell), soft_wrap=True)
    for note in view.notes:
        out.print(text(note))


def print_audit(entries: list[Entry]) -> None:
    """The audit log, oldest first: one line per action (time, user, server, action, outcome, duration), then its
    SQL indented."""
    out = Console(highlight=False, soft_wrap=True)
    for e in entries:
        when = e.time.replace("T", " ").replace("+00:00", " UTC")
        took = "" if e.duration_ms is None else f"  {e.duration_ms:.0f} ms"
        out.print(printable(f"{when}  {e.user}  {e.server}  {e.action}  {e.outcome}{took}"), markup=False)
        for line in e.sql.splitlines():
            out.print(f"    {printable(line)}", markup=False)
