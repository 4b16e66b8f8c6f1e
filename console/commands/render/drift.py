"""Printing `verify --drift`: a table after the checks, a `drift` key in the JSON, testcases in the JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console
from rich.table import Table

from console.commands.render import wrap
from console.commands.render.view import text
from console.drift import view
from console.drift.model import DriftReport, Kind
from console.infra import userfiles
from console.infra.fmt import one_line
from console.infra.json_out import plain


def as_dict(report: DriftReport) -> dict[str, object]:
    return {"drift": plain(report) | {"summary": {k.value: report.count(k) for k in Kind},
                                      "drifted": bool(report.drift)}}


def print_table(report: DriftReport) -> None:
    out = Console(highlight=False)

    def say(line: str) -> None:  # folded to the width between words
        for folded in wrap.fold(one_line(line), out.width):
            out.print(folded, markup=False, soft_wrap=True)

    say(f"drift: {len(report.replayed)} migration(s) from the {report.source} replayed on {report.replay_engine}; "
        f"database: {report.target}")
    for name in report.not_replayed:
        say(f"  not replayed: {name}")
    for f in report.failures:
        say(f"  replay: {f.file} line {f.line} ({f.statement}) failed: {f.message}")
    if report.differences:
        table = Table(*(c.name for c in view.COLUMNS), title="Drift (migrations vs database)")
        for row in view.difference_rows(report):
            table.add_row(*map(text, row.cells))
        out.print(table)
    counts = ", ".join(f"{report.count(k)} {k.value}" for k in Kind)
    verdict = "DRIFT" if report.drift else "no drift"
    out.print(f"{verdict}: {counts} in {report.elapsed_ms:.0f} ms")


def add_to_junit(report: DriftReport, path: Path) -> None:
    """Append one testcase per difference (drift is a <failure>, unsettled is <skipped>) to the verify suite,
    or one passing testcase when there is no difference."""
    tree = ET.parse(path)
    suite = tree.getroot()
    cases = report.differences or []
    for d in cases:
        case = ET.SubElement(suite, "testcase", classname=f"obsconsole.verify.drift.{d.section.replace(' ', '_')}",
                             name=f"{d.kind.value} {d.name}", time="0")
        if d.kind is Kind.UNSETTLED:
            ET.SubElement(case, "skipped", message=d.detail)
        else:
            ET.SubElement(case, "failure", message=f"{d.kind.value}: {d.detail}").text = \
                f"{d.section} {d.name}: {d.detail}\ncreated by: {d.file or '-'}"
    if not cases:
        ET.SubElement(suite, "testcase", classname="obsconsole.verify.drift", name="no drift",
                      time=f"{report.elapsed_ms / 1000:.3f}")
    suite.set("tests", str(int(suite.get("tests", "0")) + max(len(cases), 1)))
    suite.set("failures", str(int(suite.get("failures", "0")) + len(report.drift)))
    suite.set("skipped", str(int(suite.get("skipped", "0")) + report.count(Kind.UNSETTLED)))
    userfiles.write_bytes(path, ET.tostring(suite, encoding="utf-8", xml_declaration=True), "--junit")
