"""Adding, changing or removing a retention or compression policy on a hypertable or continuous aggregate; a
retention change lists the chunks its next run drops (range, size), as a chunk drop does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from console.actions.chunks import ending_before
from console.actions.plan import QUICK, Plan, owner_of, statement, utc
from console.infra import fmt
from console.infra.db import Conn
from console.infra.errors import ConsoleError
from console.infra.queries import for_version, query
from console.infra.server import ServerInfo
from console.infra.write_gate import COMMUNITY, Need

POLICY_KINDS = {"retention": "policy_retention", "compression": "policy_compression"}


@dataclass(frozen=True)
class PolicyChange:
    """Set the `kind` policy of `relation` to `after` (a PostgreSQL interval), or remove it."""

    requires: ClassVar[tuple[Need, ...]] = (COMMUNITY,)  # asked of the write gate before the plan

    kind: str
    relation: str
    after: str | None = None
    remove: bool = False

    @property
    def action(self) -> str:
        change = "--remove" if self.remove else f"--after {self.after}"
        return f"policy {self.kind} {self.relation} {change}"

    def plan(self, conn: Conn, info: ServerInfo) -> Plan:
        if self.kind not in POLICY_KINDS:
            raise ConsoleError(f"unknown policy {self.kind!r} (use retention or compression)")
        if self.remove == bool(self.after):
            raise ConsoleError(f"policy {self.kind} needs --after AGE or --remove (one of them)")
        row = conn.execute(query("actions/relation_target"), {"name": self.relation}).fetchone()
        if row is None:
            raise ConsoleError(f"no hypertable or continuous aggregate {self.relation!r} on this server")
        relation, kind = str(row[0]), str(row[1])
        current = conn.execute(query("actions/policy_target"),
                               {"proc": POLICY_KINDS[self.kind], "relation": relation}).fetchall()
        now = "; ".join(f"job {job_id} {config}" for job_id, config in current) or "none"
        touches: tuple[str, ...] = (f"{relation} ({kind}): {self.kind} policy now: {now}",)
        version = info.tsdb_version_tuple
        params = {"relation": relation, "after": self.after}
        statements: list[str] = []
        if current:
            statements.append(statement(conn, for_version(f"actions/{self.kind}_remove", version), params))
        if self.after:
            statements.append(statement(conn, for_version(f"actions/{self.kind}_add", version), params))
        notes: tuple[str, ...] = () if statements else (f"{relation} has no {self.kind} policy: nothing to remove",)
        if self.kind == "retention" and self.after:
            dropped, note = self._next_run_drops(conn, relation)
            touches += dropped
            notes += (note,)
        return Plan(self.action, tuple(statements), touches, timeouts=QUICK, notes=notes, needs=owner_of(relation))

    def _next_run_drops(self, conn: Conn, relation: str) -> tuple[tuple[str, ...], str]:
        """The chunks the new retention's next run drops (range, size each; counted as of now, as the drop
        preview does) and a note that sums them up."""
        assert self.after is not None
        row = conn.execute(query("actions/retention_hypertable"), {"relation": relation}).fetchone()
        hypertable = str(row[0]) if row is not None else relation
        cutoff, found = ending_before(conn, hypertable, self.after)
        if not found:
            return (), f"its next run drops no chunk: none of {hypertable} ends before {utc(cutoff)} (as of now)"
        total = sum(c.total_bytes or 0 for c in found)
        return (tuple(f"drops {c.line()}" for c in found),
                f"its next run drops {len(found)} chunk(s), {fmt.size(total)} in all, ending before {utc(cutoff)} "
                "(as of now): their rows are deleted")
