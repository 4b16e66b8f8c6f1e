"""Parsing durations, ages and moments from flags: "500ms", "5s", "2min", "1h", or plain seconds; "7d", "2w";
ISO 8601 times. Ages and moments are checked against the dates the console handles: Python's datetime range
(years 1 to 9999, which lies inside PostgreSQL's timestamptz range of 4713 BC to 294276 AD), less a week at each
end so rounding to a bucket or a day stays inside."""

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


EARLIEST = datetime(1, 1, 8, tzinfo=UTC)
LATEST = datetime(9999, 12, 24, tzinfo=UTC)
RANGE = f"{EARLIEST.date().isoformat()} to {LATEST.date().isoformat()} UTC"


def in_range(moment: datetime, flag: str, text: str) -> datetime:
    """`moment` (naive = UTC) as an aware UTC time; ConsoleError (exit 2) naming the flag when it lies outside
    EARLIEST..LATEST."""
    try:
        aware = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        aware = None
    if aware is None or not EARLIEST <= aware <= LATEST:
        raise ConsoleError(f"{flag} {text!r}: out of range (the console handles {RANGE})")
    return aware


def reach_back(moment: datetime, amount: timedelta, flag: str, text: str) -> datetime:
    """`moment - amount`; ConsoleError (exit 2) naming the flag when that lies before EARLIEST."""
    try:
        earlier = moment - amount
    except OverflowError:
        earlier = None
    if earlier is None or earlier < EARLIEST:
        raise ConsoleError(f"{flag} {text!r}: out of range (it reaches back before {EARLIEST.date().isoformat()};"
                           f" the console handles {RANGE})")
    return earlier


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
    """A PostgreSQL interval ('7 days', '1 hour') for an age or period flag such as 7d, 12h, 10min, 2w, or as the
    app prints them: '9 days', '12 hours', '5 minutes', '1 day'; ConsoleError (exit 2) naming the flag otherwise."""
    match = _INTERVAL.match(text)
    if not match:
        raise ConsoleError(f"{flag} {text!r}: not an interval (use e.g. 10min, 12h, 7d, 2w, '5 minutes', '9 days')")
    if int(match.group(1)) <= 0:
        raise ConsoleError(f"{flag} {text!r}: must be greater than zero")
    amount, unit = int(match.group(1)), _INTERVAL_UNITS[_unit(match.group(2))]
    reach_back(datetime.now(UTC), timedelta(**{unit: amount}), flag, text)
    return f"{amount} {unit.removesuffix('s') if amount == 1 else unit}"


def parse_moment(text: str | None, flag: str) -> datetime | None:
    """A point in time for a window flag: ISO 8601 (a time without zone is UTC) or an age before now such as 2d;
    None for None. ConsoleError (exit 2) naming the flag otherwise."""
    if text is None:
        return None
    match = _INTERVAL.match(text)
    if match:
        unit = _INTERVAL_UNITS[_unit(match.group(2))]
        return reach_back(datetime.now(UTC), timedelta(**{unit: int(match.group(1))}), flag, text)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConsoleError(f"{flag} {text!r}: not a time (use ISO 8601 such as 2026-11-20T00:00Z, or an age "
                           "such as 2d)") from None
    return in_range(moment, flag, text)
