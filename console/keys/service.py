"""API keys: created once and shown once; only the SHA-256 digest and a short prefix are stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import class_row

from console.infra.db import Conn
from console.infra.errors import ConsoleError, privilege_problem
from console.infra.fmt import has_control, printable
from console.infra.queries import query
from console.infra.write_gate import Need

KEY_PREFIX = "obs_"
MAX_RATE_LIMIT = 1_000_000
MAX_EXPIRES_IN_DAYS = 3650
MAX_TEXT = 320  # --email and --name, in characters (an email address is at most 254)
MAX_KEY_BYTES = 1024  # a key given to `keys check` (ours are 60 characters)
_SCOPE = re.compile(r"^[a-z][a-z0-9_:.-]{0,31}$")


@dataclass(frozen=True)
class CreatedKey:
    """The new key (the only time it exists in clear) and its row."""

    key: str
    id: int
    key_prefix: str
    user_created: bool
    expires_at: datetime | None


@dataclass(frozen=True)
class KeyRow:
    """A key as `keys list` shows it: never the key, never its hash."""

    id: int
    key_prefix: str
    name: str
    email: str
    scopes: list[str]
    rate_limit_per_minute: int
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    state: str


# What `keys create` and `keys revoke` write (console.infra.write_gate asks for them before anything is written).
CREATE_NEEDS = [Need("INSERT", "table", "users"), Need("UPDATE", "table", "users"), Need("SELECT", "table", "users"),
                Need("INSERT", "table", "api_keys")]
REVOKE_NEEDS = [Need("UPDATE", "table", "api_keys"), Need("SELECT", "table", "api_keys")]


def digest(key: str) -> bytes:
    """The stored form of a key: SHA-256 of its UTF-8 bytes (32 bytes)."""
    return hashlib.sha256(key.encode("utf-8")).digest()


def parse_scopes(text: str) -> list[str]:
    """'ingest,read' -> ['ingest', 'read']; ConsoleError for anything that is not a plain scope name."""
    scopes = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in scopes if not _SCOPE.match(s)]
    if bad:
        raise ConsoleError(f"--scopes: {bad[0]!r} is not a scope name (lower-case letters, digits, _ : . -)")
    return scopes


def check_create_args(*, email: str, name: str, rate_limit: int, expires_in_days: int | None) -> None:
    """ConsoleError (exit 2) naming the flag for a value the database would refuse or that makes no sense."""
    for flag, value in (("--email", email), ("--name", name)):
        if len(value) > MAX_TEXT:
            raise ConsoleError(f"{flag}: {len(value):,} characters, more than {MAX_TEXT}; nothing was created")
        if has_control(value):
            raise ConsoleError(f"{flag} '{printable(value)}': holds control characters (shown escaped), which "
                               "would reach every terminal that lists the key; nothing was created")
    if email.find("@") < 1:  # the same rule as the users table's CHECK
        raise ConsoleError(f"--email {email!r}: not an email address (it needs a name before an @)")
    if not 1 <= rate_limit <= MAX_RATE_LIMIT:
        raise ConsoleError(f"--rate-limit {rate_limit}: must be between 1 and {MAX_RATE_LIMIT} requests/minute")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRES_IN_DAYS:
        raise ConsoleError(f"--expires-in-days {expires_in_days}: must be between 1 and {MAX_EXPIRES_IN_DAYS}")


@contextmanager
def _needs_key_tables(conn: Conn, statement: str) -> Iterator[None]:
    """A database without the users/api_keys tables (migration 006 not applied), or a role without the
    privilege `statement` needs: one line, not a traceback."""
    try:
        yield
    except psycopg.errors.UndefinedTable as exc:
        missing = (exc.diag.message_primary or "a table is missing").strip()
        raise ConsoleError(f"{missing}: apply the migrations first (`obsconsole migrate`, 006 creates the "
                           "API-key tables)") from None
    except psycopg.errors.InsufficientPrivilege as exc:
        problem = privilege_problem(exc.diag.message_primary or str(exc), statement, conn.info.user)
        raise ConsoleError(f"{problem}; nothing was changed") from None


def create(conn: Conn, *, email: str, name: str, scopes: list[str], rate_limit: int,
           expires_in_days: int | None) -> CreatedKey:
    """Create a key for `email` (the user is created if new) in one transaction."""
    key = f"{KEY_PREFIX}{secrets.token_hex(4)}_{secrets.token_urlsafe(32)}"
    prefix = key[: len(KEY_PREFIX) + 8]
    with _needs_key_tables(conn, "INSERT"), conn.transaction():
        user = conn.execute(query("keys/user_upsert"), {"email": email}).fetchone()
        assert user is not None
        row = conn.execute(query("keys/insert"), {
            "key_hash": digest(key), "key_prefix": prefix, "name": name, "user_id": user[0], "scopes": scopes,
            "rate_limit": rate_limit, "expires_in": f"{expires_in_days} days" if expires_in_days else None,
        }).fetchone()
    assert row is not None
    return CreatedKey(key, int(str(row[0])), prefix, bool(user[1]), row[2] if isinstance(row[2], datetime) else None)


def list_keys(conn: Conn, email: str | None = None) -> list[KeyRow]:
    with _needs_key_tables(conn, "SELECT"), conn.cursor(row_factory=class_row(KeyRow)) as cur:
        return cur.execute(query("keys/list"), {"email": email}).fetchall()


def revoke(conn: Conn, ref: str) -> list[tuple[int, str, str]]:
    """Revoke the active key whose id or prefix is `ref`; returns (id, prefix, name) of what was revoked."""
    with _needs_key_tables(conn, "UPDATE"), conn.transaction():
        rows = conn.execute(query("keys/revoke"), {"ref": ref}).fetchall()
        if len(rows) > 1:
            raise ConsoleError(f"{printable(ref)!r} matches {len(rows)} keys: revoke by id instead "
                               "(nothing was revoked)")
    return [(int(str(r[0])), str(r[1]), str(r[2])) for r in rows]


def read_key(raw: bytes) -> str:
    """The key in `raw` (one line read from stdin, at most MAX_KEY_BYTES + 1 bytes); ConsoleError (exit 2) for
    bytes that cannot be a key: not UTF-8 text, too long."""
    if len(raw) > MAX_KEY_BYTES:
        raise ConsoleError(f"the key on stdin is longer than {MAX_KEY_BYTES} bytes: not a key (ours are "
                           f"{len(KEY_PREFIX) + 52} characters); nothing was checked")
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise ConsoleError(f"the key on stdin is not UTF-8 text (byte {exc.start}): not a key; nothing was "
                           "checked") from None


def check(conn: Conn, key: str) -> str:
    """'active', 'revoked', 'expired' or 'unknown' for a key given in clear."""
    with _needs_key_tables(conn, "SELECT"):
        row = conn.execute(query("keys/check"), {"key_hash": digest(key)}).fetchone()
    return str(row[2]) if row else "unknown"
