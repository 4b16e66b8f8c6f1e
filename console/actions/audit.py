"""The local audit log: one JSON line per action attempted (done, failed, refused, cancelled or a dry run), under
the XDG state directory. Never a password: the server is the masked DSN, the SQL holds no secrets."""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from console.infra.dsn import ResolvedDsn, scrub
from console.infra.errors import ConsoleError


@dataclass(frozen=True)
class Entry:
    """One line of the audit log."""

    time: str
    user: str
    server: str
    action: str
    sql: str
    outcome: str
    duration_ms: float | None
    touches: list[str]
    server_id: str | None = None  # the database acted on (ServerInfo.server_id); absent in older lines


def path() -> Path:
    """`$XDG_STATE_HOME/obsconsole/audit.jsonl` (default `~/.local/state/obsconsole/audit.jsonl`)."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "obsconsole" / "audit.jsonl"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def check_writable() -> None:
    """Refuse (exit 2) before an action runs when its audit line could not be written."""
    target = path()
    try:
        os.close(_open())
    except OSError as exc:
        raise ConsoleError(f"cannot write the audit log {target}: {exc.strerror or exc}") from None


def _open() -> int:
    """The log opened for appending; created 0600 (directory included) when missing."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    return os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)


def record(server: ResolvedDsn, action: str, outcome: str, *, sql: str = "", touches: tuple[str, ...] = (),
           duration_ms: float | None = None, server_id: str | None = None) -> Entry:
    """Append one line (file created 0600) and return it; every text field is scrubbed of the DSN's password."""
    def clean(text: str) -> str:
        return scrub(text, server.dsn)

    entry = Entry(datetime.now(UTC).isoformat(timespec="milliseconds"), _user(), server.masked, clean(action),
                  clean(sql), clean(outcome), None if duration_ms is None else round(duration_ms, 1),
                  [clean(t) for t in touches], server_id)
    with os.fdopen(_open(), "a", encoding="utf-8") as out:
        out.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
    return entry


def read(limit: int | None = None) -> list[Entry]:
    """The log's entries, oldest first (the last `limit` ones); lines that are not entries are skipped."""
    target = path()
    if not target.exists():
        return []
    entries = []
    for line in target.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entries.append(Entry(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return entries[-limit:] if limit else entries
