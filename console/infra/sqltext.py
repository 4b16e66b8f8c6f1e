"""Another session's query text made fit to show and to audit: every string literal masked, in each quoting form
PostgreSQL reads ('…', E'…' with backslash escapes, U&'…', $$…$$ and $tag$…$tag$ dollar quotes), so a password
in `ALTER ROLE … PASSWORD …` never reaches the screen or the audit log, then put on one line, shortened and
escaped (console.infra.fmt.printable)."""

from __future__ import annotations

import re

from console.infra.fmt import one_line

MASKED = "'…'"
# Tokens in the order PostgreSQL's lexer tells them apart: a quoted identifier is kept (a quote inside it starts
# nothing), a comment is kept, every literal is masked. An unterminated literal (the server cuts a long query at
# track_activity_query_size) runs to the end of the text and is masked too.
_TOKEN = re.compile(
    r'(?P<ident>"(?:[^"]|"")*(?:"|\Z))'
    r"|(?P<comment>--[^\n]*|/\*[\s\S]*?(?:\*/|\Z))"
    r"|(?P<escaped>(?<![A-Za-z0-9_$])[eE]'(?:[^'\\]|\\[\s\S]|'')*(?:'|\Z))"
    r"|(?P<plain>'(?:[^']|'')*(?:'|\Z))"
    r"|(?P<dollar>(?<![A-Za-z0-9_$])\$(?P<tag>(?:[A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*)?)\$[\s\S]*?"
    r"(?:\$(?P=tag)\$|\Z))"
)


def mask_literals(sql: str) -> str:
    """`sql` with every string literal replaced by '…' (identifiers and comments left as they are)."""
    return _TOKEN.sub(lambda m: m.group() if m.group("ident") or m.group("comment") else MASKED, sql)


def shown_query(sql: str | None, limit: int = 300) -> str:
    """A query as the console shows and audits it: literals masked, whitespace runs as one space, at most `limit`
    characters (cut with …), control characters escaped; '-' for none."""
    if not sql:
        return "-"
    text = one_line(mask_literals(sql))
    return text if len(text) <= limit else text[: limit - 1] + "…"
