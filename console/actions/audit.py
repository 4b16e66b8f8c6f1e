"""The local audit log: one JSON line per action attempted (its intent before it runs, then its outcome: done,
failed, interrupted, refused, cancelled or a dry run), under the XDG state directory. It fails closed: an entry
that cannot be written (a full disk, an unusable file) stops the action before it runs. Never a password: the
server is the masked DSN, every text field is scrubbed of the DSN's password."""

from __future__ import annotations

import getpass
import json
import os
import stat
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from console.infra.dsn import ResolvedDsn, scrub
from console.infra.errors import ConsoleError
from console.infra.resources import ensure_state_dir, state_dir

INTENT = "intent: about to run"


class AuditUnwritable(ConsoleError):
    """The audit log cannot take an entry (exit 2): the action it was for does not run."""


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


@dataclass(frozen=True)
class Damaged:
    """A line of the log that is not an entry: its number (1-based) and what is wrong with it."""

    line: int
    problem: str


@dataclass(frozen=True)
class Log:
    """What `obsconsole audit` read: the entries (the last `limit`) and every damaged line."""

    entries: list[Entry]
    damaged: list[Damaged]


def path() -> Path:
    """`$XDG_STATE_HOME/obsconsole/audit.jsonl` (default `~/.local/state/obsconsole/audit.jsonl`)."""
    return state_dir() / "audit.jsonl"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def check_writable() -> None:
    """Refuse (exit 2) before an action is planned when the log cannot be opened for appending."""
    os.close(_open())


def _open() -> int:
    """The log opened for appending, created 0600 in a 0700 state folder (whatever the umask). Refused: a log that
    is not a regular file (a directory, a device, a symbolic link), is not ours, or is group- or world-writable
    (anyone could forge or erase entries)."""
    target = path()
    try:
        ensure_state_dir()
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise AuditUnwritable(f"cannot write the audit log {target}: {_why(exc)}; nothing was done") from None
    info = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = "it is not a regular file"
    elif info.st_uid != os.geteuid():
        problem = f"it belongs to uid {info.st_uid}, not to this user"
    elif info.st_mode & 0o022:
        problem = (f"it is group- or world-writable (mode {stat.S_IMODE(info.st_mode):04o}), so anyone could forge "
                   f"or erase entries: chmod 600 {target}")
    if problem:
        os.close(fd)
        raise AuditUnwritable(f"refusing the audit log {target}: {problem}; nothing was done")
    return fd


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def record(server: ResolvedDsn, action: str, outcome: str, *, sql: str = "", touches: tuple[str, ...] = (),
           duration_ms: float | None = None, server_id: str | None = None) -> Entry:
    """Append one line and make it durable (fsync) before returning it; AuditUnwritable (exit 2) when it cannot
    be written whole. Every text field is scrubbed of the DSN's password."""
    def clean(text: str) -> str:
        return scrub(text, server.dsn)

    entry = Entry(datetime.now(UTC).isoformat(timespec="milliseconds"), _user(), server.masked, clean(action),
                  clean(sql), clean(outcome), None if duration_ms is None else round(duration_ms, 1),
                  [clean(t) for t in touches], server_id)
    line = (json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode("utf-8")
    fd = _open()
    try:
        written = os.write(fd, line)
        if written != len(line):
            raise OSError(0, f"only {written} of {len(line)} bytes written")
        os.fsync(fd)
    except OSError as exc:
        raise AuditUnwritable(f"cannot write the audit log {path()}: {_why(exc)}") from None
    finally:
        os.close(fd)
    return entry


_TEXT_FIELDS = ("time", "user", "server", "action", "sql", "outcome")
_FIELDS = {f.name for f in fields(Entry)}
_OPTIONAL = {"server_id"}  # absent in lines written before it was recorded


def read(limit: int | None = None) -> Log:
    """The log line by line, oldest first (the last `limit` entries), naming every line that is not an entry.
    ConsoleError (exit 2) when the log itself cannot be read (a directory in its place, no permission)."""
    target = path()
    if not target.exists() and not target.is_symlink():
        return Log([], [])
    if target.is_dir():
        raise ConsoleError(f"the audit log {target} is a directory, not a file: move it away (a new log is started "
                           "on the next action)")
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise ConsoleError(f"cannot read the audit log {target}: {_why(exc)}") from None
    entries: list[Entry] = []
    damaged: list[Damaged] = []
    for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        parsed = _entry(line)
        if isinstance(parsed, Entry):
            entries.append(parsed)
        else:
            damaged.append(Damaged(number, parsed))
    return Log(entries[-limit:] if limit else entries, damaged)


_last_read: tuple[tuple[str, int, int, int], Log] | None = None  # read_unchanged's: the file's identity, its Log


def read_unchanged() -> Log:
    """read() for a reader that asks on every refresh (the Jobs pane, the recorder): the whole log, parsed again
    only when the file changed (another path, inode, size or modification time) since the last call."""
    global _last_read
    target = path()
    try:
        facts = target.stat()
    except OSError:
        return read()  # absent (an empty log) or unreadable (read names why)
    key = (str(target), facts.st_ino, facts.st_size, facts.st_mtime_ns)
    if _last_read is None or _last_read[0] != key:
        _last_read = (key, read())
    return _last_read[1]


def _entry(line: str) -> Entry | str:
    """The line as an Entry, or what is wrong with it."""
    try:
        data = json.loads(line)
    except ValueError:
        return "not JSON"
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not an object"
    missing = sorted(_FIELDS - _OPTIONAL - data.keys())
    if missing:
        return f"missing {', '.join(missing)}"
    extra = sorted(data.keys() - _FIELDS)
    if extra:
        return f"unknown field {', '.join(extra)}"
    wrong = [name for name in _TEXT_FIELDS if not isinstance(data[name], str)]
    duration = data["duration_ms"]
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int | float)):
        wrong.append("duration_ms")
    touches = data["touches"]
    if not isinstance(touches, list) or not all(isinstance(t, str) for t in touches):
        wrong.append("touches")
    if data.get("server_id") is not None and not isinstance(data["server_id"], str):
        wrong.append("server_id")
    if wrong:
        return "wrong type for " + ", ".join(f"{name} ({type(data[name]).__name__})" for name in wrong)
    return Entry(**data)
