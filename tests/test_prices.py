"""`obsconsole prices sync|list` and migration 007 against both real engines, through the installed CLI: the
catalog's prices (genai-prices' bundled snapshot) inserted as effective-dated rows, never updating history; a
second sync inserts nothing; 001-006 stay byte for byte; costs agree with the package's own calc_price()."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from genai_prices import Usage, calc_price

from console.infra.resources import MIGRATIONS_DIR
from tests.conftest import CliResult, TestDb

Cli = Callable[..., CliResult]
# SHA-384 (sqlx's checksum) of 001-006 as released: users' ledgers hold these; 007 must not change them.
RELEASED = {
    "001_initial_schema.sql":
        "9e4c8d0e79d46e6b2c8af8ef2a16d9661fea0323645154db0213b4c8752db79bc79eac4ff84d6afcc2b437d45c81bf1c",
    "002_add_hypertables.sql":
        "b5dae6609dc9801a3e8f5596de3adf80167bf4cf457f140775fc40ba973d6a95dd504229bd6d9a254f6c9faf5d715c09",
    "003_create_indexes.sql":
        "4efb83db8dd03318fc6c39a519fc04f1518c1696d9395122dfe36f8310ac75f60fbab9d28e82e239b6c10ad8509c01d2",
    "004_continuous_aggregates.sql":
        "bafa3dc36474748fd8788928f0c0c62254a0b5fd7292da14d0e10d7cbfe5abadcf1d1d229f51c58bac7c0fab1977e068",
    "005_retention_policies.sql":
        "f3a0d7b4ef50880f47a20b9487082ee4204270daa4a44e428dd7dc53487ebd6951a8d05ba0b19ea997e080a5d3251a8a",
    "006_supporting_tables.sql":
        "e00504f71e1abc556d59d584c2ef2b80edde8926357bd577d5e7681433c431f931ac465e81a573aa59467466f7140209",
}
# Seeded spans against the model_pricing row in force on their UTC date, cache rates included (NULL: input rate).
SEEDED_COSTS = """
SELECT count(*) FILTER (WHERE t.input_cost_usd IS DISTINCT FROM
           ((t.input_tokens - t.cache_read_input_tokens - t.cache_creation_input_tokens) * p.inp
            + t.cache_read_input_tokens * COALESCE(p.crd, p.inp)
            + t.cache_creation_input_tokens * COALESCE(p.cwr, p.inp)) / 1000
         OR t.output_cost_usd IS DISTINCT FROM t.output_tokens * p.outp / 1000),
       count(*) FILTER (WHERE t.cache_read_input_tokens > 0 AND p.crd < p.inp),
       count(*) FILTER (WHERE t.cache_creation_input_tokens > 0 AND p.cwr > p.inp),
       count(DISTINCT t.model)
FROM llm_traces t
LEFT JOIN LATERAL (
    SELECT mp.input_price_per_1k_usd AS inp, mp.output_price_per_1k_usd AS outp,
           mp.cache_read_price_per_1k_usd AS crd, mp.cache_write_price_per_1k_usd AS cwr
    FROM model_pricing mp
    WHERE mp.provider = t.provider AND mp.model = t.model AND mp.effective_date <= (t.ts AT TIME ZONE 'UTC')::date
    ORDER BY mp.effective_date DESC
    LIMIT 1) p ON true
