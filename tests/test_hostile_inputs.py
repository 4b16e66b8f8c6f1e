"""Bad input, each answered with one clear line on stderr, the right exit code and no traceback, and nothing applied:
malformed DSNs, wrong passwords, a database without TimescaleDB, broken migration folders, a tampered ledger,
out-of-range flags; and strings from the user that look like SQL are treated as data."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from console.infra.resources import MIGRATIONS_DIR
from tests import inprocess
from tests.conftest import CliResult, TestDb, record_output

Cli = Callable[..., CliResult]
WRONG_PASSWORD = "S3cret-Wrong-Pass"
SECRET = "pw-secret"  # in the malformed DSNs below; registered in conftest.SECRETS


def one_line(result: CliResult, code: int, *needles: str, stdout_empty: bool = True) -> str:
    """The single `obsconsole: ...` line on stderr, after checking the exit code and that nothing else leaked."""
    assert result.code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("obsconsole: "), result.stderr
    if stdout_empty:
        assert result.stdout == "", result.stdout
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert SECRET not in result.output and WRONG_PASSWORD not in result.output
    return lines[0]


Rows = list[tuple[object, ...]]


@dataclass(frozen=True)
class DbState:
    """What a refused command must not have changed (None: the table does not exist)."""

    ledger: Rows | None
    extension: object
    tables: object
    users: Rows | None
    keys: Rows | None


def state(dsn: str) -> DbState:
    with psycopg.connect(dsn) as conn:
        def scalar(sql: str) -> object:
            row = conn.execute(sql).fetchone()
            return row[0] if row else None

        def rows(sql: str) -> Rows:
            return [tuple(r) for r in conn.execute(sql)]

        ledger = scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        users = scalar("SELECT to_regclass('users') IS NOT NULL")
        return DbState(
            ledger=rows("SELECT version, success, checksum FROM _sqlx_migrations ORDER BY 1") if ledger else None,
            extension=scalar("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"),
            tables=scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
            users=rows("SELECT id, email FROM users ORDER BY 1") if users else None,
            keys=rows("SELECT id, name, revoked_at FROM api_keys ORDER BY 1") if users else None,
        )


def folder_with(tmp_path: Path, versions: str = "123") -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    for path in sorted(MIGRATIONS_DIR.glob(f"00[{versions}]_*.sql")):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def keys_db(cli: Cli, native_db: TestDb, tmp_path: Path) -> TestDb:
    """native_db with 001-003 and 006 (users, api_keys) applied, and one active key of ops@example.com."""
    folder = folder_with(tmp_path / "keys", "1236")
    assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder)).code == 0
    created = cli("keys", "create", "--dsn", native_db.dsn, "--email", "ops@example.com", "--name", "prod")
    assert created.code == 0, created.output
    return native_db


def keys_check(dsn: str, key: str) -> CliResult:
    args = ["keys", "check", "--dsn", dsn]
    code, stdout, stderr = inprocess.run(args, dict(os.environ), key + "\n")
    record_output(args, stdout, stderr)
    return CliResult(code, stdout, stderr)


# --- DSNs and credentials --------------------------------------------------------------------------------------

MALFORMED_DSNS = [
    # libpq's own messages quote pieces of the DSN: obsconsole says what is wrong in its own words (issue 12).
    (f"postgresql://u:{SECRET}@[::1:5432/db", "invalid DSN (--dsn): an IPv6 host address in the URL lacks its "
                                              "closing ]"),
    (f"postgresql://u:{SECRET}@127.0.0.1:99999/db", "invalid DSN (--dsn): the port is not a number between 1 and"),
    (f"postgresql://u:{SECRET.replace('-', '%2D')}@127.0.0.1:notaport/db", "an option that takes a number"),
    (f"postgresql://u:{SECRET}@127.0.0.1/db?sslmode=bogus", "sslmode must be disable, allow, prefer"),
    (f"host=127.0.0.1 port=abc password={SECRET}", "invalid DSN (--dsn): an option that takes a number"),
    (f"host=127.0.0.1 password='{SECRET}' colour=blue", "invalid DSN (--dsn): the DSN has an option libpq does"),
    ("not a dsn at all", "invalid DSN (--dsn): a key/value DSN has a word without =value"),
    ("=", "invalid DSN (--dsn): the DSN has an option libpq does not know"),
    (f"host=127.0.0.1 password=abc {SECRET}", "a key/value DSN has a word without =value"),
    (f"postgresql://u:pa {SECRET}@127.0.0.1/db", "the URL holds an unencoded space (write a space as %20)"),
    (f"postgresql://u:{SECRET}%zz@127.0.0.1/db", "the URL holds a bad %-escape"),
    (f"postgresql://u:p@{SECRET}@[::1/db", "cannot resolve the DSN's host name (it is not a valid host name"),
]


OTHER_COMMANDS = [["status"], ["verify"], ["keys", "list"], ["doctor"]]  # all open the one connection of db.py


@pytest.mark.parametrize(("index", "dsn", "needle"), [(i, d, n) for i, (d, n) in enumerate(MALFORMED_DSNS)])
def test_malformed_dsn_is_one_line_exit_2(cli: Cli, index: int, dsn: str, needle: str) -> None:
    for command in (["migrate"], OTHER_COMMANDS[index % len(OTHER_COMMANDS)]):
        one_line(cli(*command, "--dsn", dsn), 2, needle)


def test_malformed_dsn_from_the_environment_names_its_source(cli: Cli) -> None:
    env = {"OBSCONSOLE_DSN": f"postgresql://u:{SECRET}@127.0.0.1:99999/db"}
    one_line(cli("migrate", extra_env=env), 2, "invalid DSN (OBSCONSOLE_DSN)")


@pytest.mark.parametrize(
    "command", [["migrate", "--to", "3"], ["status"], ["verify"], ["doctor"], ["keys", "list"]]
)
def test_wrong_password_is_one_line_and_changes_nothing(cli: Cli, native_db: TestDb, command: list[str]) -> None:
    before = state(native_db.dsn)
    info = psycopg.conninfo.conninfo_to_dict(native_db.dsn)
    info["password"] = WRONG_PASSWORD
    wrong = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})
    one_line(cli(*command, "--dsn", wrong), 2, "authentication failed at 127.0.0.1:", "wrong user or password")
    assert state(native_db.dsn) == before


@pytest.mark.parametrize(
    ("command", "stdout_empty"),
    [(["migrate"], True), (["migrate", "--to", "3"], True), (["migrate", "--dry-run"], True), (["status"], True),
     (["doctor"], False), (["keys", "list"], True),
     (["keys", "create", "--email", "a@example.com", "--name", "x"], True)],
)
def test_database_without_timescaledb_is_one_line_and_changes_nothing(
    cli: Cli, native_plain_db: TestDb, command: list[str], stdout_empty: bool
) -> None:
    before = state(native_plain_db.dsn)
    assert before.extension is None and before.tables == 0
    result = cli(*command, "--dsn", native_plain_db.dsn)
    line = one_line(result, 2, stdout_empty=stdout_empty)
    assert ("TimescaleDB is not installed in database" in line and "CREATE EXTENSION timescaledb" in line) or (
        command[0] == "keys" and 'relation "' in line and "apply the migrations first" in line), line
    assert state(native_plain_db.dsn) == before


@pytest.mark.parametrize(
    "command",
    [["keys", "list"], ["keys", "create", "--email", "a@example.com", "--name", "x"], ["keys", "revoke", "1", "--yes"]],
)
def test_keys_before_migration_006_is_one_line(cli: Cli, native_db: TestDb, command: list[str]) -> None:
    before = state(native_db.dsn)
    one_line(cli(*command, "--dsn", native_db.dsn), 2, "does not exist: apply the migrations first")
    assert state(native_db.dsn) == before
    one_line(keys_check(native_db.dsn, "obs_whatever"), 2, "does not exist: apply the migrations first")


# --- migration folders and ledger ------------------------------------------------------------------------------

BAD_FILES = [
    ("abc_x.sql", b"CREATE TABLE bad_name (id int);", "bad migration file name 'abc_x.sql'"),
    ("-1_negative.sql", b"CREATE TABLE bad_name (id int);", "bad migration file name '-1_negative.sql'"),
    ("004_latin1.sql", "CREATE TABLE caf\u00e9 (id int);".encode("latin-1"), "004_latin1.sql is not UTF-8"),
    ("004_empty.sql", b"", "004_empty.sql is empty"),
    ("004_comments.sql", b"-- only a comment\n/* and another */\n", "004_comments.sql is empty"),
    ("003_b.sql", b"CREATE TABLE dup (id int);", "duplicate migration version 3: 003_b.sql and 003_"),
]


@pytest.mark.parametrize(("name", "content", "needle"), BAD_FILES)
def test_bad_migration_file_refuses_everything(
    cli: Cli, native_db: TestDb, tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    folder = folder_with(tmp_path)
    (folder / name).write_bytes(content)
    before = state(native_db.dsn)
    for command in (["migrate", "--to", "3"], ["status"]):
        one_line(cli(*command, "--dsn", native_db.dsn, "--dir", str(folder)), 2, needle)
    assert state(native_db.dsn) == before and before.ledger is None


def test_missing_migrations_folder_is_one_line(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    one_line(cli("migrate", "--dsn", native_db.dsn, "--dir", str(tmp_path / "nope")), 2, "migrations folder not found")
    assert state(native_db.dsn).ledger is None


def test_tampered_ledger_checksum_refuses_migrate_and_status_says_drifted(
    cli: Cli, native_db: TestDb, tmp_path: Path
) -> None:
    folder = folder_with(tmp_path, "1236")
    assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder), "--to", "3").code == 0
    with psycopg.connect(native_db.dsn) as conn:
        conn.execute("UPDATE _sqlx_migrations SET checksum = '\\x00' WHERE version = 2")
    before = state(native_db.dsn)
    refused = cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder))
    one_line(refused, 2, "002_add_hypertables.sql was edited after it was applied", "nothing was applied")
    assert state(native_db.dsn) == before
    assert before.users is None, "006 (pending) was not applied"
    assert before.ledger is not None and [r[2] for r in before.ledger if r[0] == 2] == [b"\x00"]
    status = cli("status", "--dsn", native_db.dsn, "--dir", str(folder), "--json")
    assert status.code == 1 and "Traceback" not in status.output
    rows = {m["version"]: (m["state"], m["checksum"]) for m in json.loads(status.stdout)["migrations"]}
    assert rows == {1: ("applied", "ok"), 2: ("applied", "DRIFTED"), 3: ("applied", "ok"), 6: ("pending", "-")}
    table = cli("status", "--dsn", native_db.dsn, "--dir", str(folder))
    assert table.code == 1 and "DRIFTED" in table.stdout
    assert state(native_db.dsn) == before


def test_a_quoted_migration_description_is_stored_as_data(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    (folder / "004_it's_a_'quote';_DROP_TABLE_llm_traces.sql").write_text("CREATE TABLE quoted_ok (id int);\n")
    assert cli("migrate", "--dsn", native_db.dsn, "--dir", str(folder)).code == 0
    with psycopg.connect(native_db.dsn) as conn:
        rows = conn.execute("SELECT version, description FROM _sqlx_migrations WHERE version = 4").fetchall()
        traces = conn.execute("SELECT to_regclass('llm_traces') IS NOT NULL").fetchone()
    assert rows == [(4, "it's a 'quote'; DROP TABLE llm traces")] and traces == (True,)


# --- flags -----------------------------------------------------------------------------------------------------

MIGRATE_FLAGS = [
    (["--lock-timeout", "0"], "--lock-timeout '0': must be greater than zero"),
    (["--statement-timeout", "-5s"], "--statement-timeout '-5s': must be greater than zero"),
    (["--statement-timeout", "25h"], "--statement-timeout '25h': must be at most 24h"),
    (["--lock-wait", "abc"], "--lock-wait 'abc': not a duration"),
    (["--to", "0"], "--to 0: no migration has that version"),
    (["--to", "-3"], "--to -3: no migration has that version"),
    (["--to", "99"], "--to 99: no migration has that version (known: 001, 002, 003, 004, 005, 006, 007)"),
]


@pytest.mark.parametrize(("flags", "needle"), MIGRATE_FLAGS)
def test_out_of_range_migrate_flags_are_one_line_and_apply_nothing(
    cli: Cli, native_db: TestDb, flags: list[str], needle: str
) -> None:
    one_line(cli("migrate", "--dsn", native_db.dsn, *flags), 2, needle)
    assert state(native_db.dsn).ledger is None


def test_out_of_range_verify_flag_is_one_line(cli: Cli, native_db: TestDb) -> None:
    one_line(cli("verify", "--dsn", native_db.dsn, "--check-timeout", "0ms"), 2, "--check-timeout '0ms'")


KEYS_CREATE_FLAGS = [
    (["--rate-limit", "0"], "--rate-limit 0: must be between 1 and 1000000"),
    (["--rate-limit", "1000001"], "--rate-limit 1000001: must be between 1 and 1000000"),
    (["--expires-in-days", "0"], "--expires-in-days 0: must be between 1 and 3650"),
    (["--expires-in-days", "-7"], "--expires-in-days -7: must be between 1 and 3650"),
    (["--email", "x' OR '1'='1"], "--email \"x' OR '1'='1\": not an email address"),
    (["--email", "@example.com"], "--email '@example.com': not an email address"),
    (["--scopes", "read;DROP TABLE users"], "is not a scope name"),
]


def test_out_of_range_keys_create_flags_are_one_line_and_create_nothing(cli: Cli, keys_db: TestDb) -> None:
    before = state(keys_db.dsn)
    for flags, needle in KEYS_CREATE_FLAGS:
        args = {"--email": "new@example.com", "--name": "x", **dict(zip(flags[::2], flags[1::2], strict=True))}
        one_line(cli("keys", "create", "--dsn", keys_db.dsn, *[x for kv in args.items() for x in kv]), 2, needle)
        assert state(keys_db.dsn) == before, flags


@pytest.mark.parametrize("sub", ["start", "stop", "status"])
def test_unknown_engine_kind_is_one_line(cli: Cli, sub: str) -> None:
    one_line(cli("engine", sub, "--kind", "oracle"), 2, "unknown engine kind 'oracle': choose one of tsl, native")


# --- strings that look like SQL are data -------------------------------------------------------------------------


def test_sql_in_user_strings_is_treated_as_data(cli: Cli, keys_db: TestDb) -> None:
    before = state(keys_db.dsn)
    assert before.keys is not None and len(before.keys) == 1
    for email in ("x' OR '1'='1", "ops@example.com' --", "' OR 1=1; DROP TABLE users; --"):
        listed = cli("keys", "list", "--dsn", keys_db.dsn, "--email", email, "--json")
        assert listed.code == 0 and json.loads(listed.stdout) == {"keys": []}, listed.output
    for ref in ("1; DROP TABLE users", "' OR '1'='1", "1 OR 1=1", "obs_%"):
        revoked = cli("keys", "revoke", ref, "--yes", "--dsn", keys_db.dsn)
        one_line(revoked, 1, f"no active key with id or prefix {ref!r}")
    assert state(keys_db.dsn) == before, "nothing revoked, nothing dropped"
    email = "robert'); DROP TABLE users;--@example.com"
    name = "x'); DROP TABLE api_keys; --"
    created = cli("keys", "create", "--dsn", keys_db.dsn, "--email", email, "--name", name)
    assert created.code == 0, created.output
    listed = json.loads(cli("keys", "list", "--dsn", keys_db.dsn, "--email", email, "--json").stdout)["keys"]
    assert [(k["email"], k["name"], k["state"]) for k in listed] == [(email, name, "active")]
    after = state(keys_db.dsn)
    assert after.tables == before.tables and after.keys is not None and len(after.keys) == 2


def test_a_key_past_its_expiry_reports_expired(cli: Cli, keys_db: TestDb) -> None:
    created = cli("keys", "create", "--dsn", keys_db.dsn, "--email", "temp@example.com", "--name", "short",
                  "--expires-in-days", "1")
    assert created.code == 0, created.output
    key = created.stdout.strip()
    assert keys_check(keys_db.dsn, key).stdout.strip() == "active"
    with psycopg.connect(keys_db.dsn) as conn:
        conn.execute("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE key_prefix = %s",
                     (key[:12],))
    listed = json.loads(cli("keys", "list", "--dsn", keys_db.dsn, "--json").stdout)["keys"]
    assert sorted((k["email"], k["state"]) for k in listed) == [
        ("ops@example.com", "active"), ("temp@example.com", "expired")]
    expired = keys_check(keys_db.dsn, key)
    assert expired.code == 1 and expired.stdout.strip() == "expired"
    revoked = cli("keys", "revoke", key[:12], "--yes", "--dsn", keys_db.dsn)
    assert revoked.code == 0, revoked.output  # an expired key can still be revoked: it then reports revoked
    assert keys_check(keys_db.dsn, key).stdout.strip() == "revoked"


def test_usage_errors_are_one_line_exit_2(cli: Cli) -> None:
    """An unknown flag or command, a bad value, a missing one: one `obsconsole:` line naming it, no usage box."""
    one_line(cli("--bogus"), 2, "No such option: --bogus", "--help lists what it takes")
    one_line(cli("statsu"), 2, "No such command 'statsu'", "Did you mean 'status'?")
    one_line(cli("job", "pause", "abc"), 2, "job pause: Invalid value for 'job_id'")
    one_line(cli("chunk", "drop", "--read-only", "--table", "llm_logs"), 2, "chunk drop: No such option: --read-only")
    one_line(cli("verify", "--check-timeout"), 2, "'--check-timeout' requires an argument")
    shown = cli("job")  # a group without its command still shows its help
    assert shown.code == 2 and "pause" in shown.output and "Traceback" not in shown.output
