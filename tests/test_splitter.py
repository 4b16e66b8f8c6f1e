"""The migration splitter (issue 12): SQL-standard function bodies kept whole, linear work, the line of each
statement's first token, and migration files refused before anything runs (BOM, dangling symlink, unreadable
file, --dir naming a file). Correctness is checked on the real engine: what the splitter cuts, PostgreSQL runs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from console.migrator.sqlsplit import split_counting, split_statements
from tests.conftest import CliResult, TestDb

Cli = Callable[..., CliResult]

ATOMIC = """-- 007: a SQL-standard function body, as psql and sqlx run it
CREATE TABLE notes (id int PRIMARY KEY, body text);

CREATE FUNCTION note_count(min_id int) RETURNS bigint
LANGUAGE sql
BEGIN ATOMIC
    SELECT count(*) FROM notes WHERE id >= min_id;
END;

CREATE PROCEDURE add_note(n int, b text)
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO notes VALUES (n, CASE WHEN b = '' THEN 'empty;' ELSE b END);
    INSERT INTO notes VALUES (n + 1000, 'twin; of ' || b);
END;
"""


def one_line(result: CliResult, *needles: str) -> str:
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("obsconsole: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    path = tmp_path / "migrations"
    path.mkdir()
    for name, text in files.items():
        (path / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def no_ledger(dsn: str) -> bool:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT to_regclass('_sqlx_migrations') IS NULL").fetchone()
    return bool(row and row[0])


def test_begin_atomic_bodies_are_kept_whole_and_run(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    statements = split_statements(ATOMIC)
    assert [s.line for s in statements] == [2, 4, 10]
    assert statements[1].sql.endswith("END;") and statements[2].sql.count(";") == 5
    result = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder(tmp_path, {"007_atomic.sql": ATOMIC})))
    assert result.code == 0, result.output
    with psycopg.connect(native_db.dsn, autocommit=True) as conn:
        conn.execute("CALL add_note(1, '')")
        assert conn.execute("SELECT note_count(0)").fetchone() == (2,)
        assert conn.execute("SELECT body FROM notes ORDER BY id").fetchall() == [("empty;",), ("twin; of ",)]


def test_failure_names_the_line_of_the_statements_first_token(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    text = "CREATE TABLE ok_one (id int);\n\n" + "-- a comment\n" * 12 + "/* and a block */\nSELECT * FROM nowhere;\n"
    result = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder(tmp_path, {"007_fails.sql": text})))
    assert result.code == 1, result.output
    assert "007_fails.sql line 16 (SELECT * FROM nowhere;)" in result.stderr, result.stderr
    with psycopg.connect(native_db.dsn) as conn:
        assert conn.execute("SELECT to_regclass('ok_one') IS NULL").fetchone() == (True,)


def _big(statements: int) -> str:
    parts = []
    for i in range(statements):
        parts.append(f"-- statement {i}\nINSERT INTO big (\"col;\", b, c, d) VALUES ({i}, 'text; with a semicolon', "
                     f"$q${i};$q$, E'it\\'s {i};');\n/* block; {i} */\n")
    return "".join(parts)


def test_splitting_is_linear_and_right_on_a_50000_statement_file() -> None:
    text = _big(50_000)
    assert len(text) > 5_000_000
    statements, steps = split_counting(text)
    assert len(statements) == 50_000
    assert statements[0].line == 2 and statements[-1].line == 3 * 49_999 + 2
    assert statements[12_345].sql.endswith("INSERT INTO big (\"col;\", b, c, d) VALUES (12345, 'text; with a "
                                           "semicolon', $q$12345;$q$, E'it\\'s 12345;');")
    # Linear: twice the text costs exactly twice the tokens visited (a quadratic splitter would cost four times).
    _half, half_steps = split_counting(_big(25_000))
    assert steps == 2 * half_steps


def test_status_reads_checksums_without_splitting(cli: Cli, native_db: TestDb, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from console.infra.dsn import ResolvedDsn
    from console.migrator import files, runner

    path = folder(tmp_path, {"001_big.sql": "CREATE TABLE big (\"col;\" int, b text, c text, d text);\n"
                                            + _big(2_000)})
    assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(path)).code == 0

    def refuse(_self: files.MigrationFile) -> list[object]:
        raise AssertionError("status split a migration")

    monkeypatch.setattr(files.MigrationFile, "statements", property(refuse))
    rows = runner.status(ResolvedDsn(native_db.dsn, "test"), path)
    assert [(r.version, r.state, r.checksum) for r in rows] == [(1, "applied", "ok")]


def test_a_byte_order_mark_is_refused_before_anything_runs(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    path = folder(tmp_path, {"001_bom.sql": b"\xef\xbb\xbfCREATE TABLE bom (id int);\n"})
    for command in (["migrate"], ["status"], ["migrate", "--dry-run"]):
        one_line(cli(*command, "--dsn", native_db.dsn, "--dir", str(path)), "001_bom.sql starts with a UTF-8 "
                 "byte-order mark (bytes EF BB BF)", "save it as UTF-8 without BOM")
    assert no_ledger(native_db.dsn)


def test_a_dangling_symlink_is_refused_not_skipped(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    path = folder(tmp_path, {"001_ok.sql": "CREATE TABLE fine (id int);\n"})
    (path / "002_gone.sql").symlink_to(tmp_path / "moved-away.sql")
    one_line(cli("migrate", "--dsn", native_db.dsn, "--dir", str(path)),
             "002_gone.sql is a symbolic link to", "moved-away.sql, which does not exist", "nothing was run")
    assert no_ledger(native_db.dsn)


def test_an_unreadable_migration_is_one_line(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    path = folder(tmp_path, {"001_ok.sql": "CREATE TABLE fine (id int);\n"})
    locked = path / "002_locked.sql"
    if os.geteuid() == 0:  # root reads any file by mode: a write-only sysfs attribute is unreadable even for root
        if not Path("/sys/bus/pci/rescan").exists():
            pytest.skip("no unreadable file for root on this machine")
        locked.symlink_to("/sys/bus/pci/rescan")
    else:
        locked.write_text("CREATE TABLE locked (id int);\n")
        locked.chmod(0)
    one_line(cli("migrate", "--dsn", native_db.dsn, "--dir", str(path)), "cannot read", "002_locked.sql",
             "permission denied", "nothing was run")
    assert no_ledger(native_db.dsn)


def test_dir_naming_a_file_says_so(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    path = folder(tmp_path, {"001_ok.sql": "CREATE TABLE fine (id int);\n"})
    for command in (["migrate"], ["status"]):
        one_line(cli(*command, "--dsn", native_db.dsn, "--dir", str(path / "001_ok.sql")),
                 "001_ok.sql is a file, not a folder: pass the folder that holds the migrations")
    assert no_ledger(native_db.dsn)
