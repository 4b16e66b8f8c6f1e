"""Verify output: a rich table, JSON and JUnit XML (one testcase per check)."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console
from rich.text import Text

from console.commands.render.view import print_table as print_table_view
from console.infra import fmt, userfiles
from console.infra.fmt import printable
from console.panes.view import Cell, Column, Style, ViewRow
from console.verify.model import Status, VerifyReport, as_dict

_STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red", Status.SKIP: "dim",
          Status.COULD_NOT_CHECK: "yellow"}


_VIEW_STYLE = {Status.PASS: Style.OK, Status.WARN: Style.WARN, Status.FAIL: Style.BAD, Status.SKIP: Style.DIM,
               Status.COULD_NOT_CHECK: Style.WARN}
COLUMNS = (Column("#"), Column("status"), Column("check", identifier=True), Column("found", 1))


def print_table(report: VerifyReport, *, wide: bool = False) -> None:
    """When it ran, every check in a table (what was found gives way first at narrow widths; a pass says what it
    skipped in its status), then each check that did not pass in full, the worst first: what was found, what was
    expected, the remedy. Names are never cut; piped, it is plain text."""
    out = Console(highlight=False)
    rows = [ViewRow(c.id, (Cell.of(c.id), Cell.of(c.status_text, _VIEW_STYLE[c.status]), Cell.of(c.name),
                           Cell.of(c.found))) for c in report.checks]
    counts = ", ".join(f"{report.count(s)} {s.value}" for s in Status)
    ran = f", ran at {fmt.clock(report.ran_at)}" if report.ran_at else ""
    out.print(Text(f"obsconsole verify{ran}: {counts} in {report.elapsed_ms:.0f} ms", style="bold"))
    print_table_view(out, COLUMNS, rows, wide=wide)
    for check in report.findings:  # FAIL, WARN, COULD NOT CHECK, SKIP
        out.print()
        out.print(Text.assemble((f"{check.id} ", "bold"), (check.status.value, _STYLE[check.status]),
                                f" {printable(check.name)}"))
        for label, value in (("found", check.found), ("expected", check.expected), ("remedy", check.remedy)):
            if value:
                out.print(Text(f"  {label + ':':<10}{printable(value)}"))


def print_json(report: VerifyReport, extra: dict[str, object] | None = None) -> None:
    json.dump(as_dict(report) | (extra or {}), sys.stdout, indent=2)
    sys.stdout.write("\n")


def write_junit(report: VerifyReport, path: Path) -> None:
    """JUnit XML for CI systems: FAIL is a <failure>, SKIP is <skipped>, WARN passes with a note."""
    suite = ET.Element("testsuite", name="obsconsole.verify", tests=str(len(report.checks)),
                       failures=str(report.count(Status.FAIL)), skipped=str(report.count(Status.SKIP)),
                       time=f"{report.elapsed_ms / 1000:.3f}")
    for kind, checks in (("schema", report.schema), ("health", report.health)):
        for check in checks:
            case = ET.SubElement(suite, "testcase", classname=f"obsconsole.verify.{kind}",
                                 name=f"{check.id} {check.name}", time=f"{check.elapsed_ms / 1000:.3f}")
            if check.status is Status.FAIL:
                failure = ET.SubElement(case, "failure", message=check.found)
                failure.text = f"expected: {check.expected}\nfound: {check.found}\nremedy: {check.remedy}"
            elif check.status is Status.SKIP:
                ET.SubElement(case, "skipped", message=check.remedy or check.found)
            elif check.status in (Status.WARN, Status.COULD_NOT_CHECK):
                ET.SubElement(case, "system-out").text = f"{check.status.value}: {check.found} (remedy: {check.remedy})"
            elif check.skipped:  # a pass on part of what it expected says what it did not check
                ET.SubElement(case, "system-out").text = f"{check.status_text}: {check.found}"
    userfiles.write_bytes(path, ET.tostring(suite, encoding="utf-8", xml_declaration=True), "--junit")
