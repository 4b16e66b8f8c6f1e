"""Verify output: a rich table, JSON and JUnit XML (one testcase per check)."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from console.verify.model import Status, VerifyReport, as_dict

_STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red", Status.SKIP: "dim"}


def print_table(report: VerifyReport) -> None:
    table = Table("#", "check", "status", "expected", "found", "remedy", title="obsconsole verify")
    for check in report.checks:
        table.add_row(check.id, escape(check.name), f"[{_STYLE[check.status]}]{check.status.value}[/]",
                      escape(check.expected), escape(check.found), escape(check.remedy))
    out = Console()
    out.print(table)
    counts = ", ".join(f"{report.count(s)} {s.value}" for s in Status)
    out.print(f"{counts} in {report.elapsed_ms:.0f} ms", highlight=False)


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
            elif check.status is Status.WARN:
                ET.SubElement(case, "system-out").text = f"WARN: {check.found} (remedy: {check.remedy})"
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
