"""Every piece of text formatting the console shows, in one place, so the CLI and the TUI say the same thing:
sizes, money, ratios, percentages, durations and intervals in words, times with their zone, and data made safe
for a terminal (control characters shown escaped)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from console.infra import clock as local_clock

# C0 and C1 control characters (ESC, CSI, BEL, …) except tab; DEL too; and the Unicode bidi controls that
# reorder what a terminal shows (U+202E makes "evil.exe" read "exe.live").
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character shown escaped (\\x1b, \\n, …): data from the database or the user
    never reaches the terminal as a control sequence."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def one_line(text: str) -> str:
    """`text` with its whitespace runs (newlines included) as one space, then escaped as `printable` does."""
    return printable(" ".join(text.split()))


def has_control(text: str) -> bool:
    """Whether `text` holds a character `printable` would escape."""
    return _CONTROL.search(text) is not None


def size(value: int | float) -> str:
    """Bytes in binary units: '512 B', '1.5 MiB'."""
    amount = float(value)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(amount) < 1024 or unit == "TiB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{value} B"


def when(value: datetime | None) -> str:
    """A moment in UTC, saying so: '2026-11-25 14:00 UTC' ('' for None)."""
    if value is None:
        return ""
    moment = value.astimezone(UTC) if value.tzinfo is not None else value
    zone = " UTC" if value.tzinfo is not None else ""
    return f"{moment:%Y-%m-%d %H:%M}{zone}"


def when_short(value: datetime | None) -> str:
    """A moment near now in UTC, saying so, without the year: '11-25 14:00 UTC' ('' for None)."""
    if value is None:
        return ""
    return f"{value.astimezone(UTC):%m-%d %H:%M} UTC"


def clock(value: datetime) -> str:
    """A time of day in UTC, saying so: '14:05:09 UTC'."""
    return f"{value.astimezone(UTC):%H:%M:%S} UTC"


def ratio(value: float | None) -> str:
    return f"{value:.2f}x" if value is not None else ""


def pct(value: float | None) -> str:
    return f"{value:.1f}%" if value is not None else ""


def change(value: float | None) -> str:
    return f"{value:+.1f}%" if value is not None else "n/a"


def usd(value: Decimal | None, places: int = 4) -> str:
    """USD amount; 'unknown' for None (an unknown price is never shown as zero)."""
    return f"{value:.{places}f}" if value is not None else "unknown"


def short_duration(value: timedelta | None) -> str:
    """'45 s', '12 min', '3.5 h', '4.2 d'."""
    if value is None:
        return ""
    seconds = value.total_seconds()
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 120:
        return f"{sign}{seconds:.0f} s"
    if seconds < 7200:
        return f"{sign}{seconds / 60:.0f} min"
    if seconds < 172_800:
        return f"{sign}{seconds / 3600:.1f} h"
    return f"{sign}{seconds / 86_400:.1f} d"


def since(moment: datetime) -> str:
    """'42 s' / '3 min' / '2 h' since `moment` (by the local clock)."""
    seconds = max(0, int((local_clock.now() - moment).total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60} min" if seconds < 7200 else f"{seconds // 3600} h"


# Interval text in IntervalStyle postgres (set per pane): "7 days", "1 mon", "1 year 2 mons 3 days 04:05:06",
# "-00:30:00", "00:00:00.5".
_PART = re.compile(r"(-?\d+) (year|years|mon|mons|day|days)\b")
_CLOCK = re.compile(r"(-)?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_UNIT_WORDS = {"year": "year", "years": "year", "mon": "month", "mons": "month", "day": "day", "days": "day"}


def interval_words(text: str | None) -> str | None:
    """An interval's text as words: "01:00:00" -> "1 hour", "1 mon" -> "1 month", "2 days 03:30:00" ->
    "2 days 3 hours 30 minutes". Text that is not an interval (an integer-time policy's number) is returned
    as it is; None stays None."""
    if text is None:
        return None
    rest = text.strip()
    clock = _CLOCK.search(rest)
    if not clock and not _PART.search(rest):
        return rest
    words: list[str] = []
    for number, unit in _PART.findall(rest):
        words.append(_plural(int(number), _UNIT_WORDS[unit]))
    if clock:
        sign = "-" if clock.group(1) else ""
        hours, minutes, seconds = int(clock.group(2)), int(clock.group(3)), float(clock.group(4))
        for value, unit in ((hours, "hour"), (minutes, "minute")):
            if value:
                words.append(sign + _plural(value, unit))
        if seconds:
            shown = f"{seconds:g}"
            words.append(f"{sign}{shown} {'second' if shown == '1' else 'seconds'}")
    return " ".join(words) or "0 seconds"


def _plural(value: int, unit: str) -> str:
    return f"{value} {unit}" if abs(value) == 1 else f"{value} {unit}s"


def duration_words(value: timedelta) -> str:
    """A timedelta as words: to the minute from an hour on ("4 days 11 hours 39 minutes"), to the second below,
    in milliseconds below a second."""
    sign = "-" if value < timedelta(0) else ""
    total = abs(value)
    days, seconds = total.days, total.seconds
    parts = [(days, "day"), (seconds // 3600, "hour"), (seconds // 60 % 60, "minute")]
    if total < timedelta(hours=1):
        parts.append((seconds % 60, "second"))
    words = [_plural(n, unit) for n, unit in parts if n]
    if not words and total:
        return f"{sign}{total / timedelta(milliseconds=1):.0f} ms"
    return sign + " ".join(words) if words else "0 seconds"
