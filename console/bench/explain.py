"""Reading an EXPLAIN (FORMAT JSON) plan: which indexes and scan types a query uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# A chunk's copy of an index is named after the chunk and the hypertable's index: native TimescaleDB uses
# "_hyper_1_3_chunk_idx_traces_provider", the tsl build "3_12_idx_traces_provider" (and "1_1_llm_traces_pkey").
_CHUNK_PREFIX = re.compile(r"^(?:_hyper_\d+_\d+_chunk_|\d+_\d+_)")
_SCANS_WITH_INDEX = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}


@dataclass(frozen=True)
class PlanSummary:
    """What one plan touches: hypertable index names (chunk prefixes removed), scan node types, seq scans."""

    indexes: list[str]
    node_types: list[str]
    seq_scans: int  # Seq Scan nodes (on chunks or tables)
    chunks_scanned: int  # distinct chunk relations in the plan
    total_cost: float


def index_name(name: str) -> str:
    """The hypertable index a chunk index belongs to ('_hyper_1_3_chunk_idx_x' -> 'idx_x')."""
    return _CHUNK_PREFIX.sub("", name)


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []) or []:
        yield from _nodes(child)


def summarize(plan_json: Any) -> PlanSummary:
    """Summarize the value EXPLAIN (FORMAT JSON) returns (a one-element list holding {"Plan": ...})."""
    top = plan_json[0]["Plan"] if isinstance(plan_json, list) else plan_json["Plan"]
    indexes: list[str] = []
    node_types: list[str] = []
    relations: set[str] = set()
    seq_scans = 0
    for node in _nodes(top):
        kind = str(node.get("Node Type", "?"))
        if kind == "Custom Scan" and node.get("Custom Plan Provider"):
            kind = f"Custom Scan ({node['Custom Plan Provider']})"
        if kind not in node_types:
            node_types.append(kind)
        if kind == "Seq Scan":
            seq_scans += 1
        if kind in _SCANS_WITH_INDEX and node.get("Index Name"):
            name = index_name(str(node["Index Name"]))
            if name not in indexes:
                indexes.append(name)
        relation = node.get("Relation Name")
        if relation and str(relation).endswith("_chunk"):
            relations.add(str(relation))
    return PlanSummary(indexes, node_types, seq_scans, len(relations), float(top.get("Total Cost", 0.0)))
