"""Drift results: each difference between the replayed migrations and the live database, and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from console.drift.replay import StatementFailure


class Kind(StrEnum):
    MISSING = "missing"  # the migrations create it; the database lacks it
    EXTRA = "extra"  # the database has it; no replayed migration creates it
    CHANGED = "changed"  # both have it, with different attributes
    RENAMED = "renamed"  # the database has the same definition under another name
    UNSETTLED = "unsettled"  # a difference the two engines cannot settle (versions, edition): not drift


@dataclass(frozen=True)
class Difference:
    """One object that differs, and the migration file that creates it ('' when none does)."""

    kind: Kind
    section: str
    name: str
    detail: str
    file: str = ""


@dataclass(frozen=True)
class DriftReport:
    """`verify --drift`: what was replayed where, what failed while replaying, and every difference."""

    source: str  # "ledger" or "folder"
    replayed: list[str]
    not_replayed: list[str]
    target: str
    replay_engine: str
    failures: list[StatementFailure]
    differences: list[Difference] = field(default_factory=list)
    elapsed_ms: float = 0.0

    @property
    def drift(self) -> list[Difference]:
        """The differences that are drift (unsettled ones are not)."""
        return [d for d in self.differences if d.kind is not Kind.UNSETTLED]

    def count(self, kind: Kind) -> int:
        return sum(1 for d in self.differences if d.kind is kind)
