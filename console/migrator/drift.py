"""Why an applied migration's checksum no longer matches its file: the likely cause, in words."""

from __future__ import annotations

import hashlib

_BOM = "\ufeff"


def _variants(sql: str) -> dict[str, str]:
    lf = sql.replace("\r\n", "\n")
    return {
        "its line endings changed (CRLF vs LF), e.g. a Windows checkout or an editor setting": lf,
        "its line endings changed (LF vs CRLF), e.g. a Windows checkout or an editor setting": lf.replace("\n", "\r\n"),
        "a byte-order mark (BOM) was added or removed": sql.removeprefix(_BOM) if sql.startswith(_BOM) else _BOM + sql,
        "only its trailing newline changed": sql.rstrip("\r\n") if sql.endswith("\n") else sql + "\n",
        "only trailing whitespace changed": "\n".join(line.rstrip() for line in sql.split("\n")),
    }


def likely_cause(sql: str, applied_checksum: bytes) -> str:
    """A short explanation of how the file's text differs from the text that was applied."""
    for cause, variant in _variants(sql).items():
        if variant != sql and hashlib.sha384(variant.encode("utf-8")).digest() == applied_checksum:
            return cause
    return "its content changed after it was applied"
