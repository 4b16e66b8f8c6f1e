"""Operator actions in the console: `start_action` runs the actions' workflow (console.actions.workflow) on a
worker: plan on the read-only session, show the exact SQL and what it touches in ActionConfirmScreen (default
No), then run it on the same session and say how it went; every step is audited. In read-only mode it refuses
(the screens hide their action keys)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

from console.actions import gate, workflow
from console.actions.plan import Plan, Request
from console.actions.view import plan_view
from console.infra.errors import ConsoleError
from console.tui.context import HasContext
from console.tui.screens import action_prompts as prompts
from console.tui.widgets.styles import cell_text


class ActionConfirmScreen(ModalScreen[bool]):
    """The plan (what it touches, the SQL, notes); dismisses with True only on an explicit Yes."""

    DEFAULT_CSS = """
    ActionConfirmScreen { align: center middle; }
    #action-box { width: 90%; max-width: 130; height: auto; max-height: 90%; border: thick $warning;
                  background: $surface; padding: 0 1; }
    #action-buttons { height: auto; align: right middle; }
    #action-buttons Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        view = plan_view(self.plan)
        parts: list[Text] = [Text(f"Run {view.action}?", style="bold"),
                             Text.assemble("runs as ", cell_text(view.runs_as)),
                             Text("touches:", style="bold")]
        parts += [Text(f"  {line}") for line in view.touches]
        parts += [Text("SQL:", style="bold"), Text("\n").join(map(cell_text, view.sql))]
        parts += [cell_text(note) for note in view.notes]
        with VerticalScroll(id="action-box"):
            yield Static(Group(*parts), id="action-plan")
            with Horizontal(id="action-buttons"):
                yield Button("No", id="no", variant="primary")
                yield Button("Yes", id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class AskScreen(ModalScreen[str | None]):
    """One value for an action (e.g. a job's new schedule interval); Escape cancels."""

    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    #ask-box { width: 60; height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(self.question, markup=False)
            yield Input(placeholder=self.placeholder, id="ask-input")

    def on_mount(self) -> None:
        self.query_one("#ask-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def read_only(screen: Screen[Any]) -> bool:
    """Whether the app runs in read-only mode (actions hidden)."""
    app = screen.app
    return isinstance(app, HasContext) and app.context.read_only


def ask_action(screen: Screen[Any], question: str, example: str, build: Callable[[list[str]], Request], *,
               on_success: Callable[[], None] | None = None) -> None:
    """Ask one line (AskScreen), turn its words into a request with `build` (a malformed answer is one error
    line), then `start_action` it on `screen`. Escape or an empty answer does nothing."""
    app = screen.app

    def answered(text: str | None) -> None:
        if not text:
            return
        try:
            request = build(prompts.split_answer(text))
        except ConsoleError as exc:
            app.notify(exc.message, severity="error")
            return
        start_action(screen, request, on_success=on_success)

    app.push_screen(AskScreen(question, example), answered)


def start_action(screen: Screen[Any], request: Request, on_done: Callable[[], None] | None = None, *,
                 on_success: Callable[[], None] | None = None) -> None:
    """Plan `request` off the UI thread, confirm it (default No), run it on the console's session and notify the
    one-line result; `on_success` (when it worked) then `on_done` run afterwards on the UI thread (e.g. a
    reload). The dashboard binds its row actions through this."""
    app = screen.app
    assert isinstance(app, HasContext)
    session = app.context.session
    target = session.target
    if app.context.read_only:
        app.notify(gate.refuse_read_only(target, request).message, severity="warning")
        return

    def finish(message: str, severity: SeverityLevel) -> None:
        app.notify(message, severity=severity, timeout=10)
        if on_success is not None and severity == "information":
            on_success()
        if on_done is not None:
            on_done()

    confirmed: list[Plan] = []  # the plan the user said Yes to: a failure after it is that run's outcome

    def confirm(plan: Plan) -> str | None:
        """On the worker thread: nothing to confirm runs at once ("nothing to drop"); else the modal's answer."""
        if not plan.statements:
            return None
        answer: Future[bool | None] = Future()
        app.call_from_thread(app.push_screen, ActionConfirmScreen(plan), answer.set_result)
        while True:  # the worker waits for the answer; the app quitting meanwhile counts as No
            try:
                yes = answer.result(timeout=0.25)
            except FutureTimeout:
                if not app.is_running:
                    return workflow.CANCELLED
                continue
            if not yes:
                return workflow.CANCELLED
            confirmed.append(plan)
            return None

    def run() -> None:
        try:
            outcome = workflow.run_action(session.call, target, request, confirm)
        except ConsoleError as exc:
            if confirmed:
                app.call_from_thread(finish, exc.message, "error")
            else:
                app.call_from_thread(app.notify, exc.message, severity="error", timeout=10)
            return
        action = outcome.plan.action
        if outcome.unaudited is not None:  # the audit log refused the line: said, the console stays up
            app.call_from_thread(app.notify, f"{action} cancelled: nothing was done; {outcome.unaudited.message}",
                                 severity="warning")
        elif not outcome.ran:
            app.call_from_thread(app.notify, f"{action} cancelled: nothing was done")
        elif outcome.plan.statements:
            app.call_from_thread(finish, outcome.message, "information")
        else:
            app.call_from_thread(app.notify, outcome.message, timeout=10)

    screen.run_worker(run, thread=True, group="action", exit_on_error=False)
