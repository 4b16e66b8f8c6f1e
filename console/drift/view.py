"""The drift report's differences as both shells show them: one row per difference (its kind styled: missing or
changed is BAD, extra or renamed WARN, unsettled DIM). `verify --drift` draws them with rich, the Verify
screen's Drift tab with Textual (there the wrapping columns wrap at their spaces instead of being cut)."""

from __future__ import annotations

from console.drift.model import DriftReport, Kind
from console.infra.fmt import one_line
from console.view import Cell, Column, Style, ViewRow

KIND_STYLE = {Kind.MISSING: Style.BAD, Kind.EXTRA: Style.WARN, Kind.CHANGED: Style.BAD, Kind.RENAMED: Style.WARN,
              Kind.UNSETTLED: Style.DIM}
COLUMNS = (Column("difference"), Column("object", wrap=True), Column("name", identifier=True, wrap=True),
           Column("created by", 2, wrap=True), Column("detail", 1, wrap=True))


def difference_rows(report: DriftReport) -> list[ViewRow]:
    """Every difference: its kind, the object's section and name, the migration that created it, the detail."""
    return [ViewRow(f"{index}", (Cell(d.kind.value, KIND_STYLE[d.kind]), Cell(one_line(d.section)),
                                 Cell(one_line(d.name)), Cell(one_line(d.file or "-")), Cell(one_line(d.detail))))
            for index, d in enumerate(report.differences)]
