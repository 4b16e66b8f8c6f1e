"""Finding the DSN to use, and showing it without its password."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

import psycopg
from psycopg.conninfo import conninfo_to_dict

MASK = "***"

# A password in a URL (scheme://user:PASSWORD@host) or in key/value form (password=VALUE, quoted or not).
# The URL password runs to the LAST "@" of the authority, so an unencoded "@" inside it is masked too.
_URL_PASSWORD = re.compile(
    r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]{0,30}://[^:/@\s]*:)(?P<pw>\S*?)(?P<tail>@)(?=[^@/\s]*(?:[/?#\s]|$))"
)
_KV_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'?|[^\s]*)", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)(?P<pw>[^&\s]*)", re.IGNORECASE)


@dataclass(frozen=True)
class ResolvedDsn:
    """A DSN and where it came from (shown to the user, never with the password)."""

    dsn: str
    source: str

    @property
    def masked(self) -> str:
        return mask(self.dsn) if self.dsn else "(libpq defaults: PG* environment / service file)"

    @property
    def endpoint(self) -> str:
        """'host:port/database' as the DSN names them (libpq's defaults where it does not), no password."""
        try:
            parts = conninfo_to_dict(self.dsn)
        except psycopg.Error:
            return "(unparsable DSN)"
        host = str(parts.get("host") or os.environ.get("PGHOST") or "localhost")
        port = str(parts.get("port") or os.environ.get("PGPORT") or "5432")
        database = str(parts.get("dbname") or os.environ.get("PGDATABASE") or parts.get("user") or "")
        return f"{host}:{port}/{database}"


_global_flag: list[str] = []


def set_global_flag(value: str | None) -> None:
    """The `--dsn` given before the subcommand (`obsconsole --dsn X status`): used where the subcommand has none."""
    _global_flag[:] = [value] if value else []


def resolve(flag: str | None) -> ResolvedDsn:
    """The DSN by precedence: the subcommand's --dsn, the global --dsn, OBSCONSOLE_DSN, DATABASE_URL, then libpq's
    own environment."""
    if flag:
        return ResolvedDsn(flag, "--dsn")
    if _global_flag:
        return ResolvedDsn(_global_flag[0], "--dsn")
    for name in ("OBSCONSOLE_DSN", "DATABASE_URL"):
        value = os.environ.get(name)
        if value:
            return ResolvedDsn(value, name)
    return ResolvedDsn("", "libpq environment (PG*/PGSERVICE)")


def passwords_in(dsn: str) -> list[str]:
    """Every spelling of the password in `dsn` (as libpq reads it, raw, percent-decoded, unquoted), longest
    first, so any output can be scrubbed even when the DSN is malformed."""
    found: list[str] = []
    try:
        parsed = conninfo_to_dict(dsn).get("password")
    except (psycopg.Error, ValueError):
        parsed = None
    if parsed:
        found += [str(parsed), quote(str(parsed), safe="")]
    for pattern in (_URL_PASSWORD, _KV_PASSWORD, _QUERY_PASSWORD):
        for match in pattern.finditer(dsn):
            raw = match.group("pw")
            found += [raw, unquote(raw), _unquote_kv(raw)]
            # A driver that split a malformed URL at an inner "@" or ":" may quote any piece of it.
            found += [piece for piece in re.split(r"[@:]", raw) if len(piece) >= 4]
    env_password = os.environ.get("PGPASSWORD")
    if env_password:
        found.append(env_password)
    return sorted({f for f in found if f}, key=len, reverse=True)


def _unquote_kv(raw: str) -> str:
    """A key/value value as libpq reads it: outer single quotes dropped, backslash escapes resolved."""
    if len(raw) >= 2 and raw[0] == "'" and raw[-1] == "'":
        raw = raw[1:-1]
    return re.sub(r"\\(.)", r"\1", raw)


def mask(dsn: str) -> str:
    """`dsn` with its password replaced by ***, whatever its form (URL, key/value, query parameter)."""
    masked = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK + m.group("tail"), dsn)
    masked = _KV_PASSWORD.sub(lambda m: m.group("head") + MASK, masked)
    return _QUERY_PASSWORD.sub(lambda m: m.group("head") + MASK, masked)


def scrub(text: str, dsn: str) -> str:
    """`text` (e.g. a driver error) with every spelling of the DSN's password replaced by ***."""
    for secret in passwords_in(dsn):
        text = text.replace(secret, MASK)
    return text
