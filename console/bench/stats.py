"""Percentiles of timing samples."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """p50 / p95 / max of some milliseconds."""

    p50_ms: float
    p95_ms: float
    max_ms: float


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def spread(samples: list[float]) -> Spread:
    """The spread of `samples` (at least one)."""
    ordered = sorted(samples)
    return Spread(percentile(ordered, 50), percentile(ordered, 95), ordered[-1])
