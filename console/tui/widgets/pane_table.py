"""A pane's table: a DataTable that says when its own size changed. The pane counts the rows in view ("N of M
rows") from the table's height, which can change while the pane's own size does not (its notes line comes or
goes, the layout settles after the pane was laid out)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable


class PaneTable(DataTable[Text]):
    """The DataTable of a dashboard pane."""

    class Resized(Message):
        """The table's size changed: what the pane says of the rows in view may have too."""

    def on_resize(self, _event: events.Resize) -> None:
        self.post_message(self.Resized())
