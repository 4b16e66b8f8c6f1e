"""The one gate every write passes, and its dry run with it: `migrate`, `seed`, `bench`, `keys create|revoke`,
`prices sync`, the operator actions and the console's Migrations apply. In order it refuses: read-only mode
(`--read-only`, `OBSCONSOLE_READ_ONLY`, the console opened read-only), a hot standby, a connection pooler (no
write may leave session state or lose its server session half-way), a read-only default, then what the write
needs that the server or the role lacks: the TimescaleDB Community edition (COMMUNITY: compression, continuous
aggregates, policies, jobs), each privilege (has_*_privilege), owning a relation, being allowed to alter a job
(its owner, a member of the owning role or a superuser), all asked before anything is written. A dry run asks
the same questions, so a dry run that passes means the real run would pass. A refusal is one ConsoleError line
(exit 2) giving every reason that applies, not just the first: nothing was done."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from console.infra import guard
from console.infra.db import Conn
from console.infra.errors import ConsoleError
from console.infra.queries import query
from console.infra.server import server_info

READ_ONLY_ENV = "OBSCONSOLE_READ_ONLY"  # the CLI's --read-only sets it too, so every layer sees one switch
READ_ONLY_REASON = "read-only mode (--read-only or OBSCONSOLE_READ_ONLY=1)"
_TRUE = {"1", "true", "t", "yes", "y", "on"}  # as click reads a flag from the environment


@dataclass(frozen=True)
class Need:
    """What a write needs: a privilege on a table (its name), a schema or a database ("" = the current one); with
    kind "owner" (privilege "OWNER"), owning the relation `name` (or being a member of its owning role); with kind
    "job" (privilege "ALTER"), being allowed to alter or run job `name`; with kind "edition", the TimescaleDB
    Community edition (COMMUNITY)."""

    privilege: str
    kind: str
    name: str = ""


COMMUNITY = Need("COMMUNITY", "edition")  # compression, continuous aggregates, policies and jobs: not on Apache


def alter_job(job_id: int) -> Need:
    """The need of an action that alters or runs job `job_id`."""
    return Need("ALTER", "job", str(job_id))


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
    """ConsoleError (exit 2) naming every reason `action` (or its dry run) may not write on `conn`."""
    refuse_read_only(action, dry_run=dry_run, read_only=read_only, nothing=nothing)
    refuse(action, reasons(conn, needs), dry_run=dry_run, nothing=nothing)


def refuse(action: str, why: Sequence[str], *, dry_run: bool = False, nothing: str = "changed") -> None:
    """ConsoleError (exit 2) giving every reason in `why`, when there is one."""
    if why:
        raise ConsoleError(f"{_name(action, dry_run)} refused, nothing was {nothing}: {'; '.join(why)}")


def reasons(conn: Conn, needs: Sequence[Need] = ()) -> list[str]:
    """Every reason a write needing `needs` may not run on `conn` (empty: it may): a standby, a pooler or a
    read-only default, then each need the server or the role lacks."""
    why = guard.inspect(conn).refusal()
    return ([why] if why else []) + lacking(conn, needs)


def missing_privileges(conn: Conn, needs: Sequence[Need]) -> str | None:
    """Every need of `needs` the server or the role lacks, in one clause, or None."""
    found = lacking(conn, needs)
    return "; ".join(found) if found else None


def lacking(conn: Conn, needs: Sequence[Need]) -> list[str]:
    """One clause per kind of need the server or the role lacks: the edition, the privileges ('role 'x' lacks
    the INSERT privilege on table users …: GRANT …'), each relation it must own, each job it may not alter. A
    table or job that does not exist is left to the command's own check (it says what is missing)."""
    found = _edition(conn) if COMMUNITY in needs else []
    jobs = [int(n.name) for n in needs if n.kind == "job"]
    found += _jobs(conn, jobs) if jobs else []
    asked = [n for n in needs if n.kind not in ("edition", "job")]
    return found + (_privileges(conn, asked) if asked else [])


def _edition(conn: Conn) -> list[str]:
    info = server_info(conn)
    if info.community:
        return []
    where = ("TimescaleDB is not installed in this database" if info.timescaledb_installed is None
             else f"this server runs the {info.edition} edition")
    return [f"it needs TimescaleDB Community (compression, continuous aggregates, policies, jobs) and {where}"]


def _jobs(conn: Conn, jobs: list[int]) -> list[str]:
    rows = conn.execute(query("guard/job_owners"), {"jobs": jobs}).fetchall()
    return [f"role {role!r} may not alter job {job_id}: only its owner {owner!r}, a member of that role or a "
            f"superuser may (TimescaleDB); run as {owner!r} or GRANT {owner} TO {role}"
            for job_id, owner, held, role in rows if held is False]


def _privileges(conn: Conn, needs: Sequence[Need]) -> list[str]:
    rows = conn.execute(query("guard/privileges"), {"kinds": [n.kind for n in needs], "names": [n.name for n in needs],
                                                    "privileges": [n.privilege for n in needs]}).fetchall()
    lacking: dict[tuple[str, str], list[str]] = {}
    owners: dict[str, str] = {}
    for kind, name, privilege, held, owner in rows:
        if held is False and kind == "owner":
            owners[str(name)] = str(owner)
        elif held is False:
            lacking.setdefault((str(kind), str(name)), []).append(str(privilege))
    role = conn.info.user
    found = [f"role {role!r} does not own {name} (its owner is {owner!r}) and this needs its owner: run as "
             f"{owner!r} or a member of it (GRANT {owner} TO {role})" for name, owner in owners.items()]
    if lacking:
        what = ", and ".join(f"the {_and(privileges)} privilege on {kind} {name}"
                             for (kind, name), privileges in lacking.items())
        grants = "; ".join(f"GRANT {', '.join(privileges)} ON {kind.upper()} {name} TO {role}"
                           for (kind, name), privileges in lacking.items())
        found.append(f"role {role!r} lacks {what}: grant it ({grants}) or run as a role that has it")
    return found


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _name(action: str, dry_run: bool) -> str:
    return f"{action} --dry-run" if dry_run else action
