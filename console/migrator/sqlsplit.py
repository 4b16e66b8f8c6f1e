"""Splitting a migration file into statements, each with the line its first token is on.

Understands what PostgreSQL's lexer (and psql's) does at statement boundaries: '...' and E'...' strings,
"identifiers", $tag$ dollar quotes, -- line comments, nested /* */ comments, and SQL-standard function bodies
(`CREATE FUNCTION … BEGIN ATOMIC … END`), whose inner semicolons do not end the statement. Linear time: a
regular expression jumps from one token that matters to the next, and line numbers are counted as it goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Whole tokens the regular expression consumes itself: E'...' strings (backslash escapes), '...' strings,
# "identifiers" and -- comments. Nested /* */ comments, $tag$ quotes and unterminated quotes are left to Python.
_WHOLE = (r"[eE]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*")
_OPEN = r"/\*|'|\"|\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$"
# The tokens that matter outside a routine body, and, inside CREATE FUNCTION/PROCEDURE, the words too.
_PLAIN = re.compile(rf"{_WHOLE}|{_OPEN}|;")
_ROUTINE = re.compile(rf"{_WHOLE}|{_OPEN}|;|[A-Za-z_][A-Za-z0-9_$]*")
_COMMENTS = re.compile(rf"{_WHOLE}|{_OPEN}")
_BLOCK = re.compile(r"/\*|\*/")
_LEADING = re.compile(r"\s+|--[^\n]*|/\*")
_ROUTINE_HEAD = re.compile(r"create\s+(?:or\s+replace\s+)?(?:function|procedure)\b", re.IGNORECASE)
_OPENS = frozenset({"begin", "case"})
_NEEDS_SKIP = frozenset({"/*", "'", '"'})


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


class _Splitter:
    """One pass over the text; `steps` counts the tokens visited (the test checks it grows linearly)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.statements: list[Statement] = []
        self.steps = 0
        self._line = 1
        self._line_pos = 0

    def run(self) -> list[Statement]:
        text = self.text
        n = len(text)
        start = 0
        while start < n:
            first = _first_token(text, start)
            if first >= n:
                break
            routine = bool(_ROUTINE_HEAD.match(text, first))
            end = self._statement_end(first, routine)
            self._emit(start, first, end)
            start = end
        return self.statements

    def _statement_end(self, i: int, routine: bool) -> int:
        """Index just past the `;` ending the statement that starts at `i` (or the end of the text)."""
        text = self.text
        pattern = _ROUTINE if routine else _PLAIN
        depth = 0
        words = 0
        while (match := pattern.search(text, i)) is not None:
            self.steps += 1
            token = match.group(0)
            i = match.end()
            if token == ";":
                if depth == 0:
                    return i
            elif token in _NEEDS_SKIP or token[0] == "$":
                i = _skip(text, match.start(), token)
            elif token[0].isalpha() or token[0] == "_":
                if len(token) > 1 and token[1] == "'":
                    if _inside_identifier(text, match.start()):
                        i = match.start() + 1  # the e ends an identifier: the quote opens a plain string
                    continue  # an E'...' string
                words += 1
                word = token.lower()
                if word in _OPENS and words > 1:
                    depth += 1
                elif word == "end" and depth > 0:
                    depth -= 1
        return len(text)

    def _emit(self, start: int, first: int, end: int) -> None:
        chunk = self.text[first:end].rstrip()
        if chunk in ("", ";"):
            return
        self._line += self.text.count("\n", self._line_pos, first)
        self._line_pos = first
        self.statements.append(Statement(self.text[start:end].strip(), self._line))


def split_statements(text: str) -> list[Statement]:
    """The statements of `text` in order; empty ones (only comments or whitespace) are dropped."""
    return _Splitter(text).run()


def split_counting(text: str) -> tuple[list[Statement], int]:
    """The statements and the number of tokens the splitter visited (for the linear-time test)."""
    splitter = _Splitter(text)
    return splitter.run(), splitter.steps


def strip_comments(sql: str) -> str:
    """`sql` without -- and /* */ comments (strings, identifiers and dollar quotes kept intact)."""
    out: list[str] = []
    i = 0
    while (match := _COMMENTS.search(sql, i)) is not None:
        token = match.group(0)
        if token.startswith("--"):
            out.append(sql[i:match.start()])  # the newline after it stays: summaries read line structure
            i = match.end()
        elif token == "/*":
            out.append(sql[i:match.start()])
            i = _skip_block_comment(sql, match.start())
        else:
            end = _skip(sql, match.start(), token) if token in _NEEDS_SKIP or token[0] == "$" else match.end()
            if token[0] in "eE" and _inside_identifier(sql, match.start()):
                end = match.start() + 1  # the e ends an identifier: the quote opens a plain string
            out.append(sql[i:end])
            i = end
    out.append(sql[i:])
    return "".join(out)


def has_sql(text: str) -> bool:
    """Whether `text` holds anything but comments, whitespace and semicolons (reads only up to its first token)."""
    i = _first_token(text, 0)
    while i < len(text) and text[i] == ";":
        i = _first_token(text, i + 1)
    return i < len(text)


def _first_token(text: str, i: int) -> int:
    """Index of the first character at or after `i` that is neither whitespace nor a comment."""
    while (match := _LEADING.match(text, i)) is not None:
        i = _skip_block_comment(text, i) if match.group(0) == "/*" else match.end()
    return i


def _inside_identifier(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_$")


def _skip(text: str, i: int, token: str) -> int:
    """Index just past the comment, string, identifier or dollar quote that starts at `i` with `token`."""
    if token == "--":
        newline = text.find("\n", i)
        return len(text) if newline < 0 else newline + 1
    if token == "/*":
        return _skip_block_comment(text, i)
    if token == "'":
        escaped = i > 0 and text[i - 1] in "eE" and (i < 2 or not (text[i - 2].isalnum() or text[i - 2] == "_"))
        return _skip_quoted(text, i, "'", backslash=escaped)
    if token == '"':
        return _skip_quoted(text, i, '"', backslash=False)
    if _inside_identifier(text, i):
        return i + 1  # a `$` inside an identifier (e.g. a$b$), not a dollar quote
    end = text.find(token, i + len(token))
    return len(text) if end < 0 else end + len(token)


def _skip_block_comment(text: str, i: int) -> int:
    depth = 0
    while (match := _BLOCK.search(text, i)) is not None:
        i = match.end()
        depth += 1 if match.group(0) == "/*" else -1
        if depth == 0:
            return i
    return len(text)


def _skip_quoted(text: str, i: int, quote: str, *, backslash: bool) -> int:
    i += 1
    n = len(text)
    while True:
        end = text.find(quote, i)
        if end < 0:
            return n
        if backslash:
            slashes = 0
            while end - 1 - slashes >= i and text[end - 1 - slashes] == "\\":
                slashes += 1
            if slashes % 2:
                i = end + 1
                continue
        if end + 1 < n and text[end + 1] == quote:
            i = end + 2
            continue
        return end + 1
