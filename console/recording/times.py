"""The times and periods the record and replay commands take: a period such as 60s, 7d; a moment as ISO 8601 (UTC
when it names no zone) or an age before now such as 2h."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from console.infra.durations import parse_moment
from console.infra.errors import ConsoleError

_UNITS = {"ms": "milliseconds", "s": "seconds", "sec": "seconds", "min": "minutes", "m": "minutes", "h": "hours",
          "d": "days", "w": "weeks"}
_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|min|m|h|d|w)\s*$")


def period(text: str, flag: str, *, at_least: timedelta = timedelta(seconds=1)) -> timedelta:
    """A positive period (60s, 10min, 7d); ConsoleError (exit 2) naming the flag otherwise."""
    match = _PERIOD.match(text)
    if not match:
        raise ConsoleError(f"{flag} {text!r}: not a period (use e.g. 60s, 10min, 12h, 7d)")
    value = timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    if value < at_least:
        raise ConsoleError(f"{flag} {text!r}: must be at least {at_least.total_seconds():g} s")
    return value


def moment(text: str, flag: str) -> datetime:
    """A moment: ISO 8601 or an age before now (2h, 3d)."""
    found = parse_moment(text, flag)
    assert found is not None
    return found
