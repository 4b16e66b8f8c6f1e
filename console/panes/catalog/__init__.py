"""The chunk catalog the chunk sizes and retention panes read (objects.py), the chunks' measured sizes (sizes.py),
the per-hypertable totals over them (totals.py) and the cache a console keeps of all three (cache.py)."""
