"""`obsconsole bench`: ingest throughput of the seeder's bulk path against psql \\copy, query latency, plans.

service.py  the measurements (returns a BenchResult)
explain.py  which indexes a plan uses (EXPLAIN (FORMAT JSON))
render.py   rich tables and the JSON file
"""
