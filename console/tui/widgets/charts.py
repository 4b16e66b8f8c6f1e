"""plotext charts rendered to rich Text. plotext keeps module-level state: build charts on the UI thread only."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime

import plotext as plt
from rich.text import Text

MARKERS = ("dot", "+", "x", "*", "o", "#", "@")


def _start(width: int, height: int, title: str) -> None:
    plt.clf()
    plt.plotsize(max(width, 20), max(height, 6))
    plt.theme("clear" if os.environ.get("NO_COLOR") else "pro")
    plt.title(title)


def _finish() -> Text:
    return Text.from_ansi(plt.build())


def lines(title: str, series: dict[str, Sequence[tuple[datetime, float]]], width: int, height: int) -> Text:
    """One line per series over time, each with its own marker (readable without colour)."""
    _start(width, height, title)
    if not series:
        return Text("no data", style="dim")
    origin = min(point[0] for points in series.values() for point in points)
    for (name, points), marker in zip(series.items(), MARKERS * 4, strict=False):
        xs = [(moment - origin).total_seconds() / 3600 for moment, _value in points]
        plt.plot(xs, [value for _moment, value in points], label=name, marker=marker)
    plt.xlabel(f"hours since {origin:%m-%d %H:%M}")
    return _finish()


def hbars(title: str, labels: Sequence[str], values: Sequence[float], width: int, height: int) -> Text:
    """Horizontal bars, one per label."""
    _start(width, height, title)
    if not labels:
        return Text("no data", style="dim")
    plt.bar(list(labels), list(values), orientation="horizontal", width=0.3)
    return _finish()


def stacked_hbars(title: str, labels: Sequence[str], stacks: dict[str, Sequence[float]], width: int,
                  height: int) -> Text:
    """Horizontal stacked bars (e.g. hot → compressed → dropped days per table)."""
    _start(width, height, title)
    if not labels:
        return Text("no data", style="dim")
    plt.stacked_bar(list(labels), [list(v) for v in stacks.values()], labels=list(stacks),
                    orientation="horizontal", width=0.3)
    return _finish()
