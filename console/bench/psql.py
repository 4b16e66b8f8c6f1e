"""Finding Debian's psql client and running it against a target, the password passed through the environment."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg

from console.infra.dsn import ResolvedDsn


def find_psql() -> str | None:
    """psql on PATH, under $OBSCONSOLE_PG_BIN, or the newest /usr/lib/postgresql/*/bin/psql; None if absent."""
    found = shutil.which("psql")
    if found:
        return found
    candidates = [Path(os.environ.get("OBSCONSOLE_PG_BIN", "/usr/lib/postgresql/15/bin")) / "psql",
                  *sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"), reverse=True)]
    return next((str(c) for c in candidates if c.exists()), None)


def psql_command(psql: str, target: ResolvedDsn, *args: str) -> tuple[list[str], dict[str, str]]:
    """psql's argv and environment; the password goes through PGPASSWORD, never the command line."""
    env = {**os.environ, "PGAPPNAME": "obsconsole-bench"}
    argv = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    if target.dsn:
        parts = psycopg.conninfo.conninfo_to_dict(target.dsn)
        password = parts.pop("password", None)
        if password is not None:
            env["PGPASSWORD"] = str(password)
        argv += ["-d", psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in parts.items() if v is not None})]
    return [*argv, *args], env
