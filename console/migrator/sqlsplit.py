"""Splitting a migration file into statements, each with the line it starts on.

Understands what PostgreSQL's lexer does at statement boundaries: '...' and E'...' strings, "identifiers",
$tag$ dollar quotes, -- line comments and nested /* */ comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


@dataclass(frozen=True)
class Statement:
    """One SQL statement of a file and the 1-based line where its first token is (leading comments skipped)."""

    sql: str
    line: int

    @property
    def summary(self) -> str:
        """The statement's first line of code, shortened, for messages."""
        first = next((ln.strip() for ln in strip_comments(self.sql).splitlines() if ln.strip()), "")
        return first if len(first) <= 80 else first[:77] + "..."


def split_statements(text: str) -> list[Statement]:
    """The statements of `text` in order; empty ones (only comments or whitespace) are dropped."""
    statements: list[Statement] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "-" and text.startswith("--", i):
            newline = text.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif ch == "/" and text.startswith("/*", i):
            i = _skip_block_comment(text, i)
        elif ch == "'":
            escaped = i > 0 and text[i - 1] in "eE" and (i < 2 or not (text[i - 2].isalnum() or text[i - 2] == "_"))
            i = _skip_quoted(text, i, "'", backslash=escaped)
        elif ch == '"':
            i = _skip_quoted(text, i, '"', backslash=False)
        elif ch == "$" and (match := _DOLLAR_TAG.match(text, i)) and not _inside_identifier(text, i):
            end = text.find(match.group(0), match.end())
            i = n if end < 0 else end + len(match.group(0))
        elif ch == ";":
            _append(statements, text, start, i + 1)
            start = i + 1
            i += 1
        else:
            i += 1
    _append(statements, text, start, n)
    return statements


def strip_comments(sql: str) -> str:
    """`sql` without -- and /* */ comments (strings and dollar quotes kept intact)."""
    out: list[str] = []
    i = 0
    n = len(sql)
    while i < n:
        if sql.startswith("--", i):
            newline = sql.find("\n", i)
            i = n if newline < 0 else newline
        elif sql.startswith("/*", i):
            i = _skip_block_comment(sql, i)
        elif sql[i] in "'\"":
            end = _skip_quoted(sql, i, sql[i], backslash=False)
            out.append(sql[i:end])
            i = end
        else:
            out.append(sql[i])
            i += 1
    return "".join(out)


def _append(statements: list[Statement], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    if not strip_comments(chunk).strip().strip(";").strip():
        return
    line = text.count("\n", 0, start + _code_start(chunk)) + 1
    statements.append(Statement(chunk.strip(), line))


def _code_start(chunk: str) -> int:
    """Where the first token of `chunk` is, past leading whitespace and comments."""
    i = 0
    while i < len(chunk):
        if chunk[i].isspace():
            i += 1
        elif chunk.startswith("--", i):
            newline = chunk.find("\n", i)
            i = len(chunk) if newline < 0 else newline
        elif chunk.startswith("/*", i):
            i = _skip_block_comment(chunk, i)
        else:
            break
    return i


def _skip_block_comment(text: str, i: int) -> int:
    depth = 0
    n = len(text)
    while i < n:
        if text.startswith("/*", i):
            depth += 1
            i += 2
        elif text.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return n


def _skip_quoted(text: str, i: int, quote: str, *, backslash: bool) -> int:
    i += 1
    n = len(text)
    while i < n:
        ch = text[i]
        if backslash and ch == "\\":
            i += 2
        elif ch == quote:
            if i + 1 < n and text[i + 1] == quote:
                i += 2
            else:
                return i + 1
        else:
            i += 1
    return n


def _inside_identifier(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")
