"""Which expected objects a verify run must find: those of applied migrations. Objects of migrations the
server's edition cannot run are skipped (with that reason); objects of other pending migrations fail."""

from __future__ import annotations

from dataclasses import dataclass

from console.infra.server import ServerInfo
from console.migrator.features import community_features
from console.migrator.files import MigrationFile


@dataclass(frozen=True)
class Verdict:
    """How one migration's objects are judged: required, skipped (why) or pending (the remedy)."""

    required: bool
    skip_reason: str = ""
    pending_remedy: str = ""


@dataclass(frozen=True)
class Scope:
    """Verdicts per migration version for this database."""

    verdicts: dict[int, Verdict]

    def of(self, version: int) -> Verdict:
        return self.verdicts.get(version, Verdict(required=True))


def build(local: list[MigrationFile], applied: set[int] | None, info: ServerInfo) -> Scope:
    """`applied` is the ledger's versions, or None where there is no ledger (then everything is required)."""
    verdicts: dict[int, Verdict] = {}
    blocked_by: tuple[MigrationFile, list[str]] | None = None
    for migration in local:
        if applied is None or migration.version in applied:
            verdicts[migration.version] = Verdict(required=True)
            continue
        features = community_features(migration.sql)
        if blocked_by is None and features and not info.community:
            blocked_by = (migration, features)
        if blocked_by is not None:
            first, first_needs = blocked_by
            if features:
                reason = f"{info.edition} edition: {', '.join(features)} unavailable (needs TimescaleDB Community)"
            else:
                reason = (f"{info.edition} edition: {migration.label} waits behind {first.label}, which needs "
                          f"TimescaleDB Community ({', '.join(first_needs)})")
            verdicts[migration.version] = Verdict(required=False, skip_reason=reason)
        else:
            remedy = f"migration {migration.label} is pending: run `obsconsole migrate`"
            verdicts[migration.version] = Verdict(required=False, pending_remedy=remedy)
    return Scope(verdicts)
