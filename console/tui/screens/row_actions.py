"""The dashboard's actions on the row under the cursor: which apply to a pane's row (a hypertable's chunks, a
policy, a continuous aggregate's refresh), the question each asks and the request its answer makes (the command
palette's prompt parsers, with the row's relation put first)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from console.actions.plan import Request
from console.infra.errors import ConsoleError
from console.panes import Snapshot
from console.tui.screens import action_prompts as prompts

CAGG = "continuous aggregate"
POLICY_PANES = ("retention", "compression")
_PLAIN = re.compile(r"[a-z_][a-z0-9_$]*")


@dataclass(frozen=True)
class RowTarget:
    """The relation a dashboard row stands for."""

    pane: str
    relation: str  # schema-qualified, as the actions look it up
    kind: str  # "hypertable" | "continuous aggregate"
    policy: str = ""  # the pane's words for its current policy (retention and compression panes)


@dataclass(frozen=True)
class RowAction:
    """One action on a row: its verb (the dashboard's `row(verb)` binding), palette entry and prompt."""

    verb: str
    title: str
    question: str
    example: str
    build: Callable[[list[str]], Request]


def qualified(schema: str, name: str) -> str:
    """`schema.name`, each part double-quoted unless it is a plain lower-case identifier (as format('%I') writes
    it, reserved words aside)."""
    return ".".join(part if _PLAIN.fullmatch(part) else '"' + part.replace('"', '""') + '"'
                    for part in (schema, name))


def target(snapshot: Snapshot | None, pane: str, key: str) -> RowTarget | None:
    """The relation behind row `key` of `pane` in the last snapshot; the cost pane stands for the aggregate it
    reads, whichever row is chosen. None when the row is gone or the pane has no relation."""
    result = snapshot.pane(pane) if snapshot is not None else None
    if result is None:
        return None
    if pane == "cost":
        source = getattr(result.summary, "source", None)
        return RowTarget(pane, qualified(source.schema, source.view), CAGG) if source is not None else None
    if pane not in ("chunks", *POLICY_PANES):
        return None
    row = next((r for r in result.rows if f"{r.schema}.{r.name}" == key), None)
    if row is None:
        return None
    return RowTarget(pane, qualified(row.schema, row.name), row.kind, getattr(row, "policy", ""))


# The verbs the server refuses outside TimescaleDB Community (compression, policies, continuous aggregates):
# not offered there at all.
COMMUNITY_ONLY = ("compress", "decompress", "policy", "refresh")


def offered(row: RowTarget, *, community: bool = True) -> dict[str, RowAction]:
    """The actions on `row`, by verb: a hypertable's chunks (chunks pane), the pane's policy (retention and
    compression panes), a continuous aggregate's refresh (any pane); on an edition other than Community only
    those it can run (drop)."""
    actions = _offered(row)
    return {verb: action for verb, action in actions.items() if community or verb not in COMMUNITY_ONLY}


def _offered(row: RowTarget) -> dict[str, RowAction]:
    name = row.relation
    actions: list[RowAction] = []
    if row.pane == "chunks" and row.kind != CAGG:
        actions += [
            RowAction("compress", f"Compress chunks of {name} older than…",
                      f"Compress the uncompressed chunks of {name} older than (an age):", "7d",
                      _after(name, partial(prompts.compression, "compress"), "an age")),
            RowAction("decompress", f"Decompress chunks of {name} older than…",
                      f"Decompress the compressed chunks of {name} older than (an age):", "7d",
                      _after(name, partial(prompts.compression, "decompress"), "an age")),
            RowAction("drop", f"Drop chunks of {name} older than…",
                      f"Drop the chunks of {name} entirely older than (an age; they are listed before anything "
                      "runs):", "90d", _after(name, prompts.drop, "an age")),
        ]
    if row.pane in POLICY_PANES:
        actions.append(RowAction("policy", f"Set or remove the {row.pane} policy of {name}…",
                                 f"{row.pane.capitalize()} policy of {name} (now: {row.policy or 'unknown'}): an "
                                 "age, or 'remove':", "30d" if row.pane == "retention" else "7d",
                                 _after(name, partial(prompts.policy, row.pane), "an age or 'remove'")))
    if row.kind == CAGG:
        actions.append(RowAction("refresh", f"Refresh {name} over a window…",
                                 f"Refresh {name} from, then optionally to (ISO 8601 time or an age before now; "
                                 f"'{prompts.OPEN_END}' is an open end):", "3d 1h",
                                 _after(name, prompts.refresh, "from, then optionally to", most=2)))
    return {action.verb: action for action in actions}


def _after(relation: str, build: Callable[[list[str]], Request], usage: str,
           most: int = 1) -> Callable[[list[str]], Request]:
    """`build` with the row's relation put before the words typed (at most `most` of them)."""
    def made(words: list[str]) -> Request:
        if len(words) > most:
            raise ConsoleError(f"expected {usage}")
        return build([relation, *words])
    return made
