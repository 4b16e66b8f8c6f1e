-- Drop a hypertable's chunks whose whole range ends before the cutoff (the preview listed them).
SELECT drop_chunks(%(hypertable)s::regclass, older_than => %(cutoff)s::timestamptz)
