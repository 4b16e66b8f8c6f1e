"""Lines folded to the console's width (`COLUMNS`, 80 when piped) between words, never inside one: a word longer
than the line runs on whole, so names stay grep-able. The following lines hang under the first, indented more."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console

HANG = "    "  # what a folded line's continuation is indented by, beyond the line's own indent
_WORD = re.compile(r"\s*\S+")  # a word with the spaces before it
# A SQL token with the spaces before it: a run up to an opening parenthesis, or a run of quoted literals and
# identifiers (kept whole) and plain characters; a line may break before either.
_SQL_WORD = re.compile(r"""\s*(?:[^\s'"(]*\(|(?:'(?:[^']|'')*'|"(?:[^"]|"")*"|[^\s'"(])+|\S)""")


def width() -> int:
    """The console's width: the terminal's, else COLUMNS, else 80 (rich's rule)."""
    return Console().width


def fold_fields(fields: Sequence[str], limit: int, *, sep: str = "  ", indent: str = "") -> list[str]:
    """`fields` joined by `sep` on lines of at most `limit` characters, broken between fields; a field too long
    for a line of its own is folded between its words. Continuation lines hang under `indent` + HANG."""
    lines: list[str] = []
    current = indent
    for field in fields:
        if current.strip() and len(current) + len(sep) + len(field) <= limit:
            current += sep + field
            continue
        if current.strip():
            lines.append(current)
            current = indent + HANG
        if len(current) + len(field) <= limit:
            current += field
        else:
            *whole, current = fold(current + field, limit, hang=indent + HANG)
            lines += whole
    lines.append(current)
    return lines


def fold(line: str, limit: int, *, hang: str | None = None) -> list[str]:
    """`line` (its leading spaces kept) folded between words; continuation lines start with `hang` (default:
    its own indent + HANG)."""
    return _fold(line, limit, hang, _WORD)


def fold_sql(statement: str, limit: int, *, indent: str = "") -> list[str]:
    """A SQL statement folded between its tokens (also after an opening parenthesis), never inside a quoted
    literal or identifier, so that the folded text is the same statement."""
    return _fold(indent + statement, limit, None, _SQL_WORD)


def _fold(line: str, limit: int, hang: str | None, word: re.Pattern[str]) -> list[str]:
    body = line.lstrip(" ")
    lead = line[: len(line) - len(body)]
    words = word.findall(body)
    if len(line) <= limit or not words:
        return [line]
    after = lead + HANG if hang is None else hang
    lines: list[str] = []
    current = lead + words[0]
    for token in words[1:]:
        if len(current) + len(token) <= limit:
            current += token
        else:
            lines.append(current)
            current = after + token.lstrip()
    lines.append(current)
    return lines
