-- 007: cache-read and cache-write prices on model_pricing (nullable, USD per 1,000 tokens).
--
-- Plain PostgreSQL (ALTER TABLE only: works on the Apache edition too). Runs inside the runner's transaction;
-- safe to re-run (ADD COLUMN IF NOT EXISTS skips the column and its CHECK when the column is there).
-- 001-006 stay byte for byte as they were: their sqlx checksums are in users' ledgers.
--
-- A span's input cost (OTel rule: input_tokens INCLUDES the cached tokens):
--   (input_tokens - cache_read_input_tokens - cache_creation_input_tokens) x input_price_per_1k_usd / 1000
--   + cache_read_input_tokens     x COALESCE(cache_read_price_per_1k_usd,  input_price_per_1k_usd) / 1000
--   + cache_creation_input_tokens x COALESCE(cache_write_price_per_1k_usd, input_price_per_1k_usd) / 1000
-- NULL = the cache rate is not known: cached tokens are charged at the input rate, as before this migration.
-- cache_write is the provider's standard (Anthropic: 5-minute) cache-write rate; `obsconsole prices sync` fills
-- both from the genai-prices catalog.

ALTER TABLE model_pricing
    ADD COLUMN IF NOT EXISTS cache_read_price_per_1k_usd NUMERIC
        CONSTRAINT ck_model_pricing_cache_read_nonneg CHECK (cache_read_price_per_1k_usd >= 0);

ALTER TABLE model_pricing
    ADD COLUMN IF NOT EXISTS cache_write_price_per_1k_usd NUMERIC
        CONSTRAINT ck_model_pricing_cache_write_nonneg CHECK (cache_write_price_per_1k_usd >= 0);

COMMENT ON COLUMN model_pricing.cache_read_price_per_1k_usd IS
    'USD per 1,000 input tokens read from the provider''s prompt cache; NULL = unknown (charged at the input rate).';

COMMENT ON COLUMN model_pricing.cache_write_price_per_1k_usd IS
    'USD per 1,000 input tokens written to the provider''s prompt cache; NULL = unknown (charged at the input rate).';

COMMENT ON TABLE model_pricing IS
    'LLM list prices in USD per 1,000 input/output tokens, effective from effective_date (UTC) until the next '
    'row for the same provider and model. Standard-tier rates (the base tier of tiered prices); cache-read and '
    'cache-write rates since migration 007 (NULL = unknown).';
