"""Verify results: one CheckResult per check, PASS / WARN / FAIL / SKIP with expected, found and a remedy."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    SKIP = "SKIP"
    # The check could not run to an answer (a lock another session holds, a busy server): it says nothing about
    # the schema, so it is not a failure; --strict counts it as one.
    COULD_NOT_CHECK = "COULD NOT CHECK"


@dataclass(frozen=True)
class CheckResult:
    """One check: what was expected, what was found, and what to do about it."""

    id: str
    name: str
    status: Status
    expected: str
    found: str
    remedy: str = ""
    problems: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    skipped: str = ""  # what a PASS could not see, e.g. "4 of 7 skipped: Apache"

    @property
    def status_text(self) -> str:
        """The status as shown, with what a pass skipped: 'PASS (4 of 7 skipped: Apache)'."""
        return f"{self.status.value} ({self.skipped})" if self.skipped else self.status.value


# How findings are listed: the worst first.
FINDING_ORDER = (Status.FAIL, Status.WARN, Status.COULD_NOT_CHECK, Status.SKIP)


@dataclass(frozen=True)
class VerifyReport:
    """All checks of one run."""

    schema: list[CheckResult]
    health: list[CheckResult]
    elapsed_ms: float
    ran_at: datetime | None = None  # when the run started (UTC)

    @property
    def checks(self) -> list[CheckResult]:
        return [*self.schema, *self.health]

    @property
    def findings(self) -> list[CheckResult]:
        """The checks that did not pass, FAIL first, then WARN, COULD NOT CHECK, SKIP (in check order within)."""
        return sorted((c for c in self.checks if c.status is not Status.PASS),
                      key=lambda c: FINDING_ORDER.index(c.status))

    def count(self, status: Status) -> int:
        return sum(1 for c in self.checks if c.status is status)

    def exit_code(self, *, strict: bool = False) -> int:
        """0 all pass (WARN and COULD NOT CHECK allowed unless strict), 1 any FAIL (or WARN / COULD NOT CHECK
        when strict)."""
        if self.count(Status.FAIL) or (strict and (self.count(Status.WARN) or self.count(Status.COULD_NOT_CHECK))):
            return 1
        return 0


def as_dict(report: VerifyReport) -> dict[str, object]:
    """The report as JSON-ready data (the CLI's --json and the Verify screen's export)."""
    return {
        "summary": {s.value: report.count(s) for s in Status} | {"elapsed_ms": round(report.elapsed_ms, 1)}
        | ({"ran_at": report.ran_at.isoformat()} if report.ran_at else {}),
        "checks": [dataclasses.asdict(c) | {"status": c.status.value, "kind": kind}
                   for kind, checks in (("schema", report.schema), ("health", report.health)) for c in checks],
    }


def longer_timeout(timeout_ms: int) -> str:
    """The remedy for a check that ran out of time: the flag to give it longer (five times as long)."""
    return (f"give it longer: `obsconsole verify --check-timeout {max(1, round(timeout_ms * 5 / 1000))}s` (a large "
            "catalog or a busy server)")