"""
ROWS = ("SELECT provider, model, input_price_per_1k_usd, output_price_per_1k_usd, cache_read_price_per_1k_usd,"
        " cache_write_price_per_1k_usd, effective_date, id FROM model_pricing ORDER BY id")


def rows(dsn: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(ROWS).fetchall()


def rows_006(dsn: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT * FROM model_pricing ORDER BY id").fetchall()


def sync_json(cli: Cli, dsn: str, *args: str) -> dict[str, Any]:
    result = cli("prices", "sync", "--dsn", dsn, "--json", *args)
    assert result.code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def one_line_refusal(result: CliResult, *expected: str) -> None:
    assert result.code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("obsconsole: "), result.stderr
    assert all(phrase in lines[0] for phrase in expected), result.stderr
    assert "Traceback" not in result.output


def test_migrations_001_to_006_are_byte_identical() -> None:
    found = {p.name: hashlib.sha384(p.read_bytes()).hexdigest() for p in sorted(MIGRATIONS_DIR.glob("00[1-6]_*.sql"))}
    assert found == RELEASED
    assert [p.name for p in sorted(MIGRATIONS_DIR.glob("007_*.sql"))] == ["007_cache_token_prices.sql"]


def test_tsl_sync_dry_run_sync_idempotent_list(cli: Cli, tsl_migrated_db: TestDb) -> None:
    dsn = tsl_migrated_db.dsn
    verify = json.loads(cli("verify", "--dsn", dsn, "--json").stdout)
    s11 = next(c for c in verify["checks"] if c["id"] == "S11")
    assert s11["status"] == "PASS" and "model_pricing 7" in s11["expected"], s11
    before = rows(dsn)
    assert len(before) == 26 and all(r[4] is None and r[5] is None for r in before), "007: NULL = unknown"

    dry = sync_json(cli, dsn, "--dry-run")
    assert dry["dry_run"] and dry["inserted"] == 0 and rows(dsn) == before, "a dry run changes nothing"
    changes = dry["changes"]
    assert len(changes) > 300 and dry["catalog"].startswith("genai-prices 0.2.3") and dry["newest_change"]
    by_name = {(c["provider"], c["model"], c["effective_date"]): c for c in changes}
    today = dry["today"]
    # A 006 name the catalog spells otherwise keeps the span's name; the catalog adds its cache prices.
    sonnet = by_name[("anthropic", "claude-sonnet-4", today)]
    assert sonnet["catalog_model"] == "anthropic/claude-sonnet-4-0"
    assert sonnet["old"] == {"input": "0.003", "output": "0.015", "cache_read": None, "cache_write": None}
    assert sonnet["new"] == {"input": "0.003", "output": "0.015", "cache_read": "0.0003", "cache_write": "0.00375"}
    # A dated price change of the catalog becomes a row on its own date.
    assert ("anthropic", "claude-sonnet-4-6", "2026-03-13") in by_name
    # Google's Claude models exist only on Vertex AI: stored under gcp.vertex_ai, never gcp.gemini.
    assert ("gcp.vertex_ai", "claude-sonnet-4-5", today) in by_name
    assert not any(p == "gcp.gemini" and m.startswith("claude") for p, m, _d in by_name)
    assert {"anthropic/claude-sonnet-4-5", "gcp.gemini/gemini-2.5-pro"} <= set(dry["tiered"])
    assert "deepseek/deepseek-chat" in dry["time_of_day"]
    assert dry["not_in_catalog"] == ["mistral_ai/mistral-small"]
    assert dry["kept"] == ["openai/o3 on 2025-06-10"], "a same-date row with other prices is left as it is"
    assert "openrouter" in dry["catalog_providers_skipped"]

    done = sync_json(cli, dsn)
    assert done["inserted"] == len(changes) and not done["dry_run"]
    after = rows(dsn)
    assert after[:26] == before, "history is never updated or deleted"
    assert len(after) == 26 + len(changes)
    # The stored rates are the package's: its calc_price() for 1M tokens equals ours x 1000.
    new = {(r[0], r[1]): r for r in after[26:] if r[6] == date.fromisoformat(today)}
    gpt = new[("openai", "gpt-4o")]
    price = calc_price(Usage(input_tokens=1_000_000, cache_read_tokens=400_000, output_tokens=1_000_000), "gpt-4o",
                       provider_id="openai")
    assert price.input_price == 600 * gpt[2] + 400 * gpt[4] and price.output_price == 1000 * gpt[3]

    again = sync_json(cli, dsn)
    assert again["changes"] == [] and again["inserted"] == 0 and rows(dsn) == after, "a second run inserts nothing"
    text = cli("prices", "sync", "--dsn", dsn)
    assert text.code == 0 and "inserted 0 model_pricing row(s)" in text.stdout
    assert "catalog: genai-prices 0.2.3" in text.stdout

    listed = cli("prices", "list", "--dsn", dsn, "--provider", "anthropic", "--json")
    assert listed.code == 0, listed.output
    prices = {p["model"]: p for p in json.loads(listed.stdout)["prices"]}
    assert prices["claude-sonnet-4"]["rates"]["cache_read"] == "0.0003"
    assert prices["claude-sonnet-4"]["effective_date"] == today
    assert {p["provider"] for p in prices.values()} == {"anthropic"}
    every = json.loads(cli("prices", "list", "--dsn", dsn, "--json").stdout)["prices"]
    for columns in ("80", ""):  # a terminal 80 columns wide, and piped
        narrow = cli("prices", "list", "--dsn", dsn, extra_env={"COLUMNS": columns})
        assert narrow.code == 0 and "…" not in narrow.stdout
        lines = narrow.stdout.splitlines()
        assert max(len(line) for line in lines) <= 80, "fits 80 columns"
        starts = {line.split()[0] for line in lines[2:] if line and not line.startswith(" ")}
        assert {f"{p['provider']}/{p['model']}" for p in every} <= starts, "each name whole at the start of a line"

    # The seeder costs spans from the synced rows: cached input at the catalog's cache-read/-write rates.
    end = f"{date.fromisoformat(today) + timedelta(days=1)}T00:00Z"
    seeded = cli("seed", "--dsn", dsn, "--spans", "3000", "--days", "1", "--end", end, "--no-aftercare", "--json")
    assert seeded.code == 0, seeded.output
    notes = json.loads(seeded.stdout)["notes"]
    assert any("priced models have no cache prices in force" in n for n in notes), notes  # e.g. mistral-large
    with psycopg.connect(dsn, autocommit=True) as conn:
        mismatched, cheaper_reads, dearer_writes, models = conn.execute(SEEDED_COSTS).fetchone()  # type: ignore[misc]
        assert mismatched == 0 and cheaper_reads > 100 and dearer_writes > 0 and models == 25
        span = conn.execute("SELECT input_tokens, cache_read_input_tokens, output_tokens, total_cost_usd"
                            " FROM llm_traces WHERE model = 'gpt-4o' AND cache_read_input_tokens > 0"
                            " ORDER BY ts LIMIT 1").fetchone()
    assert span is not None
    usage = Usage(input_tokens=span[0], cache_read_tokens=span[1], output_tokens=span[2])
    assert calc_price(usage, "gpt-4o", provider_id="openai").total_price == span[3], "same as genai-prices"


def test_native_007_by_hand_models_seen_and_refusals(cli: Cli, native_db: TestDb) -> None:
    dsn = native_db.dsn
    assert cli("migrate", "--dsn", dsn, "--to", "3").code == 0
    one_line_refusal(cli("prices", "sync", "--dsn", dsn), "model_pricing is missing in this database")
    # Apache edition: migrate stops at 004 (Community features), so 006 and 007 never run through it there ...
    refused = cli("migrate", "--dsn", dsn)
    assert refused.code == 2 and "004_continuous_aggregates.sql needs TimescaleDB Community" in refused.stderr
    # ... but both are plain PostgreSQL: by hand they apply (007 is two ALTER TABLEs), and re-running is harmless.
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute((MIGRATIONS_DIR / "006_supporting_tables.sql").read_text())
    pre_007 = rows_006(dsn)
    # The dry run passes the same checks as the sync: before 007 both refuse (it used to promise 99 rows).
    for dry_run in ((), ("--dry-run",)):
        one_line_refusal(cli("prices", "sync", "--dsn", dsn, *dry_run),
                         f"prices sync{' --dry-run' if dry_run else ''} refused",
                         "model_pricing has no cache price columns: apply migration 007")
    assert rows_006(dsn) == pre_007
    with psycopg.connect(dsn, autocommit=True) as conn:
        for _twice in range(2):
            conn.execute((MIGRATIONS_DIR / "007_cache_token_prices.sql").read_text())
        for provider, model in (("anthropic", "claude-sonnet-4-5-20250929"), ("openai", "gpt-4o"),
                                ("acme", "mystery-1"), ("mistral_ai", "mistral-small")):
            conn.execute("INSERT INTO llm_traces (ts, trace_id, span_id, span_name, service_name, provider, model)"
                         " VALUES (now(), md5(%s), left(md5(%s), 16), 'chat', 'svc', %s, %s)",
                         (model, model, provider, model))
        plan = conn.execute("EXPLAIN " + (MIGRATIONS_DIR.parent / "queries/prices/models_seen.sql").read_text())
        assert "Index Only Scan" in "\n".join(str(r[0]) for r in plan), "models seen: a skip scan over an index"
    before = rows(dsn)
    one_line_refusal(cli("prices", "sync", "--dsn", dsn, "--provider", "acme"), "--provider 'acme' is not")
    one_line_refusal(cli("prices", "sync", "--dsn", dsn, "--provider", "openrouter"),
                     "the catalog has it, but it has no OpenTelemetry provider name")

    dry = sync_json(cli, dsn, "--models-seen", "--dry-run")
    assert rows(dsn) == before
    assert dry["unmapped_providers"] == ["acme/mystery-1"] and dry["not_in_catalog"] == ["mistral_ai/mistral-small"]
    assert {(c["provider"], c["model"]) for c in dry["changes"]} == {
        ("anthropic", "claude-sonnet-4-5-20250929"), ("openai", "gpt-4o")}, "only models the spans carry"
    done = sync_json(cli, dsn, "--models-seen")
    assert done["inserted"] == len(dry["changes"]) == 2 and rows(dsn)[: len(before)] == before
    snapshot_row = next(r for r in rows(dsn) if r[1] == "claude-sonnet-4-5-20250929")
    assert (snapshot_row[2], snapshot_row[4], snapshot_row[5]) == (Decimal("0.003"), Decimal("0.0003"),
                                                                   Decimal("0.00375"))
    assert sync_json(cli, dsn, "--models-seen")["inserted"] == 0
    text = cli("prices", "sync", "--dsn", dsn, "--models-seen", "--dry-run")
    assert "span providers the catalog does not know (1): acme/mystery-1" in text.stdout
    listed = json.loads(cli("prices", "list", "--dsn", dsn, "--json").stdout)
    assert listed["has_cache_columns"] and len(listed["prices"]) == 25, "006's 24 models + 1 seen"

    # An operator's read-only fence on the database is respected: the sync and its dry run refuse alike.
    database = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
        conn.execute("INSERT INTO model_pricing (provider, model, input_price_per_1k_usd, output_price_per_1k_usd,"
                     " effective_date) VALUES ('openai', E'evil\\x1b[31m-model', 1, 1, DATE '2026-01-01')")
    fenced = cli("prices", "sync", "--dsn", dsn, "--provider", "openai")
    one_line_refusal(fenced, "prices sync refused", "default_transaction_read_only = on", "on this database")
    one_line_refusal(cli("prices", "sync", "--dsn", dsn, "--provider", "openai", "--dry-run"),
                     "prices sync --dry-run refused", "default_transaction_read_only = on", "on this database")
    shown = cli("prices", "list", "--dsn", dsn, "--provider", "openai", extra_env={"COLUMNS": "80"})
    assert shown.code == 0 and "\x1b" not in shown.stdout and "evil\\x1b[31m-model" in shown.stdout
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET default_transaction_read_only = off")
        conn.execute(f'ALTER DATABASE "{database}" RESET default_transaction_read_only')
