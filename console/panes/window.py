"""The cost pane's window: the last N hours/days up to now, or an explicit [start, end)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from console.infra.durations import EARLIEST, RANGE

_WINDOW = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$")
_UNITS = {"m": timedelta(minutes=1), "min": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1),
          "w": timedelta(weeks=1)}


def parse_window(text: str) -> timedelta:
    """'1h', '24h', '7d', '30d', '90min', '2w' -> timedelta. ValueError otherwise."""
    match = _WINDOW.match(text)
    if not match or int(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a window length (use e.g. 1h, 24h, 7d, 30d)")
    length = int(match.group(1)) * _UNITS[match.group(2)]
    if length >= datetime.now(UTC) - EARLIEST:
        raise ValueError(f"{text!r} is out of range (it reaches back before {EARLIEST.date().isoformat()}; the "
                         f"console handles {RANGE})")
    return length


@dataclass(frozen=True)
class CostWindow:
    """The window to report: the last `length` up to the server's now, or [start, end) when both are given."""

    length: timedelta = timedelta(hours=24)
    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def last(cls, text: str) -> CostWindow:
        return cls(parse_window(text))

    @classmethod
    def between(cls, start: datetime, end: datetime) -> CostWindow:
        if end <= start:
            raise ValueError("the window's end must be after its start")
        return cls(end - start, start, end)

    def bounds(self, now: datetime, watermark: datetime | None = None,
               bucket: timedelta = timedelta(hours=1)) -> tuple[datetime, datetime]:
        """[start, end) in whole buckets. The last `length`: the latest whole buckets that are complete at `now`
        and materialized (before `watermark`), so the window always holds length/bucket buckets and moves by a
        whole bucket; an explicit [start, end) is widened to bucket boundaries."""
        if self.end is not None and self.start is not None:
            return floor(self.start, bucket), ceil(self.end, bucket)
        end = floor(now, bucket)
        if watermark is not None:
            end = min(end, floor(watermark, bucket))
        return end - ceil_length(self.length, bucket), end


def floor(moment: datetime, bucket: timedelta) -> datetime:
    """`moment` down to a bucket boundary (buckets counted from the Unix epoch in UTC, as time_bucket does)."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return epoch + (moment - epoch) // bucket * bucket


def ceil(moment: datetime, bucket: timedelta) -> datetime:
    down = floor(moment, bucket)
    return down if down == moment else down + bucket


def ceil_length(length: timedelta, bucket: timedelta) -> timedelta:
    """`length` up to a whole number of buckets (at least one)."""
    return max(1, -(-length // bucket)) * bucket
