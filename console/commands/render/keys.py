"""Printing `obsconsole keys list`: a table whose prefix, name and owner are never cut (console/commands/render/
view.py); at a narrow width the dates give way first, then scopes, and a line says so (`--wide` shows them)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from console.commands.render.view import print_table
from console.keys.service import KeyRow
from console.view import Align, Cell, Column, ViewRow

COLUMNS = (Column("id", align=Align.RIGHT), Column("prefix", identifier=True), Column("name", identifier=True),
           Column("owner", 1, identifier=True), Column("state"), Column("scopes", 2), Column("expires", 3),
           Column("created", 4))


def print_keys(rows: list[KeyRow], *, wide: bool = False) -> None:
    out = Console(highlight=False)
    out.print(Text("API keys", style="bold"))
    print_table(out, COLUMNS, [ViewRow(str(r.id), (
        Cell.of(r.id), Cell.of(f"{r.key_prefix}…"), Cell.of(r.name), Cell.of(r.email), Cell.of(r.state),
        Cell.of(",".join(r.scopes)), Cell.of(f"{r.expires_at:%Y-%m-%d}" if r.expires_at else "never"),
        Cell.of(f"{r.created_at:%Y-%m-%d}"))) for r in rows], wide=wide)
