"""Operator actions (jobs, chunks, aggregates, policies, backends): planned, gated, run and audited."""
