"""Verify output: a rich table, JSON and JUnit XML (one testcase per check)."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console
from rich.text import Text

from console.commands.render.view import print_table as print_table_view
from console.commands.render.view import text
from console.infra import fmt, userfiles
from console.verify import view
from console.verify.model import Status, VerifyReport, as_dict


def print_table(report: VerifyReport, *, wide: bool = False) -> None:
    """When it ran, every check in a table (what was found gives way first at narrow widths; a pass says what it
    skipped in its status), then each check that did not pass in full, the worst first: what was found, what was
    expected, the remedy. Names are never cut; piped, it is plain text."""
    out = Console(highlight=False)
    ran = f", ran at {fmt.clock(report.ran_at)}" if report.ran_at else ""
    out.print(Text(f"obsconsole verify{ran}: {view.counts(report)} in {report.elapsed_ms:.0f} ms", style="bold"))
    print_table_view(out, view.COLUMNS, view.check_rows(report), wide=wide)
    for finding in view.findings(report):
        out.print()
        out.print(Text.assemble((f"{finding.id} ", "bold"), text(finding.status), f" {finding.name}"))
        for label, value in finding.details:
            if value:
                out.print(Text(f"  {label + ':':<10}{value}"))


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
