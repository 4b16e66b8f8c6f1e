"""Files the user controls. Reading (the keymap, a migrations folder's files and expected.toml, an engine's state
file) is bounded: only a regular file is read (a FIFO would hang, a device never end), at most a given size, and
TOML at most a given depth (deeply nested tables would exhaust the parser's recursion); a missing file raises
FileNotFoundError for the caller to decide. Writing (--junit, --json-file, exports) is checked before the work
that produces it, and a file is written whole or not at all. Every refusal is a ConsoleError naming the file."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from console.infra.errors import EXIT_FAILED, ConsoleError
from console.infra.fmt import printable

CONFIG_BYTES = 1 << 20  # a settings file: 1 MiB is far more than any real one
SQL_FILE_BYTES = 64 << 20  # a migration file larger than 64 MiB is not a schema change
TOML_DEPTH = 16

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_bytes(path: Path, what: str, max_bytes: int) -> bytes:
    """The bytes of regular file `path` (`what` names it in messages: "keymap"), at most `max_bytes`."""
    shown = printable(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # O_NONBLOCK: opening a FIFO never waits
    except FileNotFoundError:
        raise
    except PermissionError:
        raise ConsoleError(f"cannot read {what} {shown}: permission denied (run as a user who may read it, or fix "
                           "the file's mode)") from None
    except OSError as exc:
        raise ConsoleError(f"cannot read {what} {shown}: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise ConsoleError(f"{what} {shown} is {kind}, not a regular file: not read")
    with os.fdopen(fd, "rb") as file:
        try:
            data = file.read(max_bytes + 1)
        except OSError as exc:
            raise ConsoleError(f"cannot read {what} {shown}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise ConsoleError(f"{what} {shown} is larger than {max_bytes:,} bytes: not read")
    return data


def read_text(path: Path, what: str, max_bytes: int = CONFIG_BYTES) -> str:
    """`read_bytes` decoded as UTF-8 (ConsoleError naming the first bad byte's offset otherwise)."""
    data = read_bytes(path, what, max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConsoleError(f"{what} {printable(str(path))} is not UTF-8 text (byte {exc.start})") from None


def load_toml(path: Path, what: str, max_bytes: int = CONFIG_BYTES, max_depth: int = TOML_DEPTH) -> dict[str, Any]:
    """The TOML document in `path`, refused when it is not a regular file, too large, malformed or nested deeper
    than `max_depth` tables and arrays."""
    text = read_text(path, what, max_bytes)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConsoleError(f"{what} {printable(str(path))}: {printable(str(exc).splitlines()[0])}") from None
    except RecursionError:
        data = None
    if data is None or _depth(data) > max_depth:
        raise ConsoleError(f"{what} {printable(str(path))} nests tables or arrays deeper than {max_depth} levels: "
                           "not read")
    return data


def _depth(value: object) -> int:
    """How deeply `value` nests dicts and lists (walked without recursion)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack += [(v, level + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, level + 1) for v in item]
    return deepest


def check_writable(path: Path, what: str) -> None:
    """ConsoleError (exit 2), before any work, unless `path` can be written: its folder exists and may be written
    in, and `path` is new or a regular file that may be replaced (never a folder, a FIFO or a device)."""
    shown = printable(str(path))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ConsoleError(f"cannot write {what} {shown}: {exc.strerror or exc}") from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise ConsoleError(f"cannot write {what} {shown}: it is {kind}; name a file")
    folder = path.parent
    if not folder.is_dir():
        raise ConsoleError(f"cannot write {what} {shown}: the folder {printable(str(folder))} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (mode is not None and not os.access(path, os.W_OK)):
        raise ConsoleError(f"cannot write {what} {shown}: permission denied")


def write_bytes(path: Path, data: bytes, what: str) -> None:
    """Write `data` to `path` whole or not at all (a temporary file beside it, then renamed over it);
    ConsoleError (exit 1: the work before it was done) naming the file otherwise."""
    check_writable(path, what)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with open(partial, "xb") as out:
            out.write(data)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ConsoleError(f"cannot write {what} {printable(str(path))}: {exc.strerror or exc}",
                           exit_code=EXIT_FAILED) from None
