"""The verify report as both shells show it: the checks table (one row per check, its status styled) and the
findings (each check that did not pass: what was found, expected, the remedy). Semantic styles only; `obsconsole
verify` draws it with rich, the console's Verify screen with Textual, both through console.view.COLOURS."""

from __future__ import annotations

from dataclasses import dataclass

from console.infra import fmt
from console.verify.model import CheckResult, Status, VerifyReport
from console.view import Cell, Column, Style, ViewRow

STATUS_STYLE = {Status.PASS: Style.OK, Status.WARN: Style.WARN, Status.FAIL: Style.BAD, Status.SKIP: Style.DIM,
                Status.COULD_NOT_CHECK: Style.WARN}
COLUMNS = (Column("#"), Column("status"), Column("check", identifier=True), Column("found", 1, wrap=True))


@dataclass(frozen=True)
class FindingView:
    """One check that did not pass: its id, status (styled) and name, then found / expected / remedy."""

    id: str
    status: Cell
    name: str
    details: tuple[tuple[str, str], ...]


def check_rows(report: VerifyReport) -> list[ViewRow]:
    """Every check: #, status (what a pass skipped included), name, what was found."""
    return [ViewRow(c.id, (Cell.of(c.id), Cell.of(c.status_text, STATUS_STYLE[c.status]), Cell.of(c.name),
                           Cell.of(c.found))) for c in report.checks]


def finding(check: CheckResult) -> FindingView:
    """One check in full: its status (with what a pass skipped), what was found, what was expected, the remedy."""
    return FindingView(check.id, Cell.of(check.status_text, STATUS_STYLE[check.status]), fmt.printable(check.name),
                       tuple((label, fmt.printable(value)) for label, value in
                             (("found", check.found), ("expected", check.expected), ("remedy", check.remedy))))


def findings(report: VerifyReport) -> list[FindingView]:
    """The checks that did not pass, the worst first (FAIL, WARN, COULD NOT CHECK, SKIP)."""
    return [finding(c) for c in report.findings]


def counts(report: VerifyReport, *, nonzero: bool = False) -> str:
    """'17 PASS, 1 WARN, 0 FAIL, ...' in the order of Status (with `nonzero`: '17 PASS, 1 WARN')."""
    return ", ".join(f"{report.count(s)} {s.value}" for s in Status if report.count(s) or not nonzero)
