"""A view model's chart drawn with plotext into rich Text. plotext keeps module-level state: draw on the UI
thread only."""

from __future__ import annotations

import os

import plotext as plt
from rich.text import Text

from console.panes.view import BarChart, Chart, LineChart, StackedBarChart

MARKERS = ("dot", "+", "x", "*", "o", "#", "@")


def draw(chart: Chart, width: int, height: int) -> Text:
    """`chart` in `width` x `height` cells; every series drawn, each with its own marker (readable without
    colour); no colour at all under NO_COLOR."""
    plt.clf()
    plt.plotsize(max(width, 20), max(height, 6))
    no_color = bool(os.environ.get("NO_COLOR"))
    plt.theme("clear" if no_color else "pro")
    plt.title(chart.title)
    if isinstance(chart, LineChart):
        if not chart.series:
            return Text("no data", style="dim")
        origin = min(point[0] for points in chart.series.values() for point in points)
        for (name, points), marker in zip(chart.series.items(), MARKERS * 4, strict=False):
            xs = [(moment - origin).total_seconds() / 3600 for moment, _value in points]
            plt.plot(xs, [value for _moment, value in points], label=name, marker=marker)
        plt.xlabel(f"hours since {origin:%m-%d %H:%M} UTC")
    elif isinstance(chart, BarChart):
        if not chart.labels:
            return Text("no data", style="dim")
        plt.bar(chart.labels, chart.values, orientation="horizontal", width=0.3)
    elif isinstance(chart, StackedBarChart):
        if not chart.labels:
            return Text("no data", style="dim")
        plt.stacked_bar(chart.labels, list(chart.stacks.values()), labels=list(chart.stacks),
                        orientation="horizontal", width=0.3)
    built = plt.build()
    return Text(plt.uncolorize(built)) if no_color else Text.from_ansi(built)
