"""Printing an action's plan (the exact SQL and what it touches) and the audit log."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from console.actions.audit import Entry
from console.actions.plan import Plan
from console.actions.view import plan_view
from console.commands.render import wrap
from console.infra.fmt import printable
from console.view import COLOURS


def print_plan(plan: Plan) -> None:
    """What will be touched, then the SQL exactly as it will run, then notes; on stdout, folded to the console's
    width between words (a statement between its tokens, never inside a literal). Every line is escaped (names
    from the server may hold control characters)."""
    out = Console(highlight=False, soft_wrap=True)
    limit = out.width
    view = plan_view(plan)

    def say(line: str, style: str = "", *, sql: bool = False) -> None:
        for folded in (wrap.fold_sql(line, limit) if sql else wrap.fold(line, limit)):
            out.print(Text(folded, style=style))

    say(f"action   {view.action}")
    say(f"runs as  {view.runs_as.text}", COLOURS[view.runs_as.style])
    if view.touches:
        say("touches:")
        for line in view.touches:
            say(f"  {line}")
    if plan.statements:
        say("SQL:")
        for cell in view.sql:
            say(cell.text, COLOURS[cell.style], sql=True)
    for note in view.notes:
        say(note.text, COLOURS[note.style])


def print_audit(entries: list[Entry]) -> None:
    """The audit log, oldest first: per action its time, user, server, then action, outcome and duration (broken
    between those fields to fit the console's width), then its SQL indented."""
    out = Console(highlight=False, soft_wrap=True)
    limit = out.width
    for e in entries:
        when = e.time.replace("T", " ").replace("+00:00", " UTC")
        took = "" if e.duration_ms is None else f"  {e.duration_ms:.0f} ms"
        fields = [printable(f) for f in (when, e.user, e.server, f"{e.action}  {e.outcome}{took}")]
        for line in wrap.fold_fields(fields, limit):
            out.print(line, markup=False)
        for statement in e.sql.splitlines():
            for line in wrap.fold_sql(printable(statement), limit, indent="    "):
                out.print(line, markup=False)
