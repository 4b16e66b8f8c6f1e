"""Lint a migrations folder before anything runs: one stable code per rule, each finding at file:line.

Errors are files that cannot succeed, or break the ledger's atomicity, under the runner (one transaction
per file unless `-- no-transaction`); warnings are risks (locks on populated hypertables, re-runs, sessions).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from console.migrator.files import TX_CONTROL, MigrationFile
from console.migrator.sqlsplit import Statement, strip_comments

ERROR = "error"
WARNING = "warning"

# code -> (level, rule name). Codes are stable: scripts and CI may filter on them.
RULES: dict[str, tuple[str, str]] = {
    "L001": (ERROR, "transaction control in a file that runs in a transaction"),
    "L002": (ERROR, "continuous aggregate created WITH DATA in a transaction"),
    "L003": (ERROR, "refresh_continuous_aggregate in a transaction"),
    "L004": (ERROR, "object referenced but never created by an earlier migration"),
    "L005": (WARNING, "CREATE INDEX on a hypertable holding rows"),
    "L006": (WARNING, "non-idempotent DDL"),
    "L007": (WARNING, "SET without LOCAL"),
}

_NAME = r'(?:"[^"]+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_][\w$]*))?'
_CAGG = re.compile(r"^CREATE\s+MATERIALIZED\s+VIEW\b.*timescaledb\.continuous\b", re.I | re.S)
_NO_DATA = re.compile(r"\bWITH\s+NO\s+DATA\s*;?\s*$", re.I)
_REFRESH = re.compile(r"\brefresh_continuous_aggregate\s*\(", re.I)
_CREATES = re.compile(
    rf"^CREATE\s+(?:OR\s+REPLACE\s+)?(?:UNLOGGED\s+|TEMP(?:ORARY)?\s+)?(?:TABLE|VIEW|MATERIALIZED\s+VIEW)\s+"
    rf"(?:IF\s+NOT\s+EXISTS\s+)?({_NAME})", re.I)
_RENAMES = re.compile(rf"^ALTER\s+(?:TABLE|VIEW|MATERIALIZED\s+VIEW)\s+(?:IF\s+EXISTS\s+)?({_NAME})\s+RENAME\s+TO\s+"
                      rf"({_NAME})", re.I)
_REFERENCES = [
    re.compile(rf"\b(?:add|remove)_\w+_policy\s*\(\s*'({_NAME})'", re.I),
    re.compile(rf"\b(?:create_hypertable|add_dimension|set_chunk_time_interval|refresh_continuous_aggregate)"
               rf"\s*\(\s*'({_NAME})'", re.I),
    re.compile(rf"^ALTER\s+(?:TABLE|MATERIALIZED\s+VIEW|VIEW)\s+(?!IF\s+EXISTS)(?:ONLY\s+)?({_NAME})", re.I),
    re.compile(rf"^CREATE\s+(?:UNIQUE\s+)?INDEX\b.*?\bON\s+(?:ONLY\s+)?({_NAME})", re.I | re.S),
    re.compile(rf"^COMMENT\s+ON\s+(?:TABLE|VIEW|MATERIALIZED\s+VIEW)\s+({_NAME})", re.I),
    re.compile(rf"\bREFERENCES\s+({_NAME})", re.I),
    re.compile(rf"^INSERT\s+INTO\s+({_NAME})", re.I),
]
_VIEW_SOURCE = re.compile(rf"\b(?:FROM|JOIN)\s+(?:ONLY\s+)?({_NAME})", re.I)
_INDEX = re.compile(rf"^CREATE\s+(?:UNIQUE\s+)?INDEX\b(?P<rest>.*?)\bON\s+(?:ONLY\s+)?(?P<table>{_NAME})", re.I | re.S)
# (pattern, message); {0} is the pattern's first group as written in the file, upper-cased for SQL keywords.
_NOT_IDEMPOTENT: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?!.*\bIF\s+NOT\s+EXISTS\b)", re.I | re.S),
     "CREATE INDEX without IF NOT EXISTS"),
    (re.compile(r"^CREATE\s+(?:UNLOGGED\s+)?(TABLE|MATERIALIZED\s+VIEW|SCHEMA|SEQUENCE|EXTENSION)\s+(?!IF\s+NOT)",
                re.I), "CREATE {0} without IF NOT EXISTS"),
    (re.compile(r"^CREATE\s+(VIEW|FUNCTION|PROCEDURE|TRIGGER)\b", re.I), "CREATE {0} without OR REPLACE"),
    (re.compile(r"^DROP\s+(\w+(?:\s+VIEW)?)\s+(?!(?:CONCURRENTLY\s+)?IF\s+EXISTS)", re.I),
     "DROP {0} without IF EXISTS"),
    (re.compile(r"^ALTER\s+TABLE\b.*\bADD\s+(?:COLUMN\s+)?+(?!IF\s+NOT\s+EXISTS|CONSTRAINT)\w", re.I | re.S),
     "ALTER TABLE … ADD COLUMN without IF NOT EXISTS"),
    (re.compile(r"^ALTER\s+TABLE\b.*\bDROP\s+(?:COLUMN\s+)?+(?!IF\s+EXISTS|CONSTRAINT)\w", re.I | re.S),
     "ALTER TABLE … DROP COLUMN without IF EXISTS"),
    (re.compile(r"\bRENAME\s+(?:COLUMN\s+)?\w+\s+TO\b|\bRENAME\s+TO\b", re.I), "RENAME (fails when re-run)"),
    (re.compile(r"\b(create_hypertable|add_dimension|add_\w+_policy)\s*\((?![^;]*\bif_not_exists\s*=>\s*true)",
                re.I), "{0}(…) without if_not_exists => TRUE"),
]
_SESSION_SET = re.compile(r"^SET\s+(?!LOCAL\b|CONSTRAINTS\b|TRANSACTION\b)", re.I)
_SYSTEM = re.compile(r"^(pg_|information_schema\.|timescaledb_|_timescaledb)", re.I)


@dataclass(frozen=True)
class Finding:
    """One rule broken at one place."""

    code: str
    level: str
    file: str
    line: int
    message: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def lint(migrations: list[MigrationFile], *, hypertable_rows: dict[str, int] | None = None,
         pending: set[int] | None = None) -> list[Finding]:
    """Every finding in `migrations` (in version order). `hypertable_rows` (the target's catalog estimates)
    enables L005 for the `pending` versions (all of them when None)."""
    findings: list[Finding] = []
    created: set[str] = set()
    for migration in migrations:
        will_run = pending is None or migration.version in pending
        rows = hypertable_rows if will_run else None
        for statement in migration.statements:
            code = " ".join(strip_comments(statement.sql).split())
            findings += _check(migration, statement, code, created, rows or {})
            created |= _created(code)
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == ERROR]


def _check(migration: MigrationFile, statement: Statement, code: str, created: set[str],
           rows: dict[str, int]) -> Iterator[Finding]:
    def finding(rule: str, message: str) -> Finding:
        return Finding(rule, RULES[rule][0], migration.label, statement.line, message)

    in_tx = not migration.no_transaction
    if in_tx and TX_CONTROL.match(code):
        word = code.split()[0].rstrip(";").upper()
        yield finding("L001", f"{word} in a file the runner wraps in a transaction: it ends the "
                              "runner's transaction early, so the ledger row is no longer atomic with the change; "
                              "remove it (or start the file with `-- no-transaction`), or `migrate --force` applies "
                              "the file as sqlx does (the ledger row right after its COMMIT)")
    if in_tx and _CAGG.match(code) and not _NO_DATA.search(code):
        yield finding("L002", "continuous aggregate created WITH DATA (the default) inside the runner's transaction: "
                              "TimescaleDB refuses it; add WITH NO DATA and let the refresh policy fill it")
    if in_tx and _REFRESH.search(code):
        yield finding("L003", "refresh_continuous_aggregate cannot run inside a transaction block: move it to a "
                              "`-- no-transaction` file or run it by hand after migrating")
    for name in sorted(_referenced(code) - created - _created(code)):
        yield finding("L004", f"{name} is used here but no earlier migration creates it (a missing file, a "
                              "typo, or an object made by hand)")
    index = _INDEX.match(code)
    if index and _bare(index.group("table")) in rows and rows[_bare(index.group("table"))] > 0:
        table = _bare(index.group("table"))
        yield finding("L005", f"CREATE INDEX on hypertable {table} holding ~{rows[table]:,} rows (catalog estimate): "
                              "it blocks writes to the table until built on every chunk; build it first with "
                              "WITH (timescaledb.transaction_per_chunk) outside a transaction, then IF NOT EXISTS "
                              "skips it here")
    for pattern, text in _NOT_IDEMPOTENT:
        if match := pattern.search(code):
            words = " ".join(match.group(1).split()) if match.groups() else ""
            shown = words.lower() if text.startswith("{0}(") else words.upper()
            yield finding("L006", text.format(shown) + ": the file fails or changes things when run again")
            break
    if _SESSION_SET.match(code):
        yield finding("L007", f"`{code[:60]}` sets it for the whole session: it outlives the migration (and behind "
                              "a transaction pooler lands on another client's backend); use SET LOCAL")


def _created(code: str) -> set[str]:
    names: set[str] = set()
    if match := _CREATES.match(code):
        names.add(_bare(match.group(1)))
    if match := _RENAMES.match(code):
        names.add(_bare(match.group(2)))
    return names


def _referenced(code: str) -> set[str]:
    names = {_bare(m.group(1)) for pattern in _REFERENCES for m in pattern.finditer(code)}
    if re.match(r"^CREATE\s+(?:OR\s+REPLACE\s+)?(?:MATERIALIZED\s+)?VIEW\b", code, re.I):
        names |= {_bare(m.group(1)) for m in _VIEW_SOURCE.finditer(_top_level(code))}
    return {n for n in names if not _SYSTEM.match(n)}


def _top_level(code: str) -> str:
    """`code` with everything inside parentheses blanked (FROM in `extract(x FROM y)` is not a table)."""
    out: list[str] = []
    depth = 0
    for ch in code:
        depth += ch == "("
        out.append(ch if depth == 0 else " ")
        depth -= ch == ")" and depth > 0
    return "".join(out)


def _bare(name: str) -> str:
    """A relation name as the lint compares it: unquoted, lower case, without `public.`."""
    parts = [p[1:-1] if p.startswith('"') else p.lower() for p in re.findall(r'"[^"]+"|[^."\s]+', name)]
    return ".".join(parts[1:] if len(parts) == 2 and parts[0] == "public" else parts)
