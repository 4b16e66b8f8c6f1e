"""Printing `migrate`'s lint findings and rehearsal (text on the terminal, or JSON-ready data)."""

from __future__ import annotations

from rich.console import Console

from console.drift.rehearsal import Preflight
from console.infra.fmt import one_line
from console.infra.json_out import plain
from console.migrator.preflight import LintCheck


def as_dict(checked: LintCheck) -> dict[str, object]:
    rehearsal = checked.rehearsal if isinstance(checked, Preflight) else None
    return {"lint": [plain(f) | {"blocking": f in checked.blocking} for f in checked.findings],
            "rehearsal": plain(rehearsal) if rehearsal else None}


def print_findings(checked: Preflight) -> None:
    """One line per finding: code, level, file:line, message (blocking errors marked)."""
    out = Console(highlight=False)
    for f in checked.findings:
        mark = " (blocks migrate; --force overrides)" if f in checked.blocking else ""
        out.print(one_line(f"lint {f.code} {f.level} {f.where}: {f.message}{mark}"), markup=False, soft_wrap=True)


def print_lock_warnings(checked: LintCheck) -> None:
    """While migrating: only the L005 warnings of files about to run (a lock that blocks writes, now), on stderr
    like the progress lines; the other findings are for `--dry-run` and CI."""
    out = Console(stderr=True, highlight=False)
    for f in checked.findings:
        if f.code == "L005" and f.file in checked.pending:
            out.print(one_line(f"warning: lint {f.code} {f.where}: {f.message}"), markup=False, soft_wrap=True)


def print_rehearsal(checked: Preflight) -> None:
    """The rehearsal, then what `migrate` would do with and without --force."""
    out = Console(highlight=False)
    rehearsal = checked.rehearsal
    if rehearsal is None:
        return
    if rehearsal.skipped:
        out.print(one_line(f"rehearsal skipped: {rehearsal.skipped}"), markup=False, soft_wrap=True)
        return
    out.print(one_line(f"rehearsal on a scratch engine ({rehearsal.engine}):"), markup=False)
    for f in rehearsal.replay_failures:
        out.print(one_line(f"  replaying applied {f.file} line {f.line} ({f.statement}): {f.message}"), markup=False,
                  soft_wrap=True)
    for name in rehearsal.would_apply:
        out.print(one_line(f"  {name}: applies"), markup=False)
    if rehearsal.failure:
        out.print(one_line(f"  WOULD FAIL: {rehearsal.failure}"), markup=False, soft_wrap=True)
    else:
        out.print("  every pending migration applied on the scratch engine")
    if checked.blocking:
        codes = ", ".join(sorted({f.code for f in checked.blocking}))
        then = "would apply them as rehearsed" if rehearsal.ok else "would stop as rehearsed"
        predicted = f"predicted: `migrate` refuses (lint {codes}) and applies nothing; `migrate --force` {then}"
        out.print(one_line(predicted), markup=False, soft_wrap=True)
