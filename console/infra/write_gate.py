"""The one gate every write passes, and its dry run with it: `migrate`, `seed`, `bench`, `keys create|revoke`,
`prices sync`, the operator actions and the console's Migrations apply. In order it refuses: read-only mode
(`--read-only`, `OBSCONSOLE_READ_ONLY`, the console opened read-only), a hot standby, a connection pooler (no
write may leave session state or lose its server session half-way), a read-only default, then every privilege
the write needs that the role lacks (has_*_privilege, asked before anything is written). A dry run asks the same
questions, so a dry run that passes means the real run would pass. Each refusal is one ConsoleError line (exit
2): nothing was done."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from console.infra import guard
from console.infra.db import Conn
from console.infra.errors import ConsoleError
from console.infra.queries import query

READ_ONLY_ENV = "OBSCONSOLE_READ_ONLY"  # the CLI's --read-only sets it too, so every layer sees one switch
READ_ONLY_REASON = "read-only mode (--read-only or OBSCONSOLE_READ_ONLY=1)"
_TRUE = {"1", "true", "t", "yes", "y", "on"}  # as click reads a flag from the environment


@dataclass(frozen=True)
class Need:
    """A privilege a write needs: on a table (its name), a schema or a database ("" = the current one); or, with
    kind "owner" (privilege "OWNER"), owning the relation `name` (or being a member of its owning role)."""

    privilege: str
    kind: str
    name: str = ""


def read_only_mode() -> bool:
    """Whether this process was asked to write nothing (OBSCONSOLE_READ_ONLY, which `--read-only` sets)."""
    return os.environ.get(READ_ONLY_ENV, "").strip().lower() in _TRUE


def refuse_read_only(action: str, *, dry_run: bool = False, read_only: bool = False, nothing: str = "changed"
                     ) -> None:
    """ConsoleError (exit 2) in read-only mode, before any connection is made."""
    if read_only or read_only_mode():
        raise ConsoleError(f"{_name(action, dry_run)} refused: {READ_ONLY_REASON}; nothing was {nothing}")


def require(conn: Conn, action: str, needs: Sequence[Need] = (), *, dry_run: bool = False, read_only: bool = False,
            nothing: str = "changed") -> None:
    """ConsoleError (exit 2) naming the first reason `action` (or its dry run) may not write on `conn`."""
    refuse_read_only(action, dry_run=dry_run, read_only=read_only, nothing=nothing)
    why = guard.inspect(conn).refusal()
    if why:
        raise ConsoleError(f"{_name(action, dry_run)} refused, nothing was {nothing}: {why}")
    missing = missing_privileges(conn, needs)
    if missing:
        raise ConsoleError(f"{_name(action, dry_run)} refused, nothing was {nothing}: {missing}")


def missing_privileges(conn: Conn, needs: Sequence[Need]) -> str | None:
    """'role 'x' lacks the INSERT privilege on table users …: GRANT …' for the needs the role lacks, or None.
    A table that does not exist is left to the command's own check (it says which migration makes it)."""
    if not needs:
        return None
    rows = conn.execute(query("guard/privileges"), {"kinds": [n.kind for n in needs], "names": [n.name for n in needs],
                                                    "privileges": [n.privilege for n in needs]}).fetchall()
    lacking: dict[tuple[str, str], list[str]] = {}
    owners: list[tuple[str, str]] = []
    for kind, name, privilege, held, owner in rows:
        if held is False and kind == "owner":
            owners.append((str(name), str(owner)))
        elif held is False:
            lacking.setdefault((str(kind), str(name)), []).append(str(privilege))
    role = conn.info.user
    if owners:
        name, owner = owners[0]
        return (f"role {role!r} does not own {name} (its owner is {owner!r}) and this needs its owner: run as "
                f"{owner!r} or a member of it (GRANT {owner} TO {role})")
    if not lacking:
        return None
    what = ", and ".join(f"the {_and(privileges)} privilege on {kind} {name}"
                         for (kind, name), privileges in lacking.items())
    grants = "; ".join(f"GRANT {', '.join(privileges)} ON {kind.upper()} {name} TO {role}"
                       for (kind, name), privileges in lacking.items())
    return f"role {role!r} lacks {what}: grant it ({grants}) or run as a role that has it"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _name(action: str, dry_run: bool) -> str:
    return f"{action} --dry-run" if dry_run else action
