"""`obsconsole seed`: deterministic synthetic LLM spans, logs and metrics for a TimescaleDB observability store.

generator.py  pure and deterministic (random.Random only): spans, correlated logs, hourly metrics
pricing.py    effective-dated prices (model_pricing, or the list in migration 006 when the table is absent)
writers.py    the bulk paths: binary COPY (native, optionally parallel) or small unnest() INSERTs (tsl engine)
aftercare.py  after seeding on Community: refresh the continuous aggregates, run each policy job once
service.py    what the CLI calls: check the target, choose the path, write, aftercare; returns a SeedResult
"""
