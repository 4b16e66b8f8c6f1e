"""One verify check in full, opened from the Verify screen (Enter on its row): status, what was found, what was
expected and the remedy, each wrapped to the box's width."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from console.tui import registry
from console.tui.screen_keys import CHECK_DETAIL
from console.tui.widgets.styles import cell_text
from console.verify.view import FindingView


class CheckDetailScreen(ModalScreen[None]):
    """A check's finding: found, expected, remedy (the remedy only where there is one)."""

    BINDINGS = CHECK_DETAIL.bindings()

    def __init__(self, finding: FindingView) -> None:
        super().__init__()
        self.finding = finding

    def compose(self) -> ComposeResult:
        finding = self.finding
        title = Text.assemble(f"{finding.id} ", cell_text(finding.status), " ", (finding.name, "bold"))
        facts = Table.grid(padding=(0, 2))
        facts.add_column(no_wrap=True)
        facts.add_column(ratio=1, overflow="fold")  # a long identifier folds onto the next line, never cut
        for label, value in finding.details:
            if value:
                facts.add_row(Text(label, style="bold"), Text(value))
        close = ", ".join(registry.keys_in_force(self.app, CHECK_DETAIL["check_detail.close"]))
        with VerticalScroll(id="check-detail-box"):
            yield Static(Group(title, Text(""), facts), id="check-detail-text")
            yield Static(f"{close}: close", classes="hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
