"""Which TimescaleDB Community (TSL) features a migration needs, read from its SQL before it runs."""

from __future__ import annotations

import re

from console.migrator.sqlsplit import strip_comments

# Feature name -> what in the SQL needs it. These all fail on the Apache edition (SQLSTATE 0A000).
_COMMUNITY_FEATURES: dict[str, re.Pattern[str]] = {
    "continuous aggregates": re.compile(r"timescaledb\.continuous\b|refresh_continuous_aggregate", re.I),
    "compression": re.compile(
        r"timescaledb\.compress\b|\bcompress_chunk\s*\(|\bconvert_to_columnstore\b|timescaledb\.enable_columnstore",
        re.I,
    ),
    "policies (background jobs)": re.compile(
        r"\badd_(?:continuous_aggregate|compression|columnstore|retention|reorder)_policy\s*\(|\badd_job\s*\(",
        re.I,
    ),
}


def community_features(sql: str) -> list[str]:
    """The Community-only features `sql` uses (comments ignored), in a stable order."""
    code = strip_comments(sql)
    return [name for name, pattern in _COMMUNITY_FEATURES.items() if pattern.search(code)]
