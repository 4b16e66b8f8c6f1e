"""`obsconsole backend cancel|terminate PID`."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import (
    ActionFlags,
    DryRunOption,
    DsnOption,
    LockTimeoutOption,
    StatementTimeoutOption,
    YesOption,
    group,
    run_action,
)

backend_app = group("backend", "Cancel or terminate a backend (shows pid, application, query and locks first).")

Pid = Annotated[int, typer.Argument(help="The backend's pid (pg_stat_activity).")]


@backend_app.command("cancel")
def backend_cancel(ctx: typer.Context, pid: Pid, yes: YesOption = False, dry_run: DryRunOption = False,
                   lock_timeout: LockTimeoutOption = None, statement_timeout: StatementTimeoutOption = None,
                   dsn: DsnOption = None) -> None:
    """Cancel the backend's current query (pg_cancel_backend); its session stays."""
    from console.actions.backends import BackendSignal

    run_action(ctx, dsn, BackendSignal("cancel", pid), ActionFlags(yes, dry_run, lock_timeout, statement_timeout))


@backend_app.command("terminate")
def backend_terminate(ctx: typer.Context, pid: Pid, yes: YesOption = False, dry_run: DryRunOption = False,
                      lock_timeout: LockTimeoutOption = None, statement_timeout: StatementTimeoutOption = None,
                      dsn: DsnOption = None) -> None:
    """End the backend's session (pg_terminate_backend); its open transaction rolls back."""
    from console.actions.backends import BackendSignal

    run_action(ctx, dsn, BackendSignal("terminate", pid), ActionFlags(yes, dry_run, lock_timeout,
                                                                      statement_timeout))
