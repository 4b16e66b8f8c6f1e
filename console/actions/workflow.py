"""One operator action from request to audit line, as both shells run it: plan (read-only) → confirm (the shell's
callback shows the plan and decides) → run → audit. `obsconsole job …`/`chunks …` confirm on the terminal; the
console confirms in a modal screen. Where the connection comes from is the shell's too (`call`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from console.actions import gate
from console.actions.plan import Plan, Request
from console.infra.db import Conn
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.server import ServerInfo

T = TypeVar("T")

# Why a plan was not run, as the audit log records it (a Confirm callback returns one of these, or None to run).
DRY_RUN = "dry run: nothing changed"
CANCELLED = "cancelled"
NO_CONFIRMATION = "refused: no confirmation (no terminal and no --yes)"


class Call(Protocol):
    """Runs a step on the shell's connection: the CLI's open one, the console's Session."""

    def __call__(self, step: Callable[[Conn, ServerInfo], T], /) -> T: ...


Confirm = Callable[[Plan], str | None]  # shows the plan; None: run it, or why not (DRY_RUN, CANCELLED, ...)


@dataclass(frozen=True)
class Outcome:
    """How the action ended: run (`message`: its one line), or not run (`declined`: the reason audited);
    `unaudited` when the audit log refused the not-run line (the shell says so)."""

    plan: Plan
    message: str = ""
    declined: str | None = None
    unaudited: ConsoleError | None = None

    @property
    def ran(self) -> bool:
        return self.declined is None


def run_action(call: Call, target: ResolvedDsn, request: Request, confirm: Confirm, *,
               statement_ms: int | None = None, lock_ms: int | None = None) -> Outcome:
    """Plan `request` (a refusal is audited and raised as ConsoleError), under the operator's own timeouts where
    given; `confirm` it; run and audit it, or audit why not. A statement that fails raises ConsoleError (exit 1)."""
    plan = call(lambda conn, info: gate.prepare(conn, info, target, request)).limited(statement_ms, lock_ms)
    declined = confirm(plan)
    if declined is not None:
        try:
            gate.not_run(target, plan, declined)
        except ConsoleError as exc:  # the audit log refused the line: nothing ran either way
            return Outcome(plan, declined=declined, unaudited=exc)
        return Outcome(plan, declined=declined)
    return Outcome(plan, call(lambda conn, _info: gate.execute(conn, target, plan)))
