-- 001: core observability tables llm_traces (33 columns), llm_metrics (12), llm_logs (9).
--
-- Plain PostgreSQL DDL; 002 turns the three tables into TimescaleDB hypertables.
-- Runs inside the runner's transaction (no BEGIN/COMMIT here); safe to re-run (IF NOT EXISTS).
--
-- Column names follow the OpenTelemetry GenAI semantic conventions where one applies:
--   provider                    <- gen_ai.provider.name  (lower case: openai, anthropic, gcp.gemini, mistral_ai, ...)
--   request_model / model       <- gen_ai.request.model / gen_ai.response.model (model = the model that served
--                                  the call; ingest falls back to the request model when no response model is sent)
--   operation_name              <- gen_ai.operation.name (chat, text_completion, embeddings, execute_tool, ...)
--   input_tokens/output_tokens  <- gen_ai.usage.input_tokens / gen_ai.usage.output_tokens
--   cache_*_input_tokens        <- gen_ai.usage.cache_read.input_tokens / gen_ai.usage.cache_creation.input_tokens
--   reasoning_output_tokens     <- gen_ai.usage.reasoning.output_tokens
--   finish_reason               <- first of gen_ai.response.finish_reasons; response_id <- gen_ai.response.id
--   session_id                  <- gen_ai.conversation.id; error_type <- error.type; server_address <- server.address
--   time_to_first_token_ms      <- gen_ai.response.time_to_first_chunk (converted to milliseconds)
-- Token rule (OTel): input_tokens INCLUDES cached tokens; cache read/creation are subsets of input_tokens and
-- reasoning tokens a subset of output_tokens. They are never added on top (CHECKs below enforce the subsets).
-- Cost rule: costs are USD; NULL means "no known price for this model at this time", never 0.

CREATE TABLE IF NOT EXISTS llm_traces (
    ts                          TIMESTAMPTZ      NOT NULL,              -- span start time
    trace_id                    TEXT             NOT NULL,              -- W3C trace id (32 hex chars)
    span_id                     TEXT             NOT NULL,              -- W3C span id (16 hex chars)
    parent_span_id              TEXT,                                   -- NULL for a root span
    span_name                   TEXT             NOT NULL,              -- e.g. 'chat gpt-4o'
    span_kind                   TEXT             NOT NULL DEFAULT 'client',
    service_name                TEXT             NOT NULL,              -- resource service.name
    operation_name              TEXT             NOT NULL DEFAULT 'chat',
    provider                    TEXT             NOT NULL,
    request_model               TEXT,
    model                       TEXT             NOT NULL,              -- served (response) model
    response_id                 TEXT,
    input_tokens                INTEGER,
    output_tokens               INTEGER,
    total_tokens                INTEGER,
    cache_read_input_tokens     INTEGER,
    cache_creation_input_tokens INTEGER,
    reasoning_output_tokens     INTEGER,
    input_cost_usd              NUMERIC,                                -- NULL = price unknown
    output_cost_usd             NUMERIC,
    total_cost_usd              NUMERIC,
    duration_ms                 DOUBLE PRECISION,
    time_to_first_token_ms      DOUBLE PRECISION,                       -- streaming calls only
    finish_reason               TEXT,                                   -- stop, length, tool_calls, ...
    status                      TEXT             NOT NULL DEFAULT 'unset',  -- OTel status code
    error_type                  TEXT,
    error_message               TEXT,
    user_id                     TEXT,                                   -- end user of the calling app
    session_id                  TEXT,
    environment                 TEXT,                                   -- deployment.environment.name
    server_address              TEXT,
    attributes                  JSONB            NOT NULL DEFAULT '{}'::jsonb,  -- remaining span attributes
    tags                        TEXT[]           NOT NULL DEFAULT '{}',
    CONSTRAINT llm_traces_pkey PRIMARY KEY (ts, trace_id, span_id),
    CONSTRAINT ck_llm_traces_span_kind
        CHECK (span_kind IN ('internal', 'server', 'client', 'producer', 'consumer')),
    CONSTRAINT ck_llm_traces_status CHECK (status IN ('unset', 'ok', 'error')),
    CONSTRAINT ck_llm_traces_tokens_nonneg CHECK (
        input_tokens >= 0 AND output_tokens >= 0 AND total_tokens >= 0
        AND cache_read_input_tokens >= 0 AND cache_creation_input_tokens >= 0
        AND reasoning_output_tokens >= 0),
    CONSTRAINT ck_llm_traces_cache_subset_of_input CHECK (
        COALESCE(cache_read_input_tokens, 0) + COALESCE(cache_creation_input_tokens, 0)
            <= COALESCE(input_tokens, 2147483647)),
    CONSTRAINT ck_llm_traces_reasoning_subset_of_output CHECK (
        reasoning_output_tokens <= COALESCE(output_tokens, 2147483647)),
    CONSTRAINT ck_llm_traces_costs_nonneg CHECK (
        input_cost_usd >= 0 AND output_cost_usd >= 0 AND total_cost_usd >= 0),
    CONSTRAINT ck_llm_traces_latency_nonneg CHECK (
        duration_ms >= 0 AND time_to_first_token_ms >= 0),
    CONSTRAINT ck_llm_traces_attributes_object CHECK (jsonb_typeof(attributes) = 'object')
);

