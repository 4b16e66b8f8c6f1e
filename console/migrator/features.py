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


# Every pattern above contains one of these: a file holding none of them needs no Community feature.
_WORDS = ("timescaledb.", "continuous_aggregate", "compress", "columnstore", "_policy", "add_job")


def community_features(sql: str) -> list[str]:
    """The Community-only features `sql` uses (comments ignored), in a stable order. The raw text is searched
    first (plain substring tests), so a big file that needs none is never tokenized."""
    lowered = sql.lower()
    if not any(word in lowered for word in _WORDS):
        return []
    code = strip_comments(sql)
    return [name for name, pattern in _COMMUNITY_FEATURES.items() if pattern.search(code)]
