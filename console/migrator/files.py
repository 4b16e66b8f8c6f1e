"""Migration files read exactly as Rust sqlx reads them: `<VERSION>_<DESCRIPTION>.sql`, version = the integer
before the first `_`, description = the rest less `.sql`/`.up.sql` with `_` → space, checksum = SHA-384 of
the file's text, `-- no-transaction` as the first bytes means "run outside a transaction"."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from console.infra import userfiles
from console.infra.errors import ConsoleError
from console.migrator.sqlsplit import Statement, has_sql, split_statements, strip_comments

NO_TRANSACTION = "-- no-transaction"
BOM = b"\xef\xbb\xbf"
# A statement that opens, ends or abandons a transaction (not ROLLBACK TO a savepoint).
TX_CONTROL = re.compile(r"^(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT)\b(?!\s+TO\b)", re.I)


def transaction_word(statement: Statement) -> str | None:
    """BEGIN, COMMIT, ROLLBACK, … when `statement` is transaction control, else None."""
    code = " ".join(strip_comments(statement.sql).split())
    match = TX_CONTROL.match(code)
    return " ".join(match.group(1).upper().split()) if match else None


@dataclass(frozen=True)
class MigrationFile:
    """One up-migration on disk."""

    version: int
    description: str
    path: Path
    sql: str

    @property
    def checksum(self) -> bytes:
        return hashlib.sha384(self.sql.encode("utf-8")).digest()

    @property
    def no_transaction(self) -> bool:
        return self.sql.startswith(NO_TRANSACTION)

    @cached_property
    def statements(self) -> list[Statement]:
        return split_statements(self.sql)

    @cached_property
    def transaction_control(self) -> list[tuple[Statement, str]]:
        """The file's own transaction control statements (BEGIN … COMMIT), with their words."""
        found = [(statement, transaction_word(statement)) for statement in self.statements]
        return [(statement, word) for statement, word in found if word]

    @property
    def label(self) -> str:
        return self.path.name


def parse_name(file_name: str) -> tuple[int, str] | None:
    """(version, description) for a migration file name; None for files sqlx ignores.

    Raises ConsoleError for a name sqlx would reject (a non-integer version).
    """
    version_text, sep, rest = file_name.partition("_")
    if not sep or not rest.endswith(".sql") or rest.endswith(".down.sql"):
        return None
    if not version_text.isdigit() or int(version_text) <= 0:
        raise ConsoleError(
            f"bad migration file name {file_name!r}: it must start with a positive integer version "
            "then `_` (e.g. 007_add_column.sql)"
        )
    suffix = ".up.sql" if rest.endswith(".up.sql") else ".sql"
    return int(version_text), rest.removesuffix(suffix).replace("_", " ")


def load(directory: Path) -> list[MigrationFile]:
    """Every up-migration in `directory`, sorted by version, read without splitting it into statements.
    Raises ConsoleError, before anything runs, on a file sqlx would refuse or that cannot be a migration (not
    UTF-8, a byte-order mark, empty, unreadable, a dangling symbolic link, a duplicated version)."""
    if directory.is_file():
        raise ConsoleError(f"--dir {directory} is a file, not a folder: pass the folder that holds the migrations")
    if not directory.is_dir():
        raise ConsoleError(f"migrations folder not found: {directory}")
    found: dict[int, MigrationFile] = {}
    for path in sorted(directory.iterdir()):
        dangling = path.is_symlink() and not path.exists()
        if not path.is_file() and not dangling:
            continue
        parsed = parse_name(path.name)
        if parsed is None:
            continue
        if dangling:
            raise ConsoleError(f"{path.name} is a symbolic link to {path.readlink()}, which does not exist: restore "
                               "its target or remove the link; nothing was run")
        version, description = parsed
        migration = MigrationFile(version, description, path, _read(path))
        if not has_sql(migration.sql):
            raise ConsoleError(f"{path.name} is empty (no SQL statement): remove it or add its SQL")
        if version in found:
            raise ConsoleError(f"duplicate migration version {version}: {found[version].label} and {path.name}")
        found[version] = migration
    return [found[v] for v in sorted(found)]


def _read(path: Path) -> str:
    try:
        raw = userfiles.read_bytes(path, "migration file", userfiles.SQL_FILE_BYTES)
    except FileNotFoundError:
        raise ConsoleError(f"cannot read migration file {path}: it is gone (a dangling link?); nothing was run"
                           ) from None
    except ConsoleError as exc:
        raise ConsoleError(f"{exc.message}; nothing was run") from None
    if raw.startswith(BOM):
        raise ConsoleError(f"{path.name} starts with a UTF-8 byte-order mark (bytes EF BB BF), which PostgreSQL "
                           "would read as an invisible character before the first statement: save it as UTF-8 "
                           "without BOM; nothing was run")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConsoleError(f"{path.name} is not UTF-8 (byte {exc.start}): save it as UTF-8") from None
