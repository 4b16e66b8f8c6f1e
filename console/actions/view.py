"""An action's plan as both shells show it before asking: what it runs as, what it touches, the SQL exactly as it
will run, and the notes, every line escaped (names from the server may hold control characters). `obsconsole job
…`/`chunks …` print it with rich; the console's confirmation screen draws it with Textual."""

from __future__ import annotations

from dataclasses import dataclass

from console.actions.plan import Plan
from console.infra.fmt import printable
from console.view import Cell, Style


@dataclass(frozen=True)
class PlanView:
    """The plan's parts: the action, how it runs (DIM), what it touches, the SQL (ACTIVE), notes (WARN)."""

    action: str
    runs_as: Cell
    touches: tuple[str, ...]
    sql: tuple[Cell, ...]
    notes: tuple[Cell, ...]


def plan_view(plan: Plan) -> PlanView:
    how = "autocommit (outside a transaction)" if plan.autocommit else "one read-write transaction"
    runs_as = f"{how}; statement_timeout {plan.timeouts.statement_ms} ms, lock_timeout {plan.timeouts.lock_ms} ms"
    return PlanView(printable(plan.action), Cell(runs_as, Style.DIM), tuple(map(printable, plan.touches)),
                    tuple(Cell(printable(line), Style.ACTIVE) for line in plan.sql.splitlines()),
                    tuple(Cell(f"note: {printable(note)}", Style.WARN) for note in plan.notes))
