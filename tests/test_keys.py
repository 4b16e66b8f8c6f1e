"""`obsconsole keys`: the key is shown once, only its SHA-256 digest is stored, revoke is immediate."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import psycopg

from tests.conftest import CliResult, TestDb

Cli = Callable[..., CliResult]


def check(cli: Cli, dsn: str, key: str) -> CliResult:
    return cli("keys", "check", "--dsn", dsn, stdin=key + "\n")


def test_create_list_revoke_check(cli: Cli, tsl_migrated_db: TestDb) -> None:
    created = cli("keys", "create", "--dsn", tsl_migrated_db.dsn, "--email", "ops@example.com", "--name", "ingest-prod",
                  "--scopes", "ingest,read", "--expires-in-days", "90")
    assert created.code == 0, created.output
    key = created.stdout.strip()
    assert key.startswith("obs_") and len(key) > 40
    assert "created user ops@example.com" in created.stderr and key not in created.stderr

    with psycopg.connect(tsl_migrated_db.dsn, prepare_threshold=None) as conn:
        stored = conn.execute("SELECT key_hash, key_prefix, scopes FROM api_keys").fetchall()
        dump = conn.execute("SELECT string_agg(t::text, ' ') FROM api_keys t").fetchone()
    assert [(bytes(stored[0][0]), stored[0][1], stored[0][2])] == [
        (hashlib.sha256(key.encode()).digest(), key[:12], ["ingest", "read"])
    ]
    assert dump is not None and key not in str(dump[0]) and key[12:] not in str(dump[0])

    listed = cli("keys", "list", "--dsn", tsl_migrated_db.dsn, "--json")
    rows = json.loads(listed.stdout)["keys"]
    assert [(r["key_prefix"], r["name"], r["email"], r["scopes"], r["state"]) for r in rows] == [
        (key[:12], "ingest-prod", "ops@example.com", ["ingest", "read"], "active")
    ]
    assert key[12:] not in listed.stdout and "key_hash" not in listed.stdout

    assert check(cli, tsl_migrated_db.dsn, key).stdout.strip() == "active"
    refused = cli("keys", "revoke", key[:12], "--dsn", tsl_migrated_db.dsn)
    assert refused.code == 2 and "needs confirmation" in refused.stderr
    revoked = cli("keys", "revoke", key[:12], "--yes", "--dsn", tsl_migrated_db.dsn)
    assert revoked.code == 0 and f"revoked key {rows[0]['id']}" in revoked.stdout
    after = check(cli, tsl_migrated_db.dsn, key)
    assert after.code == 1 and after.stdout.strip() == "revoked"
    assert check(cli, tsl_migrated_db.dsn, key + "x").stdout.strip() == "unknown"
    again = cli("keys", "revoke", key[:12], "--yes", "--dsn", tsl_migrated_db.dsn)
    assert again.code == 1 and "no active key" in again.stderr


def test_bad_scopes_are_refused(cli: Cli, native_db: TestDb) -> None:
    result = cli("keys", "create", "--dsn", native_db.dsn, "--email", "a@b.c", "--name", "x",
                 "--scopes", "read,DROP TABLE users")
    assert result.code == 2 and "is not a scope name" in result.stderr
