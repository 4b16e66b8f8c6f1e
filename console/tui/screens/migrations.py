"""Migrations: applied and pending migrations with checksums (a table fitted to the width), the dry-run plan,
and apply (confirmed; not offered where the server's edition cannot run a pending migration). Refusals and the
plan go to a log whose lines wrap, so they read whole at any width."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from console.infra import fmt
from console.infra.errors import ConsoleError
from console.infra.server import ServerInfo
from console.migrator import service as migrations
from console.migrator import view
from console.tui.screen_keys import MIGRATIONS
from console.tui.screens.base import ConsoleScreen
from console.tui.screens.confirm import ConfirmScreen
from console.tui.widgets.fitted_table import FittedTable
from console.tui.widgets.wrapped_log import WrappedLog


class MigrationsScreen(ConsoleScreen):
    SCREEN_TITLE = "Migrations"
    KEYS = MIGRATIONS
    BINDINGS = MIGRATIONS.bindings()

    pending: list[str] | None = None  # the pending migrations as last loaded (None: not loaded yet)
    refusal: str = ""  # why this server can only refuse `apply` (a pending migration its edition cannot run)
    counts: str = ""  # "7 applied, 0 pending" as last loaded
    keys: str = ""  # the keys' hint, and why apply is not offered where it is not
    in_view: str = ""  # "5 of 7 migrations, scroll" while the table cannot show them all

    def compose_body(self) -> ComposeResult:
        yield Static("Loading migrations…", id="migrations-summary", markup=False)
        yield FittedTable(id="migrations-table")
        yield WrappedLog(id="migrations-log")

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="migrations", exit_on_error=False)
    def _load(self) -> None:
        try:
            directory = self.context.migrations_dir
            rows, info = self.session.call(lambda conn, info: (migrations.status(conn, directory), info))
        except ConsoleError as exc:
            self.app.call_from_thread(self._summary, f"cannot read migrations: {exc.message}", error=True)
            return
        self.app.call_from_thread(self._show, rows, info)

    def _show(self, rows: list[migrations.MigrationStatus], info: ServerInfo) -> None:
        self.query_one("#migrations-table", FittedTable).show(view.STATUS_COLUMNS, view.status_rows(rows))
        applied = sum(1 for r in rows if r.state == "applied")
        pending = sum(1 for r in rows if r.state == "pending")
        self.pending = [f"{r.version:03d} {r.description}" for r in rows if r.state == "pending"]
        blocked = next((r for r in rows if r.state == "pending" and r.community_features), None)
        refusal = "" if info.community or blocked is None else (
            f"{blocked.file} needs TimescaleDB Community ({', '.join(blocked.community_features)}); this server "
            f"runs the {info.edition} edition")
        if refusal != self.refusal:
            self.refusal = refusal
            self.refresh_bindings()
        keys = self.hint("migrations.plan", "migrations.apply")
        if refusal and not self.context.read_only:
            keys += f"; apply not offered: {refusal}"
        self.counts, self.keys = f"{applied} applied, {pending} pending", keys
        self._say()

    def on_fitted_table_laid_out(self, event: FittedTable.LaidOut) -> None:
        self.in_view = event.note("migrations") if event.in_view < event.rows else ""
        self._say()

    def _say(self) -> None:
        """The counts (and how many rows are in view when not all), then the keys and why apply is not offered."""
        if self.counts:
            self._summary(f"{self.counts}{' · ' + self.in_view if self.in_view else ''} — {self.keys}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`apply` is not offered where it can only be refused: a console opened read-only binds no key that
        writes, and the server's edition may lack what a pending migration needs."""
        return bool(super().check_action(action, parameters)) and not (action == "apply" and bool(self.refusal))

    def withheld_actions(self) -> list[tuple[str, str, str]]:
        """What `?` says is not offered here, and why."""
        return [(self.keys_of("apply"), "Apply pending", self.refusal)] if self.refusal else []

    def show_error(self, group: str, message: str) -> None:
        self._summary(message, error=True)
        self._log(message)

    def _summary(self, text: str, *, error: bool = False) -> None:
        if error:
            self.counts = ""  # the error stays until the next load
        summary = self.query_one("#migrations-summary", Static)
        summary.update(Text(fmt.printable(text), style="bold red" if error else ""))

    def _log(self, line: str) -> None:
        self.query_one("#migrations-log", WrappedLog).write_line(line)

    def action_plan(self) -> None:
        self._plan()

    @work(thread=True, exclusive=True, group="migrations", exit_on_error=False)
    def _plan(self) -> None:
        try:
            directory = self.context.migrations_dir
            read_only = self.context.read_only
            plan = self.session.call(lambda conn, _info: migrations.plan(conn, directory, read_only=read_only))
        except ConsoleError as exc:
            self.app.call_from_thread(self._log, f"refused: {exc.message}")
            return
        lines = view.plan_lines(plan) or ["nothing to apply: up to date"]
        for line in ["dry-run plan:", *lines]:
            self.app.call_from_thread(self._log, line)

    def action_apply(self) -> None:
        database = self.session.state.endpoint
        if self.pending is not None and not self.pending:
            self._log("nothing to apply: every migration is applied")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply()
            else:
                self._log("apply cancelled")

        self.app.push_screen(
            ConfirmScreen(f"Apply the pending migrations to {database}?",
                          (f"Pending: {', '.join(self.pending)}. " if self.pending else "") +
                          "Each migration runs in its own transaction under sqlx's migration lock."),
            answered,
        )

    @work(thread=True, exclusive=True, group="migrations", exit_on_error=False)
    def _apply(self) -> None:
        def progress(message: str) -> None:
            self.app.call_from_thread(self._log, message)

        directory, read_only = self.context.migrations_dir, self.context.read_only
        try:
            # `migrate`'s workflow: the write gate, then an error-level lint finding in a pending file refuses before
            # anything runs (read-only: the key is not even bound).
            result = self.session.call(lambda conn, _info: migrations.apply(
                conn, directory, progress, override="`obsconsole migrate --force` applies anyway", read_only=read_only))
        except ConsoleError as exc:
            progress(f"refused: {exc.message}" if exc.exit_code == 2 else f"failed: {exc.message}")
        else:
            progress(f"applied {len(result.applied)} migration(s)" if result.applied else "nothing to apply")
        self._load()
