"""Migrations: applied and pending migrations with checksums, the dry-run plan, and apply (confirmed; not offered
where the server's edition cannot run a pending migration)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Log, Static

from console.infra import fmt
from console.infra.errors import ConsoleError
from console.infra.server import ServerInfo
from console.migrator import service as migrations
from console.migrator import view
from console.tui.screen_keys import MIGRATIONS
from console.tui.screens.base import ConsoleScreen
from console.tui.screens.confirm import ConfirmScreen
from console.tui.widgets.styles import cell_text

COLUMNS = ("version", "description", "state", "applied at", "duration", "checksum")


class MigrationsScreen(ConsoleScreen):
    SCREEN_TITLE = "Migrations"
    KEYS = MIGRATIONS
    BINDINGS = MIGRATIONS.bindings()

    pending: list[str] | None = None  # the pending migrations as last loaded (None: not loaded yet)
    refusal: str = ""  # why this server can only refuse `apply` (a pending migration its edition cannot run)

    def compose_body(self) -> ComposeResult:
        yield Static("Loading migrations…", id="migrations-summary", markup=False)
        table: DataTable[Text] = DataTable(id="migrations-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Log(id="migrations-log", highlight=False)

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
        order = [[c.name for c in view.STATUS_COLUMNS].index(label) for label in COLUMNS]  # this table's order
        cells = [[cell_text(row.cells[i]) for i in order] for row in view.status_rows(rows)]
        # Each column as wide as its widest value, given up front: a column left to size itself is measured only
        # when the table is next idle, and a frame drawn before that kept its cells cut at the label's width
        # (Textual caches a rendered cell without its width), e.g. "appli" for "applied" at 80x24.
        table = self.query_one("#migrations-table", DataTable)
        table.clear(columns=True)
        for index, label in enumerate(COLUMNS):
            table.add_column(label, width=max([len(label), *(row[index].cell_len for row in cells)]))
        for r, row in zip(rows, cells, strict=True):
            table.add_row(*row, key=str(r.version))
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
        self._summary(f"{applied} applied, {pending} pending — {keys}")

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
        summary = self.query_one("#migrations-summary", Static)
        summary.update(Text(fmt.printable(text), style="bold red" if error else ""))

    def _log(self, line: str) -> None:
        self.query_one("#migrations-log", Log).write_line(line)

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
