"""Parsing durations from flags: "500ms", "5s", "2min", "1h", or plain seconds."""

from __future__ import annotations

import re

from console.infra.errors import ConsoleError

_UNITS_MS = {"ms": 1, "s": 1_000, "sec": 1_000, "min": 60_000, "m": 60_000, "h": 3_600_000}
_DURATION = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(ms|s|sec|min|m|h)?\s*$")


def parse_ms(text: str, flag: str) -> int:
    """Milliseconds for a positive duration; ConsoleError (exit 2) naming the flag otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ConsoleError(f"{flag} {text!r}: not a duration (use e.g. 500ms, 5s, 2min, 1h)")
    ms = round(float(match.group(1)) * _UNITS_MS[match.group(2) or "s"])
    if ms <= 0:
        raise ConsoleError(f"{flag} {text!r}: must be greater than zero")
    if ms > 86_400_000:
        raise ConsoleError(f"{flag} {text!r}: must be at most 24h")
    return ms
