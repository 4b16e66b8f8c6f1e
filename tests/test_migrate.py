"""`obsconsole migrate` / `status` against the real engines: sqlx's ledger, refusals, locks, rollbacks."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from console.infra.resources import MIGRATIONS_DIR
from tests.conftest import OBSCONSOLE, CliResult, TestDb

Cli = Callable[..., CliResult]
ALL_VERSIONS = [1, 2, 3, 4, 5, 6, 7]


def ledger(dsn: str) -> list[tuple[int, str, bool, bytes, int]]:
    with psycopg.connect(dsn) as conn:
        if conn.execute("SELECT to_regclass('_sqlx_migrations')").fetchone() == (None,):
            return []
        rows = conn.execute(
            "SELECT version, description, success, checksum, execution_time FROM _sqlx_migrations ORDER BY 1"
        ).fetchall()
    return [(v, d, s, bytes(c), t) for v, d, s, c, t in rows]


def relation_exists(dsn: str, name: str) -> bool:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone() == (True,)


def sqlx_expected_row(path: Path) -> tuple[int, str, bytes]:
    """What sqlx writes for a file, from its documented rules (split at the first `_`, SHA-384 of the bytes)."""
    version, rest = path.name.split("_", 1)
    return int(version), rest[: -len(".sql")].replace("_", " "), hashlib.sha384(path.read_bytes()).digest()


def copy_migrations(tmp_path: Path, upto: int = 7) -> Path:
    target = tmp_path / "migrations"
    target.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if int(path.name.split("_")[0]) <= upto:
            shutil.copy(path, target / path.name)
    return target


def test_tsl_fresh_migrate_status_then_noop(cli: Cli, tsl_db: TestDb) -> None:
    first = cli("migrate", "--dsn", tsl_db.dsn)
    assert first.code == 0, first.output
    for version in ("001", "006"):
        assert f"applied  {version}_" in first.stderr
    rows = ledger(tsl_db.dsn)
    assert [r[0] for r in rows] == ALL_VERSIONS
    assert all(r[2] and r[4] > 0 for r in rows), "success and a real execution_time (ns) for every row"
    status = cli("status", "--dsn", tsl_db.dsn, "--json")
    assert status.code == 0, status.output
    listed = json.loads(status.stdout)["migrations"]
    assert [(m["version"], m["state"], m["checksum"]) for m in listed] == [(v, "applied", "ok") for v in ALL_VERSIONS]
    again = cli("migrate", "--dsn", tsl_db.dsn, "--json")
    assert again.code == 0 and json.loads(again.stdout)["outcome"] == "up to date"
    assert ledger(tsl_db.dsn) == rows


def test_ledger_rows_are_what_sqlx_writes(cli: Cli, tsl_db: TestDb) -> None:
    assert cli("migrate", "--dsn", tsl_db.dsn).code == 0
    expected = [sqlx_expected_row(p) for p in sorted(MIGRATIONS_DIR.glob("*.sql"))]
    assert [(v, d, c) for v, d, _s, c, _t in ledger(tsl_db.dsn)] == expected
    with psycopg.connect(tsl_db.dsn) as conn:
        columns = conn.execute(
            "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns"
            " WHERE table_name = '_sqlx_migrations' ORDER BY ordinal_position"
        ).fetchall()
    assert columns == [
        ("version", "bigint", "NO", None),
        ("description", "text", "NO", None),
        ("installed_on", "timestamp with time zone", "NO", "now()"),
        ("success", "boolean", "NO", None),
        ("checksum", "bytea", "NO", None),
        ("execution_time", "bigint", "NO", None),
    ]


def test_a_ledger_written_by_sqlx_is_accepted(cli: Cli, native_db: TestDb) -> None:
    # Apply 001-003 the way sqlx does (whole file in one transaction) and write its ledger rows by hand.
    with psycopg.connect(native_db.dsn) as conn:
        conn.execute(
            "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on"
            " TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL,"
            " execution_time BIGINT NOT NULL)"
        )
        for path in sorted(MIGRATIONS_DIR.glob("00[123]_*.sql")):
            conn.execute(path.read_text())
            version, description, checksum = sqlx_expected_row(path)
            conn.execute("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)"
                         " VALUES (%s, %s, TRUE, %s, 1234567)", (version, description, checksum))
    result = cli("migrate", "--dsn", native_db.dsn, "--to", "3")
    assert result.code == 0 and "nothing to apply" in result.stderr, result.output
    status = json.loads(cli("status", "--dsn", native_db.dsn, "--json").stdout)["migrations"]
    assert [(m["version"], m["state"], m["checksum"]) for m in status[:3]] == [(v, "applied", "ok") for v in (1, 2, 3)]


def test_native_apache_refuses_before_anything_then_to_003_applies(cli: Cli, native_db: TestDb) -> None:
    refused = cli("migrate", "--dsn", native_db.dsn)
    assert refused.code == 2
    line = refused.stderr.strip().splitlines()[-1]
    assert "004_continuous_aggregates.sql" in line
    assert "continuous aggregates" in line and "apache" in line and "nothing was applied" in line
    assert ledger(native_db.dsn) == []
    assert not relation_exists(native_db.dsn, "llm_traces")
    applied = cli("migrate", "--dsn", native_db.dsn, "--to", "3")
    assert applied.code == 0, applied.output
    assert [r[0] for r in ledger(native_db.dsn)] == [1, 2, 3]
    assert relation_exists(native_db.dsn, "idx_traces_ts_brin") or relation_exists(native_db.dsn, "llm_traces")


def test_dry_run_changes_nothing(cli: Cli, native_db: TestDb) -> None:
    result = cli("migrate", "--dsn", native_db.dsn, "--dry-run", "--to", "3", "--json")
    assert result.code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["outcome"] == "planned" and [p["version"] for p in plan["pending"]] == [1, 2, 3]
    assert ledger(native_db.dsn) == [] and not relation_exists(native_db.dsn, "llm_traces")


def _sqlx_lock_key(database: str) -> int:
    return 0x3D32AD9E * zlib.crc32(database.encode())


def test_two_concurrent_migrates_apply_each_migration_once(native_db: TestDb, tmp_path: Path) -> None:
    database = str(psycopg.conninfo.conninfo_to_dict(native_db.dsn)["dbname"])
    env = {**os.environ, "OBSCONSOLE_DSN": native_db.dsn}
    logs = [tmp_path / f"migrate-{n}.stderr" for n in range(2)]
    with psycopg.connect(native_db.dsn, autocommit=True) as holder:
        # Hold sqlx's lock (computed from sqlx's rule, not from our code): both runs must wait for it.
        holder.execute("SELECT pg_advisory_lock(%s)", (_sqlx_lock_key(database),))
        procs = []
        for log in logs:
            with log.open("w") as err_file:
                procs.append(subprocess.Popen([OBSCONSOLE, "migrate", "--to", "3"], env=env, text=True,
                                              stdout=subprocess.PIPE, stderr=err_file))
        # Both have found the lock taken (each says so at its first try), and neither applied anything.
        deadline = time.monotonic() + 60
        while not all("waiting for the migration lock" in log.read_text() for log in logs):
            assert all(p.poll() is None for p in procs), [log.read_text() for log in logs]
            assert time.monotonic() < deadline, "the two migrates never reached the migration lock"
            time.sleep(0.05)
        assert ledger(native_db.dsn) == [], "a migrate ran while sqlx's lock was held"
        holder.execute("SELECT pg_advisory_unlock(%s)", (_sqlx_lock_key(database),))
        outputs = [(p.communicate(timeout=60)[0], log.read_text()) for p, log in zip(procs, logs, strict=True)]
    assert [p.returncode for p in procs] == [0, 0], outputs
    stderr = [err for _out, err in outputs]
    assert all("waiting for the migration lock" in err for err in stderr)
    assert sum("nothing to apply" in err for err in stderr) == 1
    assert sum(err.count("applied  00") for err in stderr) == 3
    assert [r[0] for r in ledger(native_db.dsn)] == [1, 2, 3]


@pytest.mark.parametrize(
    ("edit", "cause"),
    [
        (lambda text: text + "\n-- a harmless-looking comment\n", "content changed"),
        (lambda text: text.replace("\n", "\r\n"), "line endings"),
        (lambda text: text.rstrip("\n"), "trailing newline"),
    ],
)
def test_an_edited_applied_file_is_refused(
    cli: Cli, native_db: TestDb, tmp_path: Path, edit: Callable[[str], str], cause: str
) -> None:
    folder = copy_migrations(tmp_path, upto=3)
    assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder), "--to", "2").code == 0
    before = ledger(native_db.dsn)
    target = folder / "002_add_hypertables.sql"
    target.write_bytes(edit(target.read_text()).encode())
    result = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder))
    assert result.code == 2
    assert "002_add_hypertables.sql was edited after it was applied" in result.stderr and cause in result.stderr
    assert ledger(native_db.dsn) == before
    assert not relation_exists(native_db.dsn, "idx_traces_ts_brin")
    status = cli("status", "--dsn", native_db.dsn, "--dir", str(folder))
    assert status.code == 1 and "DRIFTED" in status.stdout


def test_a_failing_migration_leaves_nothing_and_reruns_after_the_fix(
    cli: Cli, native_db: TestDb, tmp_path: Path
) -> None:
    folder = copy_migrations(tmp_path, upto=3)
    broken = folder / "004_broken.sql"
    broken.write_text(
        "-- 004: a migration with an error in its middle\n"
        "CREATE TABLE half_done (id int);\n"
        "CREATE INDEX idx_half_done ON half_done (id);\n"
        "\n"
        "INSERT INTO half_done SELECT 1 / 0;\n"
        "CREATE TABLE never_reached (id int);\n"
    )
    result = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder))
    assert result.code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert "004_broken.sql line 5" in line and "division by zero" in line and "rolled back" in line
    assert [r[0] for r in ledger(native_db.dsn)] == [1, 2, 3], "001-003 stay applied, 004 has no row"
    for name in ("half_done", "idx_half_done", "never_reached"):
        assert not relation_exists(native_db.dsn, name), name
    broken.write_text(broken.read_text().replace("1 / 0", "1"))
    fixed = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder))
    assert fixed.code == 0, fixed.output
    assert [r[0] for r in ledger(native_db.dsn)] == [1, 2, 3, 4]
    assert relation_exists(native_db.dsn, "never_reached")


def test_lock_timeout_names_the_statement_and_the_blocker(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    folder = copy_migrations(tmp_path, upto=3)
    assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder), "--to", "2").code == 0
    release = threading.Event()
    with psycopg.connect(native_db.dsn, application_name="long-report") as blocker:
        blocker.execute("LOCK TABLE llm_traces IN ACCESS EXCLUSIVE MODE")
        result = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder), "--lock-timeout", "500ms")
        release.set()
    assert result.code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert "003_create_indexes.sql line" in line and "lock timeout" in line
    assert "llm_traces held by pid" in line and "long-report" in line and "AccessExclusiveLock" in line
    assert [r[0] for r in ledger(native_db.dsn)] == [1, 2]


def test_no_transaction_file_runs_outside_a_transaction(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    folder = copy_migrations(tmp_path, upto=3)
    (folder / "004_notes.sql").write_text("CREATE TABLE IF NOT EXISTS notes (id int);\n")
    # CREATE INDEX CONCURRENTLY fails inside a transaction block: it only works because of the first line.
    (folder / "005_concurrent_index.sql").write_text(
        "-- no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_notes_id ON notes (id);\n"
    )
    result = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder))
    assert result.code == 0, result.output
    assert "005_concurrent_index.sql (1 statements, without a transaction)" in result.stderr
    assert relation_exists(native_db.dsn, "idx_notes_id")
    assert [r[0] for r in ledger(native_db.dsn)] == [1, 2, 3, 4, 5]


def test_applied_row_without_file_and_failed_row_are_refused(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    folder = copy_migrations(tmp_path, upto=3)
    assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder), "--to", "2").code == 0
    (folder / "002_add_hypertables.sql").rename(folder / "002_renamed.sql.bak")
    missing = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder))
    assert missing.code == 2 and "migration 2 (add hypertables) is applied but its file is missing" in missing.stderr
    (folder / "002_renamed.sql.bak").rename(folder / "002_add_hypertables.sql")
    with psycopg.connect(native_db.dsn) as conn:
        conn.execute("UPDATE _sqlx_migrations SET success = false WHERE version = 2")
    dirty = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder))
    assert dirty.code == 2 and "marks migration 2 (add hypertables) as failed" in dirty.stderr
    assert [r[0] for r in ledger(native_db.dsn)] == [1, 2]


# A migration written as the seed project's public ones are: its own transaction control around the change.
OWN_TRANSACTION = (
    "-- {version}: carries its own transaction control, as the seed project's public migrations do\n"
    "BEGIN;\n"
    "CREATE TABLE IF NOT EXISTS own_tx_items (id BIGINT PRIMARY KEY, note TEXT);\n"
    "CREATE INDEX IF NOT EXISTS own_tx_items_note ON own_tx_items (note);\n"
    "COMMIT;\n"
)


def _own_transaction_folder(tmp_path: Path, upto: int) -> tuple[Path, Path]:
    folder = copy_migrations(tmp_path, upto=upto)
    own = folder / f"{upto + 1:03d}_own_transaction.sql"
    own.write_text(OWN_TRANSACTION.format(version=f"{upto + 1:03d}"))
    return folder, own


@pytest.mark.parametrize("engine", ["native", "tsl"])
def test_a_file_with_its_own_begin_commit_is_rehearsed_refused_then_forced_like_sqlx(
    cli: Cli, engine: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    db: TestDb = request.getfixturevalue(f"{engine}_db")
    upto = 3 if engine == "native" else 7  # the Apache edition stops before 004
    folder, own = _own_transaction_folder(tmp_path, upto)
    versions = [*range(1, upto + 2)]

    rehearsed = cli("migrate", "--dsn", db.dsn, "--dir", str(folder), "--dry-run", timeout=300)
    assert rehearsed.code == 1, rehearsed.output  # an error-level lint finding in a pending file
    assert "Traceback" not in rehearsed.output and "OutOfOrderTransactionNesting" not in rehearsed.output
    assert f"lint L001 error {own.name}:2: BEGIN" in rehearsed.stdout
    assert f"lint L001 error {own.name}:5: COMMIT" in rehearsed.stdout
    assert "rehearsal on a scratch engine" in rehearsed.stdout
    assert "its own COMMIT at line 5 ends the transaction; the ledger row is written right after it" \
        in rehearsed.stdout
    assert "every pending migration applied on the scratch engine" in rehearsed.stdout
    assert "predicted: `migrate` refuses (lint L001) and applies nothing; `migrate --force` would apply them as " \
        "rehearsed" in rehearsed.stdout
    assert ledger(db.dsn) == [] and not relation_exists(db.dsn, "own_tx_items")

    refused = cli("migrate", "--dsn", db.dsn, "--dir", str(folder))
    assert refused.code == 2 and "lint L001" in refused.stderr and "nothing was applied" in refused.stderr
    assert ledger(db.dsn) == [] and not relation_exists(db.dsn, "own_tx_items")

    forced = cli("migrate", "--dsn", db.dsn, "--dir", str(folder), "--force", timeout=300)
    assert forced.code == 0, forced.output
    assert "Traceback" not in forced.output
    assert f"applying {own.name} (4 statements, in its own transaction: BEGIN line 2, COMMIT line 5)" in forced.stderr
    assert "its own COMMIT (line 5) ended the transaction and the ledger row was written right after it, as sqlx " \
           f"does; ledger and objects agree (version {upto + 1} success = true)" in forced.stderr
    rows = ledger(db.dsn)
    expected = [sqlx_expected_row(p) for p in sorted(folder.glob("*.sql"))]
    assert [(v, d, c) for v, d, _s, c, _t in rows] == expected  # byte for byte what sqlx writes
    assert [r[0] for r in rows] == versions and all(r[2] and r[4] > 0 for r in rows)
    assert relation_exists(db.dsn, "own_tx_items") and relation_exists(db.dsn, "own_tx_items_note")

    again = cli("migrate", "--dsn", db.dsn, "--dir", str(folder), "--force")
    assert again.code == 0 and "nothing to apply" in again.stderr, again.output
    assert ledger(db.dsn) == rows


def test_own_transaction_failing_before_its_commit_leaves_nothing(
    cli: Cli, native_db: TestDb, tmp_path: Path
) -> None:
    folder = copy_migrations(tmp_path, upto=3)
    (folder / "004_fails_inside.sql").write_text(
        "BEGIN;\nCREATE TABLE inside_tx (id int);\nSELECT 1 / 0;\nCOMMIT;\n")
    result = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder), "--force")
    assert result.code == 1, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert "004_fails_inside.sql line 3" in line and "division by zero" in line
    assert "rolled back: nothing of it remains" in line
    assert [r[0] for r in ledger(native_db.dsn)] == [1, 2, 3]
    assert not relation_exists(native_db.dsn, "inside_tx")


def test_own_transaction_failing_after_its_commit_is_marked_failed_in_the_ledger(
    cli: Cli, native_db: TestDb, tmp_path: Path
) -> None:
    folder = copy_migrations(tmp_path, upto=3)
    (folder / "004_fails_after.sql").write_text(
        "BEGIN;\nCREATE TABLE committed_part (id int);\nCOMMIT;\nCREATE TABLE committed_part (id int);\n")
    result = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder), "--force")
    assert result.code == 1, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert "004_fails_after.sql line 4" in line and "already exists" in line
    assert "own COMMIT (line 3) had made its statements up to there permanent" in line
    assert "the ledger marks 4 as failed (success = false)" in line
    # The objects the COMMIT kept and the ledger agree: neither "pending" (applied again) nor "applied".
    assert relation_exists(native_db.dsn, "committed_part")
    assert [(r[0], r[2]) for r in ledger(native_db.dsn)] == [(1, True), (2, True), (3, True), (4, False)]
    rerun = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder), "--force")
    assert rerun.code == 2 and "marks migration 4 (fails after) as failed" in rerun.stderr


def test_own_transaction_ending_in_rollback_is_refused_before_anything(
    cli: Cli, native_db: TestDb, tmp_path: Path
) -> None:
    folder = copy_migrations(tmp_path, upto=3)
    (folder / "004_rolls_back.sql").write_text("BEGIN;\nCREATE TABLE rolled_back (id int);\nROLLBACK;\n")
    for dry in ((), ("--dry-run",)):
        result = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder), "--force", *dry)
        assert result.code == 2, result.output
        line = result.stderr.strip().splitlines()[-1]
        assert line == ("obsconsole: 004_rolls_back.sql line 3: ROLLBACK in a file that carries its own transaction "
                        "control: applied as sqlx applies it, its changes would be rolled back while the ledger "
                        "records it as applied; remove the ROLLBACK; nothing was applied"), line
        assert ledger(native_db.dsn) == [] and not relation_exists(native_db.dsn, "rolled_back")
