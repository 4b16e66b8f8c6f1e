"""Comparing the replayed snapshot (what the migrations make) with the live one (what the database has)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from console.drift.model import Difference, Kind
from console.drift.replay import ReplayResult
from console.drift.snapshot import Attrs, Snapshot
from console.infra.server import ServerInfo
from console.migrator.features import community_features
from console.migrator.files import MigrationFile

# Sections that exist only where TimescaleDB Community features run.
_COMMUNITY_SECTIONS = {"compression", "continuous aggregate", "job"}
# Attributes whose text the server writes itself (deparsed queries, job configs, defaults): they may differ
# between PostgreSQL or TimescaleDB versions for the same source SQL.
_VERSION_TEXT = {"query", "config", "default"}
_RENAMEABLE = {"index", "constraint"}
_MAX_VALUE = 60


@dataclass(frozen=True)
class Sides:
    """The two servers compared and the files behind the replay."""

    target: ServerInfo
    replay: ServerInfo
    replayed: list[MigrationFile]
    not_replayed: list[MigrationFile]


def compare(expected: ReplayResult, actual: Snapshot, sides: Sides) -> list[Difference]:
    """Every difference both ways, section by section, each named with the file that creates the object."""
    community = {m.label: community_features(m.sql) for m in sides.replayed}
    out: list[Difference] = []
    for section, wanted in expected.snapshot.items():
        found = actual.get(section, {})
        missing = [k for k in wanted if k not in found]
        extra = [k for k in found if k not in wanted]
        renamed = _renames(section, wanted, found, missing, extra)
        for old, new in renamed.items():
            out.append(Difference(Kind.RENAMED, section, old, f"exists as {new} (same definition)",
                                  expected.created_by.get((section, old), "")))
        for key in missing:
            if key in renamed:
                continue
            file = expected.created_by.get((section, key), "")
            reason = _edition_reason(section, file, community, sides)
            if reason:
                out.append(Difference(Kind.UNSETTLED, section, key, f"missing, but {reason}", file))
            else:
                out.append(Difference(Kind.MISSING, section, key, "the migrations create it; the database lacks it",
                                      file))
        for key in extra:
            if key in renamed.values():
                continue
            out.append(Difference(Kind.EXTRA, section, key, _extra_detail(key, sides), ""))
        for key in wanted.keys() & found.keys():
            if wanted[key] != found[key]:
                out.append(_changed(section, key, wanted[key], found[key], expected, community, sides))
    return _fold_children(out, expected.snapshot, actual)


def _fold_children(diffs: list[Difference], expected: Snapshot, actual: Snapshot) -> list[Difference]:
    """Columns, constraints and indexes of a missing or extra table go with it: one row, counted there."""
    tables = {(d.kind, d.name): d for d in diffs if d.section == "relation" and d.kind in {Kind.MISSING, Kind.EXTRA}}
    counts: dict[tuple[Kind, str], dict[str, int]] = {}
    kept: list[Difference] = []
    for d in diffs:
        owner = _owner(d, expected if d.kind is Kind.MISSING else actual)
        if owner is not None and (d.kind, owner) in tables:
            per = counts.setdefault((d.kind, owner), {})
            per[d.section] = per.get(d.section, 0) + 1
        else:
            kept.append(d)
    out: list[Difference] = []
    for d in kept:
        folded = counts.get((d.kind, d.name))
        if d.section == "relation" and folded:
            parts = ", ".join(_plural(n, section) for section, n in sorted(folded.items()))
            d = Difference(d.kind, d.section, d.name, f"{d.detail} (with its {parts})", d.file)
        out.append(d)
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}es" if word.endswith("x") else f"{n} {word}s"


def _owner(d: Difference, side: Snapshot) -> str | None:
    if d.section in {"column", "constraint"}:
        return d.name.rsplit(".", 1)[0]
    if d.section == "index":
        table = side.get("index", {}).get(d.name, {}).get("table", "")
        schema = d.name.rsplit(".", 1)[0] + "." if "." in d.name else ""
        return schema + table if table else None
    return None


def _renames(section: str, wanted: dict[str, Attrs], found: dict[str, Attrs], missing: list[str],
             extra: list[str]) -> dict[str, str]:
    if section not in _RENAMEABLE:
        return {}
    pairs: dict[str, str] = {}
    free = list(extra)
    for key in missing:
        for other in free:
            same_table = section != "constraint" or key.rsplit(".", 1)[0] == other.rsplit(".", 1)[0]
            if same_table and wanted[key] == found[other]:
                pairs[key] = other
                free.remove(other)
                break
    return pairs


def _changed(section: str, key: str, want: Attrs, have: Attrs, expected: ReplayResult,
             community: dict[str, list[str]], sides: Sides) -> Difference:
    file = expected.changed_by.get((section, key)) or expected.created_by.get((section, key), "")
    differing = sorted(a for a in want.keys() | have.keys() if want.get(a, "") != have.get(a, ""))
    detail = "; ".join(f"{a}: {_pair(want.get(a, ''), have.get(a, ''))}" for a in differing)
    reason = _edition_reason(section, file, community, sides)
    versions = _versions_differ(sides)
    if not reason and versions and set(differing) <= _VERSION_TEXT:
        reason = f"{', '.join(differing)} written by the server itself and the servers differ ({versions})"
    if reason:
        return Difference(Kind.UNSETTLED, section, key, f"{detail}; {reason}", file)
    return Difference(Kind.CHANGED, section, key, detail, file)


def _edition_reason(section: str, file: str, community: dict[str, list[str]], sides: Sides) -> str:
    if sides.target.community or sides.target.timescaledb_installed is None:
        return ""
    needs = community.get(file, [])
    if needs or section in _COMMUNITY_SECTIONS:
        what = ", ".join(needs) or section
        return f"the target runs the {sides.target.edition} edition, which refuses {what}"
    return ""


def _versions_differ(sides: Sides) -> str:
    a, b = sides.replay, sides.target
    if a.server_version_num // 10000 == b.server_version_num // 10000 and a.timescaledb_installed == \
            b.timescaledb_installed:
        return ""
    return (f"replayed on PostgreSQL {_major(a)} / TimescaleDB {a.timescaledb_installed}, "
            f"target PostgreSQL {_major(b)} / TimescaleDB {b.timescaledb_installed}")


def _major(info: ServerInfo) -> int:
    return info.server_version_num // 10000


def _extra_detail(key: str, sides: Sides) -> str:
    name = key.rsplit(".", 1)[-1]
    word = re.compile(rf"\b{re.escape(name)}\b")
    for migration in sides.not_replayed:
        if word.search(migration.sql):
            return f"not created by the replayed migrations; {migration.label} (not replayed) names it"
    return "not created by any replayed migration (made by hand or by another tool?)"


def _pair(want: str, have: str) -> str:
    if len(want) <= _MAX_VALUE and len(have) <= _MAX_VALUE:
        return f"migrations {want or '(none)'!r}, database {have or '(none)'!r}"
    at = next((i for i, (x, y) in enumerate(zip(want, have, strict=False)) if x != y), min(len(want), len(have)))
    start = max(0, at - 20)
    return f"differ at character {at + 1}: migrations '…{want[start:at + 30]}…', database '…{have[start:at + 30]}…'"
