"""Plain-text formatting of sizes, money, ratios and times, shared by the CLI renderings and the TUI."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal


def size(value: int | float) -> str:
    """Bytes in binary units: '512 B', '1.5 MiB'."""
    amount = float(value)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(amount) < 1024 or unit == "TiB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{value} B"


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


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


# C0 and C1 control characters, DEL, and the Unicode bidi controls that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` safe for a terminal: every control character (ESC, CR, BEL, bidi overrides, …) shown escaped,
    e.g. ESC as \\x1b, so data can never move the cursor, recolour, clear the screen or retitle the window."""
    return _CONTROL.sub(lambda m: _escape(m.group(0)), text)


def has_control(text: str) -> bool:
    """Whether `text` holds a character `printable` would escape."""
    return _CONTROL.search(text) is not None


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