COMMENT ON TABLE llm_traces IS
    'One row per LLM span (OpenTelemetry GenAI conventions). Hypertable on ts (1-day chunks). '
    'input_tokens includes the cache_* counts; costs in USD, NULL when no price is known (never 0).';

-- Metric points exported by SDKs/collectors (gen_ai.client.token.usage, gen_ai.client.operation.duration, ...).
-- Counters and gauges use value; histograms/summaries use value = sum plus sample_count/min_value/max_value.
CREATE TABLE IF NOT EXISTS llm_metrics (
    ts           TIMESTAMPTZ      NOT NULL,
    metric_name  TEXT             NOT NULL,              -- e.g. 'gen_ai.client.token.usage'
    provider     TEXT             NOT NULL,
    model        TEXT             NOT NULL,
    metric_type  TEXT             NOT NULL DEFAULT 'gauge',
    unit         TEXT,                                   -- UCUM-style unit: 's', 'ms', '{token}', 'USD'
    environment  TEXT,
    value        DOUBLE PRECISION NOT NULL,
    sample_count BIGINT,
    min_value    DOUBLE PRECISION,
    max_value    DOUBLE PRECISION,
    attributes   JSONB            NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT llm_metrics_pkey PRIMARY KEY (ts, metric_name, provider, model),
    CONSTRAINT ck_llm_metrics_type CHECK (metric_type IN ('counter', 'gauge', 'histogram', 'summary')),
    CONSTRAINT ck_llm_metrics_sample_count_nonneg CHECK (sample_count >= 0)
);

COMMENT ON TABLE llm_metrics IS
    'Pre-aggregated LLM metric points (counters, gauges, histograms). Hypertable on ts (1-hour chunks).';

-- Structured logs, correlated to spans. The spec's key is (ts, trace_id, span_id): a log line that belongs to
-- no span is stored with trace_id = '' and span_id = '' (the defaults).
CREATE TABLE IF NOT EXISTS llm_logs (
    ts           TIMESTAMPTZ NOT NULL,
    trace_id     TEXT        NOT NULL DEFAULT '',
    span_id      TEXT        NOT NULL DEFAULT '',
    service_name TEXT        NOT NULL,
    provider     TEXT,
    model        TEXT,
    log_level    TEXT        NOT NULL,                -- OTel severity text, lower case
    message      TEXT        NOT NULL,
    attributes   JSONB       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT llm_logs_pkey PRIMARY KEY (ts, trace_id, span_id),
    CONSTRAINT ck_llm_logs_level CHECK (log_level IN ('trace', 'debug', 'info', 'warn', 'error', 'fatal'))
);

COMMENT ON TABLE llm_logs IS
    'Structured application logs correlated with spans by trace_id/span_id (empty strings when uncorrelated). '
    'Hypertable on ts (1-day chunks).';
