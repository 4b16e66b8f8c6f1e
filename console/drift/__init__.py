"""Drift by replay: the migrations replayed into a scratch engine, compared catalog to catalog with a database."""
