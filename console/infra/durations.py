"""Parsing durations from flags: "500ms", "5s", "2min", "1h", or plain seconds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

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


_INTERVAL_UNITS = {"s": "seconds", "sec": "seconds", "min": "minutes", "m": "minutes", "h": "hours", "d": "days",
                   "w": "weeks"}
# The unit words the app itself prints ("every 12 hours", "9 days", "5 minutes") and their usual short forms.
_UNIT_WORDS = {"second": "s", "seconds": "s", "secs": "s", "minute": "min", "minutes": "min", "mins": "min",
               "hour": "h", "hours": "h", "hr": "h", "hrs": "h", "day": "d", "days": "d", "week": "w", "weeks": "w"}
_INTERVAL = re.compile(r"^\s*(\d{1,6})\s*(s|sec|min|m|h|d|w|" + "|".join(_UNIT_WORDS) + r")\s*$", re.IGNORECASE)


def _unit(word: str) -> str:
    """The short unit for a unit as typed: 'Days' -> 'd', 'min' -> 'min'."""
    word = word.lower()
    return _UNIT_WORDS.get(word, word)


def parse_interval(text: str, flag: str) -> str:
    """A PostgreSQL interval ('7 days') for an age or period flag such as 7d, 12h, 10min, 2w, or as the app prints
    them: '9 days', '12 hours', '5 minutes', '1 day'; ConsoleError (exit 2) naming the flag otherwise."""
    match = _INTERVAL.match(text)
    if not match:
        raise ConsoleError(f"{flag} {text!r}: not an interval (use e.g. 10min, 12h, 7d, 2w, '5 minutes', '9 days')")
    if int(match.group(1)) <= 0:
        raise ConsoleError(f"{flag} {text!r}: must be greater than zero")
    return f"{int(match.group(1))} {_INTERVAL_UNITS[_unit(match.group(2))]}"


def parse_moment(text: str | None, flag: str) -> datetime | None:
    """A point in time for a window flag: ISO 8601 (a time without zone is UTC) or an age before now such as 2d;
    None for None. ConsoleError (exit 2) naming the flag otherwise."""
    if text is None:
        return None
    match = _INTERVAL.match(text)
    if match:
        unit = _INTERVAL_UNITS[_unit(match.group(2))]
        return datetime.now(UTC) - timedelta(**{unit: int(match.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConsoleError(f"{flag} {text!r}: not a time (use ISO 8601 such as 2026-11-20T00:00Z, or an age "
                           "such as 2d)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
